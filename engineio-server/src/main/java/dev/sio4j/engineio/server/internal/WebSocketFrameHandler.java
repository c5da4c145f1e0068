package dev.sio4j.engineio.server.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads the frames of one WebSocket channel and hands them to its transport on the session's loop.
 * Anything else still in flight from the HTTP phase (the request's last empty content) is dropped.
 *
 * <p>Thread-safety: one instance per channel, used on that channel's loop.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {
  private final WebSocketTransport transport;
  private final EventLoop sessionLoop;
  private final int maxMessageSize;
  // A close frame with a status went out: what the peer sends after it is dropped.
  private boolean closing;

  WebSocketFrameHandler(WebSocketTransport transport, EventLoop sessionLoop, int maxMessageSize) {
    this.transport = transport;
    this.sessionLoop = sessionLoop;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    if (closing) {
      frame.release();
      return;
    }
    if (frame instanceof PingWebSocketFrame) {
      if (ctx.channel().isWritable()) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content()));
      } else {
        // A client that pings without reading would otherwise grow the outbound buffer without
        // bound, a pong at a time; a pong is only a courtesy.
        frame.release();
      }
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
    if (frame.content().readableBytes() > maxMessageSize) {
      // Never reached today: the frame decoder bounds a frame as received, BoundedInflater an
      // inflated message and the aggregator a fragmented one. Kept as the last line of defence
      // should an application's pipeline inflate with a handler of its own.
      frame.release();
      closeWith(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message over maxHttpBufferSize");
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
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    transport.onChannelWritabilityChanged();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    run(transport::onClose);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String description = String.valueOf(cause.getMessage());
    if (cause instanceof CorruptedWebSocketFrameException) {
      // The frame decoder (a frame over maxHttpBufferSize: 1009, a protocol violation: 1002) or
      // the UTF-8 check (1007) has already written a close frame with its status and closes the
      // connection once it is out: closing now could cut it off.
      closing = true;
      run(
          () -> {
            transport.closeFrameSent();
            transport.onError(description);
          });
      return;
    }
    if (cause instanceof TooLongFrameException) {
      // A message over maxHttpBufferSize made of frames each within it (the frame decoder answers
      // a single oversized frame itself): close with 1009 as the reference's ws server does.
      closeWith(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, description);
      return;
    }
    if (cause instanceof DecompressionException) {
      // permessage-deflate data that does not inflate: 1007, as in the reference's ws.
      closeWith(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, description);
      return;
    }
    run(() -> transport.onError(description));
    ctx.close();
  }

  /**
   * Sends a close frame with {@code status}, closes the connection once it is out, and ends the
   * session with a transport error; the session sends no close frame of its own after this one.
   */
  private void closeWith(ChannelHandlerContext ctx, WebSocketCloseStatus status, String why) {
    if (closing) {
      return;
    }
    closing = true;
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
    run(
        () -> {
          transport.closeFrameSent();
          transport.onError(why);
        });
  }

  private void run(Runnable task) {
    if (sessionLoop.inEventLoop()) {
      task.run();
    } else {
      try {
        sessionLoop.execute(task);
      } catch (RejectedExecutionException e) {
        // The session's loop stopped first (the server or its container is stopping, the loops
        // going down one by one): its sessions are closed with it, there is no one left to tell.
      }
    }
  }
}
