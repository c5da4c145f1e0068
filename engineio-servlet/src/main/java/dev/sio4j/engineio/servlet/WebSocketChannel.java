package dev.sio4j.engineio.servlet;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta WebSocket session as a Netty channel carrying WebSocket frames, for the Engine.IO
 * WebSocket transport. Whole messages from the container are fired in as frames; frames written are
 * sent one at a time with the asynchronous remote endpoint (the API allows one send in flight), the
 * rest waiting in the channel's outbound buffer, where they count against its water marks: the
 * transport's slow-consumer bounds hold as on a Netty connection.
 *
 * <p>Inbound, at most {@link #INBOUND_WINDOW} messages wait for the loop; past that the container's
 * thread waits (bounded), which stops the container reading from the peer.
 *
 * <p>Thread-safety: outbound side on the channel's loop; {@link #inbound} from the container's
 * threads.
 */
final class WebSocketChannel extends BridgeChannel {
  private static final Logger log = LoggerFactory.getLogger(WebSocketChannel.class);
  static final int INBOUND_WINDOW = 16;
  private static final long INBOUND_WAIT_SECONDS = 30;

  private final Session session;
  private final RemoteEndpoint.Async remote;
  private final Executor closer;
  private final Semaphore inboundWindow = new Semaphore(INBOUND_WINDOW);
  private boolean sending;

  /** The status of the close frame the transport wrote; none (-1) when it aborted. */
  private int closeCode = -1;

  private String closeReason = "";

  WebSocketChannel(
      Session session, InetSocketAddress local, InetSocketAddress remote, Executor closer) {
    super(local, remote);
    this.session = session;
    this.remote = session.getAsyncRemote();
    this.closer = closer;
  }

  /** A text message from the peer (container thread). */
  void inbound(String text) {
    if (acquire()) {
      fire(new TextWebSocketFrame(text));
    }
  }

  /** A binary message from the peer (container thread). */
  void inbound(ByteBuffer data) {
    if (acquire()) {
      fire(new BinaryWebSocketFrame(Unpooled.copiedBuffer(data)));
    }
  }

  private boolean acquire() {
    try {
      if (inboundWindow.tryAcquire(INBOUND_WAIT_SECONDS, TimeUnit.SECONDS)) {
        return true;
      }
      log.debug("{} not read for {} s, closing it", this, INBOUND_WAIT_SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeLater();
    return false;
  }

  private void fire(Object frame) {
    try {
      eventLoop()
          .execute(
              () -> {
                inboundWindow.release();
                pipeline().fireChannelRead(frame);
              });
    } catch (RejectedExecutionException e) {
      inboundWindow.release();
      ReferenceCountUtil.release(frame);
    }
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    while (!sending) {
      Object msg = in.current();
      if (msg == null) {
        return;
      }
      try {
        if (msg instanceof TextWebSocketFrame) {
          String text = ((TextWebSocketFrame) msg).text();
          sending = true;
          remote.sendText(text, this::sent);
        } else if (msg instanceof BinaryWebSocketFrame) {
          // A copy: the frame is released when the channel closes, maybe while the container
          // still reads from what it was given.
          ByteBuffer data =
              ByteBuffer.wrap(ByteBufUtil.getBytes(((BinaryWebSocketFrame) msg).content()));
          sending = true;
          remote.sendBinary(data, this::sent);
        } else if (msg instanceof CloseWebSocketFrame) {
          CloseWebSocketFrame close = (CloseWebSocketFrame) msg;
          if (close.statusCode() > 0) {
            closeCode = close.statusCode();
            closeReason = close.reasonText();
          } else {
            closeCode = CloseReason.CloseCodes.NORMAL_CLOSURE.getCode();
          }
          in.remove();
        } else {
          // Pongs and the like: the container answers pings itself.
          in.remove();
        }
      } catch (RuntimeException e) {
        // The session is closing under us (IllegalStateException).
        sending = false;
        in.remove(e);
        close();
        return;
      }
    }
  }

  /** The container finished sending the message in flight (any thread). */
  private void sent(SendResult result) {
    try {
      eventLoop()
          .execute(
              () -> {
                sending = false;
                ChannelOutboundBuffer out = unsafe().outboundBuffer();
                if (result.isOK()) {
                  if (out != null && out.current() != null) {
                    out.remove();
                  }
                  if (isOpen()) {
                    unsafe().flush();
                  }
                } else {
                  if (out != null && out.current() != null) {
                    out.remove(result.getException());
                  }
                  log.debug("{} failed to send: {}", this, String.valueOf(result.getException()));
                  close();
                }
              });
    } catch (RejectedExecutionException e) {
      // the loops are stopping
    }
  }

  @Override
  void onClosed() {
    // Closed without a close frame: the transport dropped the connection (a slow consumer, an
    // error), which on a connection of its own is a TCP close. The API has no abort; the nearest
    // is a close with an error status, which containers send without waiting on what is still
    // queued (Tomcat gives it 50 ms, then drops the connection). 1006 itself may not be sent.
    CloseReason reason =
        closeCode < 0
            ? new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "")
            : new CloseReason(CloseReason.CloseCodes.getCloseCode(closeCode), closeReason);
    try {
      // The container's close may block until the close frame is out (Tomcat): never on the loop.
      closer.execute(
          () -> {
            try {
              if (session.isOpen()) {
                session.close(reason);
              }
            } catch (IOException | RuntimeException e) {
              log.debug("closing {} failed: {}", this, e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      log.debug("{} not closed: the binding is stopped", this);
    }
  }
}
