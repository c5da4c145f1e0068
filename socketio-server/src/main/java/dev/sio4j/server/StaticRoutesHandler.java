package dev.sio4j.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Serves the routes of {@link SocketIoServer#serveStatic} (and, after itself, puts the client
 * bundle's handler when the server serves it): a GET or HEAD below a route's prefix is answered
 * from its {@link StaticFiles}, with an ETag, 304 on a matching {@code If-None-Match} and gzip when
 * accepted; the prefix without its slash is redirected to it, so that the relative links of an
 * {@code index.html} resolve. Other requests pass through.
 *
 * <p>Thread-safety: one instance per channel, used on its loop; the route list is a thread-safe
 * snapshot list shared with the server.
 */
final class StaticRoutesHandler extends ChannelInboundHandlerAdapter {
  /** A prefix ({@code /admin}: leading slash, no trailing one) and its files. */
  record Route(String prefix, StaticFiles files) {}

  private final List<Route> routes;
  private final String clientBundlePath;
  private boolean passing = true;

  StaticRoutesHandler(List<Route> routes, String clientBundlePath) {
    this.routes = routes;
    this.clientBundlePath = clientBundlePath;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (clientBundlePath != null) {
      ctx.pipeline()
          .addAfter(ctx.name(), "client-bundle", new ClientBundleHandler(clientBundlePath));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      Route route = routes.isEmpty() ? null : match(req.uri());
      if (route == null) {
        passing = true;
        ctx.fireChannelRead(msg);
        return;
      }
      passing = false;
      try {
        answer(ctx, req, route);
      } finally {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (msg instanceof HttpContent && !passing) {
      // The body of a request answered here (a GET has none, but a client may send one anyway).
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private Route match(String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    for (Route r : routes) {
      if (path.equals(r.prefix()) || path.startsWith(r.prefix() + "/")) {
        return r;
      }
    }
    return null;
  }

  private void answer(ChannelHandlerContext ctx, HttpRequest req, Route route) {
    boolean head = req.method().equals(HttpMethod.HEAD);
    if (!head && !req.method().equals(HttpMethod.GET)) {
      send(ctx, req, plain(req, HttpResponseStatus.METHOD_NOT_ALLOWED));
      return;
    }
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (path.equals(route.prefix())) {
      FullHttpResponse res = plain(req, HttpResponseStatus.MOVED_PERMANENTLY);
      res.headers()
          .set(HttpHeaderNames.LOCATION, route.prefix() + "/" + (q < 0 ? "" : uri.substring(q)));
      send(ctx, req, res);
      return;
    }
    String rel = QueryStringDecoder.decodeComponent(path.substring(route.prefix().length() + 1));
    if (rel.isEmpty() || rel.endsWith("/")) {
      rel = rel + "index.html";
    }
    Optional<StaticFile> file = Optional.empty();
    if (safe(rel)) {
      try {
        file = route.files().find(rel);
      } catch (RuntimeException e) {
        ctx.fireExceptionCaught(e);
        send(ctx, req, plain(req, HttpResponseStatus.INTERNAL_SERVER_ERROR));
        return;
      }
    }
    if (file.isEmpty()) {
      send(ctx, req, plain(req, HttpResponseStatus.NOT_FOUND));
      return;
    }
    StaticFile f = file.get();
    String etag = f.etag();
    String ifNoneMatch = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
    FullHttpResponse res;
    if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("W/" + etag))) {
      res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.NOT_MODIFIED);
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    } else {
      boolean gzip = req.headers().get(HttpHeaderNames.ACCEPT_ENCODING, "").contains("gzip");
      byte[] body = gzip ? f.gzipped() : f.content();
      res =
          new DefaultFullHttpResponse(
              req.protocolVersion(),
              HttpResponseStatus.OK,
              head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
      if (gzip) {
        res.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
      }
      res.headers().set(HttpHeaderNames.VARY, "Accept-Encoding");
    }
    res.headers().set(HttpHeaderNames.ETAG, etag);
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=0");
    send(ctx, req, res);
  }

  /** No way out of the route: no {@code ..} or {@code .} segment, no backslash, no NUL. */
  private static boolean safe(String rel) {
    if (rel.indexOf('\\') >= 0 || rel.indexOf('\0') >= 0 || rel.startsWith("/")) {
      return false;
    }
    for (String segment : rel.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return false;
      }
    }
    return true;
  }

  private static FullHttpResponse plain(HttpRequest req, HttpResponseStatus status) {
    byte[] body = status.reasonPhrase().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(req.protocolVersion(), status, Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return res;
  }

  private static void send(ChannelHandlerContext ctx, HttpRequest req, FullHttpResponse res) {
    if (HttpUtil.isKeepAlive(req)) {
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
