package dev.sio4j.engineio.servlet;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a bridged request's pipeline: a request the Engine.IO handler passed on (its URI is
 * outside the Engine.IO path, so the servlet's mapping does not match the server's path) gets a
 * 404; an exception is logged at DEBUG and closes the request.
 *
 * <p>Thread-safety: one instance per channel, on its loop.
 */
final class OutsidePathHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(OutsidePathHandler.class);

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest) {
        ctx.writeAndFlush(
                new DefaultFullHttpResponse(
                    ((HttpRequest) msg).protocolVersion(),
                    HttpResponseStatus.NOT_FOUND,
                    Unpooled.EMPTY_BUFFER))
            .addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("request {} failed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
