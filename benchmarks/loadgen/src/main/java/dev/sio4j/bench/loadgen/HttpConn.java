package dev.sio4j.bench.loadgen;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;

/**
 * One keep-alive HTTP/1.1 connection for long-polling: one request at a time, the response handed
 * to a callback with its status and body (status -1 when the connection closed first). When the
 * server closes the connection between requests (netty-socketio does after every polling response),
 * the next request goes out on a new connection, and a request that met the close is sent again
 * once.
 *
 * <p>Thread-safety: confined to the load generator's single event loop. Sharable because it moves
 * from one channel to the next, one at a time.
 */
@ChannelHandler.Sharable
final class HttpConn extends SimpleChannelInboundHandler<FullHttpResponse> {
  /** A response. */
  interface Callback {
    void onResponse(int status, String body);
  }

  final String hostHeader;
  Channel channel;
  Net net;
  int index;
  private Callback pending;
  private HttpMethod lastMethod;
  private String lastUri;
  private String lastBody;
  private boolean retried;
  private boolean closing;

  /** A new connection for every request (for servers that close after each response). */
  boolean fresh;

  HttpConn(String hostHeader) {
    this.hostHeader = hostHeader;
  }

  void request(HttpMethod method, String uri, String body, Callback cb) {
    lastMethod = method;
    lastUri = uri;
    lastBody = body;
    retried = false;
    pending = cb;
    if (fresh && channel != null && channel.isActive()) {
      Channel old = channel;
      channel = null;
      old.close();
    }
    send();
  }

  private void send() {
    if (channel == null || !channel.isActive()) {
      if (net == null || closing) {
        fail();
        return;
      }
      net.connectHttp(this, index, this::write, t -> fail());
      return;
    }
    write();
  }

  private void fail() {
    Callback cb = pending;
    pending = null;
    if (cb != null) {
      cb.onResponse(-1, null);
    }
  }

  private void write() {
    HttpMethod method = lastMethod;
    String uri = lastUri;
    String body = lastBody;
    FullHttpRequest req =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            method,
            uri,
            body == null ? Unpooled.EMPTY_BUFFER : ByteBufUtil.writeUtf8(channel.alloc(), body));
    req.headers().set(HttpHeaderNames.HOST, hostHeader);
    req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, req.content().readableBytes());
    if (body != null) {
      req.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8");
    }
    channel.writeAndFlush(req, channel.voidPromise());
  }

  void close() {
    closing = true;
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
    Callback cb = pending;
    pending = null;
    if (cb != null) {
      cb.onResponse(res.status().code(), res.content().toString(CharsetUtil.UTF_8));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel() != channel || pending == null) {
      return;
    }
    if (!retried && !closing && net != null) {
      retried = true;
      channel = null;
      send();
      return;
    }
    fail();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
