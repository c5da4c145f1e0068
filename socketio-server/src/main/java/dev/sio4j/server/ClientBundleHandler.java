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
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the official browser client ({@code socket.io.js}, {@code .min.js}, {@code .esm.min.js},
 * {@code .msgpack.min.js} and their source maps) under the server's path, with an ETag of the
 * client's version, 304 on a matching {@code If-None-Match}, and gzip when accepted. The files come
 * from the {@code socket.io-client} npm package, packed into this jar at build time. Other requests
 * pass through.
 *
 * <p>Thread-safety: one instance per channel; the file cache is shared and thread-safe.
 */
final class ClientBundleHandler extends ChannelInboundHandlerAdapter {
  static final String[] FILES = {
    "socket.io.js",
    "socket.io.js.map",
    "socket.io.min.js",
    "socket.io.min.js.map",
    "socket.io.esm.min.js",
    "socket.io.esm.min.js.map",
    "socket.io.msgpack.min.js",
    "socket.io.msgpack.min.js.map"
  };
  private static final Map<String, byte[][]> CACHE = new ConcurrentHashMap<>();
  static final String VERSION = loadVersion();

  private final String prefix;
  private boolean passing;
  private boolean discarding;

  ClientBundleHandler(String path) {
    this.prefix = path + "/";
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      HttpRequest req = (HttpRequest) msg;
      String file = match(req.uri());
      if (file == null
          || !(req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))) {
        passing = true;
        discarding = false;
        ctx.fireChannelRead(msg);
        return;
      }
      passing = false;
      discarding = !(msg instanceof LastHttpContent);
      try {
        serve(ctx, req, file);
      } finally {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (msg instanceof HttpContent && !passing) {
      if (msg instanceof LastHttpContent) {
        discarding = false;
      }
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private String match(String uri) {
    if (!uri.startsWith(prefix)) {
      return null;
    }
    int q = uri.indexOf('?');
    String name = uri.substring(prefix.length(), q < 0 ? uri.length() : q);
    for (String f : FILES) {
      if (f.equals(name)) {
        return f;
      }
    }
    return null;
  }

  private void serve(ChannelHandlerContext ctx, HttpRequest req, String file) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String etag = "\"" + VERSION + "\"";
    String ifNoneMatch = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
    FullHttpResponse res;
    if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("W/" + etag))) {
      res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.NOT_MODIFIED);
      res.headers().set(HttpHeaderNames.ETAG, etag);
    } else {
      byte[][] content = CACHE.computeIfAbsent(file, ClientBundleHandler::load);
      String accept = req.headers().get(HttpHeaderNames.ACCEPT_ENCODING, "");
      boolean gzip = accept.contains("gzip");
      byte[] body = gzip ? content[1] : content[0];
      res =
          new DefaultFullHttpResponse(
              req.protocolVersion(),
              HttpResponseStatus.OK,
              req.method().equals(HttpMethod.HEAD)
                  ? Unpooled.EMPTY_BUFFER
                  : Unpooled.wrappedBuffer(body));
      res.headers()
          .set(
              HttpHeaderNames.CONTENT_TYPE,
              file.endsWith(".map")
                  ? "application/json; charset=utf-8"
                  : "application/javascript; charset=utf-8");
      res.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=0");
      res.headers().set(HttpHeaderNames.ETAG, etag);
      if (gzip) {
        res.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
      }
      res.headers().set(HttpHeaderNames.VARY, "Accept-Encoding");
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    }
    if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    }
    if (keepAlive) {
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The file and its gzip form. */
  private static byte[][] load(String file) {
    try (InputStream in = ClientBundleHandler.class.getResourceAsStream("client-dist/" + file)) {
      if (in == null) {
        throw new IllegalStateException("client bundle file missing from the jar: " + file);
      }
      byte[] raw = in.readAllBytes();
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3);
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return new byte[][] {raw, out.toByteArray()};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String loadVersion() {
    Properties p = new Properties();
    try (InputStream in =
        ClientBundleHandler.class.getResourceAsStream("client-bundle.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }
}
