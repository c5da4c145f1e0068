package dev.sio4j.engineio.server;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes CORS response headers the way the reference's {@code cors} middleware does.
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

  /** Headers for a preflight {@code OPTIONS} request. */
  static Map<String, List<String>> preflight(
      CorsOptions cors, String origin, HttpHeaders requestHeaders) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    origin(cors, origin, h);
    if (cors.credentials()) {
      h.put("Access-Control-Allow-Credentials", list("true"));
    }
    h.put("Access-Control-Allow-Methods", list(String.join(",", cors.methods())));
    if (cors.allowedHeaders() != null) {
      if (!cors.allowedHeaders().isEmpty()) {
        h.put("Access-Control-Allow-Headers", list(String.join(",", cors.allowedHeaders())));
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
