package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.engineio.server.EngineIoRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a socket's client sent when it connected: the first HTTP request of its connection (headers,
 * query, address, URL, TLS) and the {@code auth} payload of its CONNECT packet.
 *
 * <p>Thread-safety: immutable.
 */
public final class Handshake {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern(
              "EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final Map<String, List<String>> headers;
  private final Map<String, String> query;
  private final JsonNode auth;
  private final String address;
  private final long issued;
  private final String url;
  private final boolean xdomain;
  private final boolean secure;

  Handshake(EngineIoRequest request, JsonNode auth, long issued) {
    this.headers = request.headers();
    this.query = request.query();
    this.auth = auth;
    this.address =
        request.remoteAddress() == null
            ? ""
            : request.remoteAddress().getAddress().getHostAddress();
    this.issued = issued;
    this.url = request.uri();
    this.xdomain = request.header("origin").isPresent();
    this.secure = request.secure();
  }

  /** Headers of the first request, by lower-case name. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  public Map<String, String> query() {
    return query;
  }

  /** The CONNECT payload ({@code {}} when the client sent none). */
  public JsonNode auth() {
    return auth;
  }

  /** The client's IP address. */
  public String address() {
    return address;
  }

  /** When the socket was created, in milliseconds since the epoch. */
  public long issued() {
    return issued;
  }

  /** {@link #issued()} as the reference prints it ({@code Date.toString()}). */
  public String time() {
    return HTTP_DATE.format(Instant.ofEpochMilli(issued));
  }

  public String url() {
    return url;
  }

  /** True when the request had an {@code Origin} header (cross-domain). */
  public boolean xdomain() {
    return xdomain;
  }

  public boolean secure() {
    return secure;
  }

  /** The handshake as the reference serialises it in {@code fetchSockets()} results. */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    ObjectNode h = o.putObject("headers");
    headers.forEach((k, v) -> h.put(k, String.join(", ", v)));
    o.put("time", time());
    o.put("address", address);
    o.put("xdomain", xdomain);
    o.put("secure", secure);
    o.put("issued", issued);
    o.put("url", url);
    ObjectNode q = o.putObject("query");
    query.forEach(q::put);
    o.set("auth", auth);
    return o;
  }
}
