package dev.sio4j.engineio.client.internal;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cookies of one client ({@code withCredentials}), as the reference client keeps them in Node:
 * every {@code Set-Cookie} of a response is stored by name and sent back on later requests. Beyond
 * the reference, a cookie's {@code Path} is respected (sent only to paths under it), a {@code
 * Max-Age} of zero or an {@code Expires} in the past deletes it, and the jar is bounded ({@link
 * #MAX_COOKIES} cookies of at most {@link #MAX_COOKIE_LENGTH} characters each; further cookies are
 * ignored). Domains are not checked: a client talks to one server.
 *
 * <p>Thread-safety: confined to the client's event loop.
 */
final class CookieJar {
  static final int MAX_COOKIES = 50;
  static final int MAX_COOKIE_LENGTH = 4096;

  private record Cookie(String value, String path, long expiresAtMillis) {
    boolean expired(long now) {
      return expiresAtMillis != Long.MAX_VALUE && expiresAtMillis <= now;
    }
  }

  private final Map<String, Cookie> cookies = new LinkedHashMap<>();

  /** Stores the cookies of {@code Set-Cookie} header values. */
  void store(List<String> setCookies) {
    long now = System.currentTimeMillis();
    for (String header : setCookies) {
      if (header.length() > MAX_COOKIE_LENGTH) {
        continue;
      }
      parse(header, now)
          .ifPresent(
              e -> {
                if (e.getValue().expired(now)) {
                  cookies.remove(e.getKey());
                } else if (cookies.containsKey(e.getKey()) || cookies.size() < MAX_COOKIES) {
                  cookies.put(e.getKey(), e.getValue());
                }
              });
    }
  }

  /** The {@code Cookie} header for a request to {@code path}, if any cookie applies. */
  Optional<String> header(String path) {
    long now = System.currentTimeMillis();
    cookies.values().removeIf(c -> c.expired(now));
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, Cookie> e : cookies.entrySet()) {
      if (pathMatches(e.getValue().path(), path)) {
        pairs.add(e.getKey() + "=" + e.getValue().value());
      }
    }
    return pairs.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", pairs));
  }

  private static boolean pathMatches(String cookiePath, String requestPath) {
    int q = requestPath.indexOf('?');
    String p = q < 0 ? requestPath : requestPath.substring(0, q);
    if (cookiePath.equals("/") || p.equals(cookiePath)) {
      return true;
    }
    return p.startsWith(cookiePath)
        && (cookiePath.endsWith("/") || p.charAt(cookiePath.length()) == '/');
  }

  private static Optional<Map.Entry<String, Cookie>> parse(String header, long now) {
    String[] parts = header.split(";");
    int eq = parts[0].indexOf('=');
    if (eq <= 0) {
      return Optional.empty();
    }
    String name = parts[0].substring(0, eq).trim();
    String value = parts[0].substring(eq + 1).trim();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    String path = "/";
    long expires = Long.MAX_VALUE;
    boolean maxAgeSeen = false;
    for (int i = 1; i < parts.length; i++) {
      String attr = parts[i].trim();
      int aeq = attr.indexOf('=');
      String key = (aeq < 0 ? attr : attr.substring(0, aeq)).trim().toLowerCase(Locale.ROOT);
      String v = aeq < 0 ? "" : attr.substring(aeq + 1).trim();
      switch (key) {
        case "path" -> path = v.startsWith("/") ? v : "/";
        case "max-age" -> {
          // Max-Age wins over Expires whatever their order (RFC 6265 5.3).
          try {
            long seconds = Long.parseLong(v);
            expires = seconds <= 0 ? 0 : now + Math.min(seconds, Long.MAX_VALUE / 2000) * 1000;
            maxAgeSeen = true;
          } catch (NumberFormatException ignored) {
            // A malformed attribute is ignored, as browsers do.
          }
        }
        case "expires" -> {
          if (!maxAgeSeen) {
            try {
              expires =
                  ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                      .toInstant()
                      .toEpochMilli();
            } catch (RuntimeException ignored) {
              // Unparseable date: a session cookie.
            }
          }
        }
        default -> {
          // Domain, Secure, HttpOnly, SameSite: not relevant to a client of one server.
        }
      }
    }
    return Optional.of(Map.entry(name, new Cookie(value, path, expires)));
  }

  @Override
  public String toString() {
    return "CookieJar" + cookies.keySet();
  }
}
