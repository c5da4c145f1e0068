package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.server.CorsOptions;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CORS the way the reference's {@code cors} middleware does it: the headers of every response, and
 * the answer to a preflight, given before any Engine.IO validation.
 *
 * <p>Thread-safety: stateless.
 */
final class Cors {
  private Cors() {}

  /** Headers for an ordinary (not preflight) request. */
  static Map<String, List<String>> headers(CorsOptions cors, String origin) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    origin(cors, origin, h);
    if (cors.credentials()) {
      h.put("Access-Control-Allow-Credentials", list("true"));
    }
    if (!cors.exposedHeaders().isEmpty()) {
      h.put("Access-Control-Expose-Headers", list(String.join(",", cors.exposedHeaders())));
    }
    return h;
  }

  /** Answers a preflight {@code OPTIONS} request with 204 and the preflight headers. */
  static void answerPreflight(Channel channel, HttpRequest req, CorsOptions cors, String origin) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.NO_CONTENT);
    preflight(cors, origin, req.headers()).forEach(res.headers()::add);
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    PlainResponses.write(channel, res, HttpUtil.isKeepAlive(req));
  }

  /** Headers for a preflight {@code OPTIONS} request. */
  static Map<String, List<String>> preflight(
      CorsOptions cors, String origin, HttpHeaders requestHeaders) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    origin(cors, origin, h);
    if (cors.credentials()) {
      h.put("Access-Control-Allow-Credentials", list("true"));
    }
    h.put("Access-Control-Allow-Methods", list(String.join(",", cors.methods())));
    if (cors.allowedHeaders().isPresent()) {
      List<String> allowed = cors.allowedHeaders().get();
      if (!allowed.isEmpty()) {
        h.put("Access-Control-Allow-Headers", list(String.join(",", allowed)));
      }
    } else {
      String requested = requestHeaders.get("Access-Control-Request-Headers");
      if (requested != null) {
        vary(h, "Access-Control-Request-Headers");
        h.put("Access-Control-Allow-Headers", list(requested));
      }
    }
    cors.maxAge()
        .ifPresent(d -> h.put("Access-Control-Max-Age", list(Long.toString(d.toSeconds()))));
    return h;
  }

  private static void origin(CorsOptions cors, String origin, Map<String, List<String>> h) {
    if (cors.isAnyOrigin()) {
      h.put("Access-Control-Allow-Origin", list("*"));
      return;
    }
    cors.allowedOrigin(origin).ifPresent(o -> h.put("Access-Control-Allow-Origin", list(o)));
    vary(h, "Origin");
  }

  private static void vary(Map<String, List<String>> h, String value) {
    List<String> v = h.get("Vary");
    if (v == null) {
      h.put("Vary", list(value));
    } else {
      v.set(0, v.get(0) + ", " + value);
    }
  }

  private static List<String> list(String v) {
    List<String> l = new ArrayList<>(1);
    l.add(v);
    return l;
  }
}
