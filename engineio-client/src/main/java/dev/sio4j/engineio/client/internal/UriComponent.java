package dev.sio4j.engineio.client.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * JavaScript's {@code encodeURIComponent}, which the JS clients use for query strings (the
 * Engine.IO request query, a Socket.IO 2.x namespace's query): spaces as {@code %20}, and {@code
 * !'()~} left as they are, unlike form encoding.
 *
 * <p>Thread-safety: stateless.
 */
public final class UriComponent {
  private UriComponent() {}

  /** {@code s} encoded as {@code encodeURIComponent(s)} would. */
  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%21", "!")
        .replace("%27", "'")
        .replace("%28", "(")
        .replace("%29", ")")
        .replace("%7E", "~");
  }
}
