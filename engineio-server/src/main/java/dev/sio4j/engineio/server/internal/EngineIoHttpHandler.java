package dev.sio4j.engineio.server.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP entry point of an Engine.IO server, one instance per channel, placed after Netty's
 * {@code HttpServerCodec}. Its one job is the flow of HTTP messages: a request under the server's
 * path goes to the {@link RequestRouter} and its content is collected (a POST body, see {@link
 * PostBody}) or dropped; any other request, with its content, is passed to the next handler
 * untouched, so the server can share a pipeline with an application's own HTTP handlers.
 *
 * <p>Thread-safety: one instance per channel, used on that channel's event loop. Work on a session
 * is handed to the session's loop.
 */
final class EngineIoHttpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(EngineIoHttpHandler.class);

  private final RequestRouter router;
  private final String matchPath;

  /** What to do with the content of the request being read. */
  private enum Mode {
    IDLE,
    PASS_THROUGH,
    DISCARD,
    COLLECT
  }

  private Mode mode = Mode.IDLE;
  private PostBody post;

  EngineIoHttpHandler(RequestRouter router, String matchPath) {
    this.router = router;
    this.matchPath = matchPath;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      HttpRequest request = (HttpRequest) msg;
      if (request.decoderResult().isFailure()) {
        // The codec could not read it (on the server's own port the guard before answered it);
        // the codec reads nothing more on this connection.
        ReferenceCountUtil.release(msg);
        mode = Mode.DISCARD;
        PlainResponses.send(ctx.channel(), HttpVersion.HTTP_1_1, 400, "", true);
        return;
      }
      if (!request.uri().startsWith(matchPath)) {
        mode = Mode.PASS_THROUGH;
        ctx.fireChannelRead(msg);
        return;
      }
      mode = Mode.DISCARD;
      try {
        post = router.route(ctx, request);
        if (post != null) {
          mode = Mode.COLLECT;
        }
      } catch (RuntimeException e) {
        log.warn("failed to handle {}", request.uri(), e);
        if (ctx.channel().isActive()) {
          PlainResponses.send(ctx.channel(), request.protocolVersion(), 500, "", false);
        }
        mode = Mode.DISCARD;
      }
      if (msg instanceof HttpContent) {
        onContent((HttpContent) msg);
      } else {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (msg instanceof HttpContent) {
      if (mode == Mode.PASS_THROUGH) {
        ctx.fireChannelRead(msg);
        if (msg instanceof LastHttpContent) {
          mode = Mode.IDLE;
        }
        return;
      }
      onContent((HttpContent) msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void onContent(HttpContent content) {
    try {
      if (mode == Mode.COLLECT && post != null) {
        post.append(content.content());
        if (content instanceof LastHttpContent) {
          PostBody done = post;
          post = null;
          mode = Mode.IDLE;
          done.complete();
        }
      } else if (content instanceof LastHttpContent) {
        mode = Mode.IDLE;
      }
    } finally {
      content.release();
    }
  }

  /**
   * A network error (a reset, mostly) is logged at DEBUG and closes the connection; so does a bug,
   * at WARN. An application request in progress leaves it to the application's handlers.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (mode == Mode.PASS_THROUGH) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    NetworkErrors.closeOn(ctx, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (post != null) {
      post.discard();
      post = null;
    }
    ctx.fireChannelInactive();
  }
}
