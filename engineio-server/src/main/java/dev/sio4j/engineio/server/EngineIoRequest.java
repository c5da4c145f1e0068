package dev.sio4j.engineio.server;

import dev.sio4j.engineio.server.internal.CompactHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the server keeps of an HTTP request: method, URL, decoded query, headers (names matched
 * without regard to case), remote address and whether it came over TLS. The first request of a
 * session becomes its {@link EngineIoSocket#request() handshake request}; the Netty request itself
 * is not retained.
 *
 * <p>Thread-safety: immutable.
 */
public final class EngineIoRequest {
  private final String method;
  private final String uri;
  private final Map<String, String> query;
  private final Map<String, List<String>> headers;
  private final InetSocketAddress remoteAddress;
  private final boolean secure;

  private EngineIoRequest(
      String method,
      String uri,
      Map<String, String> query,
      Map<String, List<String>> headers,
      InetSocketAddress remoteAddress,
      boolean secure) {
    this.method = method;
    this.uri = uri;
    // Compact immutable copies: a request is kept for the whole session (the Socket.IO handshake
    // exposes it), so its size is part of every idle connection's memory.
    this.query = Map.copyOf(query);
    this.headers = CompactHeaders.copyOf(headers);
    this.remoteAddress = remoteAddress;
    this.secure = secure;
  }

  /** A request built by hand, for tests and for embedding behind another HTTP stack. */
  public static EngineIoRequest of(
      String method,
      String uri,
      Map<String, String> query,
      Map<String, List<String>> headers,
      InetSocketAddress remoteAddress,
      boolean secure) {
    return new EngineIoRequest(method, uri, query, headers, remoteAddress, secure);
  }

  public String method() {
    return method;
  }

  /** The request target as received: path and query string. */
  public String uri() {
    return uri;
  }

  /** The query parameters; for a repeated name, the last value (as the reference does). */
  public Map<String, String> query() {
    return query;
  }

  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /** All headers, by lower-case name (lookups ignore case), in name order; immutable. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  public boolean secure() {
    return secure;
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
