package dev.sio4j.engineio.client;

import dev.sio4j.engineio.parser.TransportType;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Immutable configuration of an {@link EngineIoClient}, built with {@link #builder()}.
 *
 * <p>Defaults follow the reference client: transports {@code polling, websocket} (the first one
 * makes the handshake), {@code upgrade=true}, {@code rememberUpgrade=false}, path {@code
 * /engine.io/} (a trailing slash is always added), polling requests cache-busted with {@code t}.
 * The connect timeout (default 20 s) bounds each TCP/TLS connection and the whole handshake.
 *
 * <p>Thread-safety: immutable; safe to share between clients and threads.
 */
public final class EngineIoClientOptions {
  /** Default path of an Engine.IO server. */
  public static final String DEFAULT_PATH = "/engine.io";

  private final URI uri;
  private final List<TransportType> transports;
  private final boolean upgrade;
  private final boolean rememberUpgrade;
  private final String path;
  private final Map<String, String> query;
  private final Map<String, String> extraHeaders;
  private final Duration connectTimeout;
  private final SslContext sslContext;
  private final EventLoopGroup eventLoopGroup;
  private final boolean timestampRequests;
  private final String timestampParam;
  private final int maxIncomingPayload;
  private final int protocolVersion;
  // Issue 16: options of the reference client users reach for.
  private final boolean withCredentials;
  private final boolean tryAllTransports;
  private final boolean forceBase64;
  private final PerMessageDeflate perMessageDeflate;
  private final Proxy proxy;

  private EngineIoClientOptions(Builder b) {
    this.uri = Objects.requireNonNull(b.uri, "uri is required");
    String scheme = scheme(uri);
    if (!List.of("http", "https", "ws", "wss").contains(scheme)) {
      throw new IllegalArgumentException("uri scheme must be http, https, ws or wss: " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("uri has no host: " + uri);
    }
    if (b.transports.isEmpty()) {
      throw new IllegalArgumentException("at least one transport is required");
    }
    this.transports = List.copyOf(b.transports);
    this.upgrade = b.upgrade;
    this.rememberUpgrade = b.rememberUpgrade;
    String p = b.path.replaceAll("/+$", "");
    this.path = (p.startsWith("/") ? p : "/" + p) + "/";
    Map<String, String> q = new LinkedHashMap<>(parseQuery(uri.getRawQuery()));
    q.putAll(b.query);
    this.query = Collections.unmodifiableMap(q);
    this.extraHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraHeaders));
    this.connectTimeout = b.connectTimeout;
    this.sslContext = b.sslContext;
    this.eventLoopGroup = b.eventLoopGroup;
    this.timestampRequests = b.timestampRequests;
    this.timestampParam = b.timestampParam;
    this.maxIncomingPayload = b.maxIncomingPayload;
    this.protocolVersion = b.protocolVersion;
    this.withCredentials = b.withCredentials;
    this.tryAllTransports = b.tryAllTransports;
    this.forceBase64 = b.forceBase64;
    this.perMessageDeflate = b.perMessageDeflate;
    this.proxy = b.proxy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.uri = uri;
    b.transports = new ArrayList<>(transports);
    b.upgrade = upgrade;
    b.rememberUpgrade = rememberUpgrade;
    b.path = path;
    b.query = new LinkedHashMap<>(query);
    b.extraHeaders = new LinkedHashMap<>(extraHeaders);
    b.connectTimeout = connectTimeout;
    b.sslContext = sslContext;
    b.eventLoopGroup = eventLoopGroup;
    b.timestampRequests = timestampRequests;
    b.timestampParam = timestampParam;
    b.maxIncomingPayload = maxIncomingPayload;
    b.protocolVersion = protocolVersion;
    b.withCredentials = withCredentials;
    b.tryAllTransports = tryAllTransports;
    b.forceBase64 = forceBase64;
    b.perMessageDeflate = perMessageDeflate;
    b.proxy = proxy;
    return b;
  }

  /** The server address; its scheme selects TLS ({@code https}/{@code wss}). */
  public URI uri() {
    return uri;
  }

  /** Whether connections use TLS. */
  public boolean secure() {
    String s = scheme(uri);
    return s.equals("https") || s.equals("wss");
  }

  /** The port, defaulting to 80 or 443. */
  public int port() {
    return uri.getPort() > 0 ? uri.getPort() : secure() ? 443 : 80;
  }

  /** Allowed transports in order of preference; the first one makes the handshake. */
  public List<TransportType> transports() {
    return transports;
  }

  /** Whether to probe and upgrade to the transports the server offers. */
  public boolean upgrade() {
    return upgrade;
  }

  /** Whether to start with WebSocket when a previous WebSocket connection of this JVM worked. */
  public boolean rememberUpgrade() {
    return rememberUpgrade;
  }

  /** The request path, always ending with {@code /}. */
  public String path() {
    return path;
  }

  /** Query parameters added to every request (the URI's own query merged with {@code query}). */
  public Map<String, String> query() {
    return query;
  }

  /** Headers added to every polling request and to the WebSocket handshake. */
  public Map<String, String> extraHeaders() {
    return extraHeaders;
  }

  /** Bound on each TCP/TLS connection attempt and on the whole handshake. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The TLS context for {@code https}/{@code wss}, if a custom one was given. */
  public Optional<SslContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  /** A shared event loop group, if one was given; otherwise each client owns one thread. */
  public Optional<EventLoopGroup> eventLoopGroup() {
    return Optional.ofNullable(eventLoopGroup);
  }

  /** Whether polling requests carry a cache-busting parameter. */
  public boolean timestampRequests() {
    return timestampRequests;
  }

  /** Name of the cache-busting parameter, {@code t}. */
  public String timestampParam() {
    return timestampParam;
  }

  /** The largest polling response or WebSocket message accepted from the server, in bytes. */
  public int maxIncomingPayload() {
    return maxIncomingPayload;
  }

  /**
   * The Engine.IO protocol revision spoken: 4 (the default, servers of Socket.IO 3 and later) or 3
   * (servers of Socket.IO 2.x, and later servers with {@code allowEIO3}).
   */
  public int protocolVersion() {
    return protocolVersion;
  }

  /**
   * Whether the client keeps a cookie jar (the reference's {@code withCredentials} in Node):
   * cookies set by polling responses are sent back on later polling requests and on the WebSocket
   * handshake, so that a load balancer's sticky cookie keeps a session on its node.
   */
  public boolean withCredentials() {
    return withCredentials;
  }

  /** Whether a failed handshake over one transport is retried over the next allowed one. */
  public boolean tryAllTransports() {
    return tryAllTransports;
  }

  /**
   * Whether binary messages travel as base64 text ({@code b...}) on every transport, announced to
   * the server with {@code b64=1}, which then answers in base64 too.
   */
  public boolean forceBase64() {
    return forceBase64;
  }

  /** The WebSocket compression offered to the server, if any (off by default). */
  public Optional<PerMessageDeflate> perMessageDeflate() {
    return Optional.ofNullable(perMessageDeflate);
  }

  /** The HTTP proxy every connection goes through (as a CONNECT tunnel), if any. */
  public Optional<Proxy> proxy() {
    return Optional.ofNullable(proxy);
  }

  /**
   * The permessage-deflate WebSocket extension as the client offers it: messages smaller than
   * {@code threshold} bytes, and those sent with {@code compress=false}, go uncompressed (the
   * reference's {@code perMessageDeflate: {threshold}}, default 1024); an inflated message larger
   * than {@link EngineIoClientOptions#maxIncomingPayload()} fails the connection.
   *
   * <p>Thread-safety: immutable.
   *
   * @param threshold the smallest encoded message, in bytes, that is compressed
   */
  public record PerMessageDeflate(int threshold) {
    /** The reference's default threshold, 1024 bytes. */
    public static final int DEFAULT_THRESHOLD = 1024;

    /** Validates the threshold. */
    public PerMessageDeflate {
      if (threshold < 0) {
        throw new IllegalArgumentException("threshold must be >= 0");
      }
    }

    /** Compression with the reference's default threshold. */
    public static PerMessageDeflate defaults() {
      return new PerMessageDeflate(DEFAULT_THRESHOLD);
    }
  }

  /**
   * An HTTP proxy reached with {@code CONNECT host:port} for every connection (polling and
   * WebSocket, plain or TLS: TLS runs end to end inside the tunnel), with optional Basic
   * credentials.
   *
   * <p>Thread-safety: immutable.
   *
   * @param host the proxy's host name or address
   * @param port the proxy's port
   * @param username Basic authentication user, if the proxy requires it
   * @param password Basic authentication password (present with {@code username})
   */
  public record Proxy(String host, int port, Optional<String> username, Optional<String> password) {
    /** Validates the address and that credentials come in pairs. */
    public Proxy {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (port <= 0 || port > 65535) {
        throw new IllegalArgumentException("proxy port out of range: " + port);
      }
      if (username.isPresent() != password.isPresent()) {
        throw new IllegalArgumentException("proxy username and password go together");
      }
    }

    /** A proxy without authentication. */
    public static Proxy of(String host, int port) {
      return new Proxy(host, port, Optional.empty(), Optional.empty());
    }

    /** A proxy with Basic authentication. */
    public static Proxy of(String host, int port, String username, String password) {
      return new Proxy(host, port, Optional.of(username), Optional.of(password));
    }

    @Override
    public String toString() {
      // The password stays out of logs.
      return "Proxy[" + host + ":" + port + username.map(u -> ", user " + u).orElse("") + "]";
    }
  }

  private static String scheme(URI uri) {
    return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
  }

  static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(decode(k), decode(v));
    }
    return out;
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /**
   * Builds {@link EngineIoClientOptions}.
   *
   * <p>Thread-safety: not thread-safe; use from one thread.
   */
  public static final class Builder {
    private URI uri;
    private List<TransportType> transports =
        new ArrayList<>(List.of(TransportType.POLLING, TransportType.WEBSOCKET));
    private boolean upgrade = true;
    private boolean rememberUpgrade;
    private String path = DEFAULT_PATH;
    private Map<String, String> query = new LinkedHashMap<>();
    private Map<String, String> extraHeaders = new LinkedHashMap<>();
    private Duration connectTimeout = Duration.ofSeconds(20);
    private SslContext sslContext;
    private EventLoopGroup eventLoopGroup;
    private boolean timestampRequests = true;
    private String timestampParam = "t";
    private int maxIncomingPayload = 64 * 1024 * 1024;
    private int protocolVersion = 4;
    private boolean withCredentials;
    private boolean tryAllTransports;
    private boolean forceBase64;
    private PerMessageDeflate perMessageDeflate;
    private Proxy proxy;

    private Builder() {}

    /** The server, e.g. {@code http://localhost:3000}; required. */
    public Builder uri(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /**
     * Allowed transports in order of preference: polling and WebSocket (this client has no
     * WebTransport; {@link TransportType#WEBTRANSPORT} is refused).
     */
    public Builder transports(List<TransportType> transports) {
      if (transports.contains(TransportType.WEBTRANSPORT)) {
        throw new IllegalArgumentException("the Java client does not speak WebTransport");
      }
      this.transports = new ArrayList<>(transports);
      return this;
    }

    /** Allowed transports in order of preference. */
    public Builder transports(TransportType... transports) {
      return transports(List.of(transports));
    }

    public Builder upgrade(boolean upgrade) {
      this.upgrade = upgrade;
      return this;
    }

    public Builder rememberUpgrade(boolean rememberUpgrade) {
      this.rememberUpgrade = rememberUpgrade;
      return this;
    }

    /** The request path, default {@code /engine.io}; a trailing slash is added. */
    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /** Replaces the extra query parameters. */
    public Builder query(Map<String, String> query) {
      this.query = new LinkedHashMap<>(query);
      return this;
    }

    /** Adds one query parameter. */
    public Builder query(String name, String value) {
      this.query.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    /** Replaces the extra headers. */
    public Builder extraHeaders(Map<String, String> headers) {
      this.extraHeaders = new LinkedHashMap<>(headers);
      return this;
    }

    /** Adds one header to every request. */
    public Builder extraHeader(String name, String value) {
      this.extraHeaders.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive");
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** TLS configuration (trust, client certificates) as a Netty client {@link SslContext}. */
    public Builder sslContext(SslContext sslContext) {
      if (!sslContext.isClient()) {
        throw new IllegalArgumentException("a client SslContext is required");
      }
      this.sslContext = sslContext;
      return this;
    }

    /** TLS configuration as a JDK {@link SSLContext} (e.g. built from a custom trust store). */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext =
          new JdkSslContext(
              sslContext,
              true,
              null,
              IdentityCipherSuiteFilter.INSTANCE,
              ApplicationProtocolConfig.DISABLED,
              ClientAuth.NONE,
              null,
              false);
      return this;
    }

    /**
     * Runs the client on a loop of this group instead of a thread of its own. The group must be
     * NIO-based ({@code NioIoHandler}) and is not shut down by the client.
     */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.eventLoopGroup = Objects.requireNonNull(group, "group");
      return this;
    }

    public Builder timestampRequests(boolean timestampRequests) {
      this.timestampRequests = timestampRequests;
      return this;
    }

    public Builder timestampParam(String timestampParam) {
      this.timestampParam = Objects.requireNonNull(timestampParam);
      return this;
    }

    public Builder maxIncomingPayload(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxIncomingPayload must be positive");
      }
      this.maxIncomingPayload = bytes;
      return this;
    }

    /** Keeps a per-client cookie jar (default false); see {@link #withCredentials()}. */
    public Builder withCredentials(boolean withCredentials) {
      this.withCredentials = withCredentials;
      return this;
    }

    /** Retries a failed handshake over the next allowed transport (default false). */
    public Builder tryAllTransports(boolean tryAllTransports) {
      this.tryAllTransports = tryAllTransports;
      return this;
    }

    /** Sends and receives binary messages as base64 text (default false). */
    public Builder forceBase64(boolean forceBase64) {
      this.forceBase64 = forceBase64;
      return this;
    }

    /** Offers permessage-deflate on the WebSocket (default: not offered). */
    public Builder perMessageDeflate(PerMessageDeflate perMessageDeflate) {
      this.perMessageDeflate = Objects.requireNonNull(perMessageDeflate, "perMessageDeflate");
      return this;
    }

    /** Connects through this HTTP proxy (CONNECT); default: directly. */
    public Builder proxy(Proxy proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    /**
     * The Engine.IO protocol revision, 4 (default) or 3: with 3 the client speaks as the reference
     * client 3.x (the one of {@code socket.io-client} 2.x) does: {@code EIO=3}, length-prefixed
     * polling payloads (binary ones as {@code application/octet-stream}), the packet type in
     * WebSocket binary frames, and a heartbeat the client drives (a {@code ping} every {@code
     * pingInterval}, the connection closed when no {@code pong} comes within {@code pingTimeout}).
     *
     * @throws IllegalArgumentException for another revision
     */
    public Builder protocolVersion(int version) {
      if (version != 3 && version != 4) {
        throw new IllegalArgumentException("protocolVersion must be 3 or 4: " + version);
      }
      this.protocolVersion = version;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the URI is missing or not http(s)/ws(s), or no transport
     *     is allowed
     */
    public EngineIoClientOptions build() {
      return new EngineIoClientOptions(this);
    }
  }
}
