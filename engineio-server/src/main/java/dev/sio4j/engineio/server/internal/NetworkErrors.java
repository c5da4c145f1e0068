package dev.sio4j.engineio.server.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server does with an exception that reaches the end of a connection's handling: the network
 * failing under a connection (a reset, a broken pipe, a timeout, a TLS record from a client
 * speaking something else) is expected and logged at DEBUG in one line; anything else is a bug and
 * is logged at WARN with its stack trace. Either way the connection is closed. Netty's own default
 * for an unhandled exception is a WARN with a stack trace per reset, which floods a busy server's
 * log.
 *
 * <p>Thread-safety: stateless.
 */
final class NetworkErrors {
  private static final Logger log = LoggerFactory.getLogger(NetworkErrors.class);

  private NetworkErrors() {}

  /** True for a failure of the network or of the peer rather than of this server. */
  static boolean isExpected(Throwable cause) {
    Throwable t = cause;
    // A few levels of causes are enough (a decoder wraps an SSLException); a cycle must not loop.
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      // ClosedChannelException, Netty's native "Connection reset by peer" and broken pipes are
      // all IOExceptions.
      if (t instanceof IOException
          || t instanceof SSLException
          || t instanceof io.netty.handler.timeout.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Logs {@code cause} as it deserves and closes the connection. */
  static void closeOn(ChannelHandlerContext ctx, Throwable cause) {
    if (isExpected(cause)) {
      if (log.isDebugEnabled()) {
        log.debug("connection {} closed on a network error: {}", ctx.channel(), cause.toString());
      }
    } else {
      log.warn("connection {} failed, closing it", ctx.channel(), cause);
    }
    ctx.close();
  }

  /** The last handler of a server's pipeline: whatever no handler before it took ends here. */
  static ChannelHandler lastResort() {
    return LastResort.INSTANCE;
  }

  /** Thread-safety: stateless, shared by every channel. */
  @ChannelHandler.Sharable
  private static final class LastResort extends ChannelInboundHandlerAdapter {
    static final LastResort INSTANCE = new LastResort();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeOn(ctx, cause);
    }
  }
}
