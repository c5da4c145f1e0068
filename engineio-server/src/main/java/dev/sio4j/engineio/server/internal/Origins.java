package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.server.EngineIoOptions;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;

/**
 * The origin check of {@link EngineIoOptions#checkOrigin()}: a request's {@code Origin} is allowed
 * when it is the request's own origin or when CORS allows it.
 *
 * <p>"Own origin" compares host and port only, not the scheme: behind a proxy that terminates TLS
 * the page is {@code https} while the request reaching this server is plain HTTP, and the {@code
 * Host} header the browser sent is what both share. A proxy that rewrites {@code Host} makes every
 * browser request look foreign: let it pass {@code Host} through, or list the site's origins in
 * {@code cors}.
 *
 * <p>Thread-safety: stateless.
 */
final class Origins {
  /** The message of the {@code Forbidden} error a refused origin gets. */
  static final String REFUSED = "Origin not allowed";

  private Origins() {}

  static boolean allowed(String origin, HttpRequest req, EngineIoOptions options) {
    return allowed(origin, req.headers().get(HttpHeaderNames.HOST), options);
  }

  /** The same check against a host (a {@code Host} header or an HTTP/3 {@code :authority}). */
  static boolean allowed(String origin, String host, EngineIoOptions options) {
    if (host != null && sameOrigin(origin, host)) {
      return true;
    }
    return options.cors().map(c -> c.allowedOrigin(origin).isPresent()).orElse(false);
  }

  /**
   * True when {@code origin} ({@code scheme://host[:port]}) names the same host and port as {@code
   * host} (a {@code Host} header, {@code host[:port]}); a missing port is the scheme's default.
   */
  static boolean sameOrigin(String origin, String host) {
    int sep = origin.indexOf("://");
    if (sep <= 0) {
      return false; // "null" (sandboxed frames, files) and anything unparsable
    }
    String scheme = origin.substring(0, sep).toLowerCase(Locale.ROOT);
    String defaultPort;
    if (scheme.equals("http") || scheme.equals("ws")) {
      defaultPort = "80";
    } else if (scheme.equals("https") || scheme.equals("wss")) {
      defaultPort = "443";
    } else {
      return false;
    }
    String authority = origin.substring(sep + 3);
    if (authority.isEmpty() || authority.indexOf('/') >= 0 || authority.indexOf('@') >= 0) {
      return false;
    }
    return withPort(authority, defaultPort).equalsIgnoreCase(withPort(host.trim(), defaultPort));
  }

  /** {@code host[:port]} with the port made explicit; IPv6 literals keep their brackets. */
  private static String withPort(String hostAndPort, String defaultPort) {
    int colon = hostAndPort.lastIndexOf(':');
    int bracket = hostAndPort.lastIndexOf(']');
    if (colon < 0 || colon < bracket) {
      return hostAndPort + ":" + defaultPort;
    }
    return hostAndPort;
  }
}
