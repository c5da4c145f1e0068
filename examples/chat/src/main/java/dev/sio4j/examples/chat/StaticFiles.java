package dev.sio4j.examples.chat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the chat page: {@code /} (and {@code /index.html}), {@code /chat.js}, {@code /chat.css}
 * and {@code /favicon.svg}, from classpath resources read once. Plugged in as the Socket.IO
 * server's fallback, so it sees every request that is neither Engine.IO nor the client bundle;
 * anything else is a 404. As the last handler of every HTTP connection it also ends the errors of
 * connections that are not WebSockets: a peer resetting its connection is expected (DEBUG).
 *
 * <p>Thread-safety: one instance per channel (Netty calls it on the channel's loop); the file table
 * is immutable and shared.
 */
final class StaticFiles extends SimpleChannelInboundHandler<HttpObject> {
  private record File(byte[] body, String type) {}

  private static final Logger log = LoggerFactory.getLogger(StaticFiles.class);

  private static final Map<String, File> FILES =
      Map.of(
          "/", load("index.html", "text/html; charset=utf-8"),
          "/index.html", load("index.html", "text/html; charset=utf-8"),
          "/chat.js", load("chat.js", "application/javascript; charset=utf-8"),
          "/chat.css", load("chat.css", "text/css; charset=utf-8"),
          "/favicon.svg", load("favicon.svg", "image/svg+xml"));

  // The page needs nothing from other origins: the client bundle comes from this server too.
  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none';"
          + " base-uri 'none'; frame-ancestors 'none'";

  /**
   * Browsers close tabs and a load balancer ends its health checks and idle connections with a
   * reset: network errors are part of the job, quiet. Anything else is a bug worth a warning.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("connection from {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (!(msg instanceof HttpRequest)) {
      return; // request bodies are ignored (and released by the superclass)
    }
    HttpRequest req = (HttpRequest) msg;
    String path = req.uri();
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    File file = FILES.get(path);
    boolean head = req.method().equals(HttpMethod.HEAD);
    FullHttpResponse res;
    if (!req.method().equals(HttpMethod.GET) && !head) {
      res = text(req, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
      res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    } else if (file == null) {
      res = text(req, HttpResponseStatus.NOT_FOUND, "not found\n");
    } else {
      res =
          new DefaultFullHttpResponse(
              req.protocolVersion(),
              HttpResponseStatus.OK,
              head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(file.body()));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, file.type());
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, file.body().length);
      // Tiny files, and an example people edit: always revalidate rather than serve stale code.
      res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
      res.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP);
    }
    res.headers().set("X-Content-Type-Options", "nosniff");
    res.headers().set("Referrer-Policy", "no-referrer");
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(res, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static FullHttpResponse text(HttpRequest req, HttpResponseStatus status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            req.protocolVersion(),
            status,
            req.method().equals(HttpMethod.HEAD)
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return res;
  }

  private static File load(String name, String type) {
    try (InputStream in = StaticFiles.class.getResourceAsStream("web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("chat page file missing from the jar: web/" + name);
      }
      return new File(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
