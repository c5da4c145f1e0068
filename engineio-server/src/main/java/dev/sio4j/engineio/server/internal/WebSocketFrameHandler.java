package dev.sio4j.engineio.server.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads the frames of one WebSocket channel and hands them to its transport on the session's loop.
 * Anything else still in flight from the HTTP phase (the request's last empty content) is dropped.
 *
 * <p>Thread-safety: one instance per channel, used on that channel's loop.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {
  private final WebSocketTransport transport;
  private final EventLoop sessionLoop;

  WebSocketFrameHandler(WebSocketTransport transport, EventLoop sessionLoop) {
    this.transport = transport;
    this.sessionLoop = sessionLoop;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content()));
      return;
    }
    if (frame instanceof PongWebSocketFrame) {
      frame.release();
      return;
    }
    if (frame instanceof CloseWebSocketFrame) {
      frame.release();
      ctx.close();
      return;
    }
    transport.checkProbe(ctx, frame);
    if (sessionLoop.inEventLoop()) {
      try {
        transport.onFrame(frame);
      } finally {
        frame.release();
      }
    } else {
      sessionLoop.execute(
          () -> {
            try {
              transport.onFrame(frame);
            } finally {
              frame.release();
            }
          });
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    run(transport::onClose);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException && ctx.channel().isActive()) {
      // A message over maxHttpBufferSize made of frames each within it (the frame decoder answers
      // a single oversized frame itself): close with 1009 as the reference's ws server does,
      // before the session's own close frame.
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
          .addListener(ChannelFutureListener.CLOSE);
      run(() -> transport.onError(String.valueOf(cause.getMessage())));
      return;
    }
    run(() -> transport.onError(String.valueOf(cause.getMessage())));
    ctx.close();
  }

  private void run(Runnable task) {
    if (sessionLoop.inEventLoop()) {
      task.run();
    } else {
      sessionLoop.execute(task);
    }
  }
}
