package dev.sio4j.engineio.server.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Responses written without Engine.IO's headers: a refused upgrade's raw 400, a failed request's
 * 500, a CORS preflight's 204.
 *
 * <p>Thread-safety: stateless; Netty hands writes from other threads to the channel's loop.
 */
final class PlainResponses {
  private PlainResponses() {}

  /** A {@code text/html} response; {@code close} ends the connection after it. */
  static void send(Channel channel, HttpVersion version, int status, String body, boolean close) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            version, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
    if (close) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html");
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    write(channel, res, !close);
  }

  /** Writes a response, closing the connection after it unless {@code keepAlive}. */
  static void write(Channel channel, FullHttpResponse res, boolean keepAlive) {
    if (keepAlive) {
      channel.writeAndFlush(res);
    } else {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      channel.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
