package dev.sio4j.engineio.client.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One keep-alive HTTP/1.1 connection carrying one request at a time: the polling transport has a
 * slot for its GETs and one for its POSTs, which never have more than one request in flight each.
 *
 * <p>A connection idle for longer than {@link #REUSE_WINDOW_NANOS} is replaced rather than reused:
 * Node closes idle keep-alive connections after 5 s, and a request racing with that close would
 * fail for no reason.
 *
 * <p>Thread-safety: confined to the client's event loop.
 */
final class HttpSlot {
  interface Callback {
    /** Exactly one of {@code body} (with its status) and {@code error} is set. */
    void done(int status, Body body, Throwable error);
  }

  /**
   * A response body: binary when the server said {@code application/octet-stream} (Engine.IO v3's
   * binary payloads), text otherwise.
   */
  record Body(String text, byte[] bytes) {
    boolean isBinary() {
      return bytes != null;
    }

    @Override
    public String toString() {
      return isBinary() ? "<" + bytes.length + " bytes>" : text;
    }
  }

  private static final long REUSE_WINDOW_NANOS = 2_000_000_000L;

  private final TransportContext context;
  private Channel channel;
  private long idleSince;
  private boolean closed;

  HttpSlot(TransportContext context) {
    this.context = context;
  }

  void request(HttpMethod method, String pathAndQuery, String body, Callback callback) {
    request(
        method,
        pathAndQuery,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        "text/plain;charset=UTF-8",
        callback);
  }

  /** A request with a body of this content type (null body: none). */
  void request(
      HttpMethod method, String pathAndQuery, byte[] body, String contentType, Callback callback) {
    if (closed) {
      callback.done(0, null, new IOException("transport closed"));
      return;
    }
    FullHttpRequest request = newRequest(method, pathAndQuery, body, contentType);
    if (channel != null
        && channel.isActive()
        && System.nanoTime() - idleSince < REUSE_WINDOW_NANOS) {
      send(channel, request, callback);
      return;
    }
    if (channel != null) {
      channel.close();
      channel = null;
    }
    Bootstrap bootstrap =
        context
            .bootstrap()
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    context.addTls(ch);
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpContentDecompressor(0))
                        .addLast(new HttpObjectAggregator(context.options.maxIncomingPayload()))
                        .addLast(new ResponseHandler());
                  }
                });
    ChannelFuture connect = context.connect(bootstrap);
    channel = connect.channel();
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            request.release();
            if (channel == connect.channel()) {
              channel = null;
            }
            callback.done(0, null, context.connectFailure(f.cause()));
          } else if (closed) {
            request.release();
            connect.channel().close();
            callback.done(0, null, new IOException("transport closed"));
          } else {
            send(connect.channel(), request, callback);
          }
        });
  }

  private FullHttpRequest newRequest(
      HttpMethod method, String pathAndQuery, byte[] body, String contentType) {
    ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, pathAndQuery, content);
    request.headers().set(HttpHeaderNames.HOST, context.authority());
    request.headers().set(HttpHeaderNames.ACCEPT, "*/*");
    request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate");
    if (body != null) {
      request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    HttpUtil.setContentLength(request, content.readableBytes());
    for (Map.Entry<String, String> h : context.options.extraHeaders().entrySet()) {
      request.headers().set(h.getKey(), h.getValue());
    }
    context
        .cookieJar
        .flatMap(jar -> jar.header(pathAndQuery))
        .ifPresent(c -> request.headers().set(HttpHeaderNames.COOKIE, c));
    return request;
  }

  private void send(Channel ch, FullHttpRequest request, Callback callback) {
    ResponseHandler handler = ch.pipeline().get(ResponseHandler.class);
    if (handler == null || handler.pending != null) {
      request.release();
      callback.done(0, null, new IOException("connection not usable"));
      return;
    }
    handler.pending = callback;
    ch.writeAndFlush(request)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                handler.fail(context.channelFailure(f.cause()));
                ch.close();
              }
            });
  }

  /** Closes the connection; a pending request fails. */
  CompletableFuture<Void> close() {
    closed = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (channel == null) {
      done.complete(null);
    } else {
      channel.close().addListener(f -> done.complete(null));
      channel = null;
    }
    return done;
  }

  private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    Callback pending;
    Throwable failure;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      Callback cb = pending;
      pending = null;
      if (!HttpUtil.isKeepAlive(response)
          || response
              .headers()
              .contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
        ctx.close();
        if (channel == ctx.channel()) {
          channel = null;
        }
      }
      idleSince = System.nanoTime();
      context.cookieJar.ifPresent(
          jar -> jar.store(response.headers().getAll(HttpHeaderNames.SET_COOKIE)));
      if (cb != null) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        Body body =
            type.startsWith("application/octet-stream")
                ? new Body(null, ByteBufUtil.getBytes(response.content()))
                : new Body(response.content().toString(StandardCharsets.UTF_8), null);
        cb.done(response.status().code(), body, null);
      }
    }

    void fail(Throwable cause) {
      Callback cb = pending;
      pending = null;
      if (cb != null) {
        cb.done(0, null, cause);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failure = context.channelFailure(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (channel == ctx.channel()) {
        channel = null;
      }
      fail(failure != null ? failure : new IOException("connection closed"));
      super.channelInactive(ctx);
    }
  }
}
