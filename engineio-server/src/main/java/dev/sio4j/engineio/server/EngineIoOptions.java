package dev.sio4j.engineio.server;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.internal.Base64Id;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The options of an Engine.IO server, with the reference server's defaults. Build with {@link
 * #builder()}, derive a variant with {@link #toBuilder()}.
 *
 * <p>Thread-safety: immutable.
 */
public final class EngineIoOptions {
  /** The least {@link #maxBufferedBytes()}: a WebSocket channel's high water mark. */
  static final long MIN_BUFFERED_BYTES = 65_536;

  private final String path;
  private final boolean addTrailingSlash;
  private final Set<TransportType> transports;
  private final EnumSet<TransportType> requestedTransports;
  private final WebTransportOptions webTransport;
  private final boolean allowUpgrades;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final Duration upgradeTimeout;
  private final int maxHttpBufferSize;
  private final AllowRequest allowRequest;
  private final CorsOptions cors;
  private final CookieOptions cookie;
  private final List<HeadersHook> initialHeaders;
  private final List<HeadersHook> headers;
  private final boolean allowEIO3;
  private final boolean httpCompression;
  private final int httpCompressionThreshold;
  private final boolean perMessageDeflate;
  private final int perMessageDeflateThreshold;
  private final String initialPacket;
  private final Function<EngineIoRequest, String> idGenerator;
  private final long maxBufferedBytes;
  private final int maxBufferedPackets;
  private final SlowConsumerPolicy slowConsumerPolicy;
  private final Duration closeTimeout;
  private final HttpLimits httpLimits;
  private final boolean checkOrigin;

  private EngineIoOptions(Builder b) {
    this.path = b.path;
    this.addTrailingSlash = b.addTrailingSlash;
    this.requestedTransports = EnumSet.copyOf(b.transports);
    this.webTransport = b.webTransport;
    EnumSet<TransportType> effective = EnumSet.copyOf(b.transports);
    if (b.webTransport == null) {
      // WebTransport needs its own listener: without one the transport cannot be offered.
      effective.remove(TransportType.WEBTRANSPORT);
    }
    if (effective.isEmpty()) {
      throw new IllegalArgumentException("webtransport alone needs webTransport(...) options");
    }
    this.transports = Collections.unmodifiableSet(effective);
    this.allowUpgrades = b.allowUpgrades;
    this.pingInterval = b.pingInterval;
    this.pingTimeout = b.pingTimeout;
    this.upgradeTimeout = b.upgradeTimeout;
    this.maxHttpBufferSize = b.maxHttpBufferSize;
    this.allowRequest = b.allowRequest;
    this.cors = b.cors;
    this.cookie = b.cookie;
    this.initialHeaders = List.copyOf(b.initialHeaders);
    this.headers = List.copyOf(b.headers);
    this.allowEIO3 = b.allowEIO3;
    this.httpCompression = b.httpCompression;
    this.httpCompressionThreshold = b.httpCompressionThreshold;
    this.perMessageDeflate = b.perMessageDeflate;
    this.perMessageDeflateThreshold = b.perMessageDeflateThreshold;
    this.initialPacket = b.initialPacket;
    this.idGenerator = b.idGenerator;
    this.maxBufferedBytes = b.maxBufferedBytes;
    this.maxBufferedPackets = b.maxBufferedPackets;
    this.slowConsumerPolicy = b.slowConsumerPolicy;
    this.closeTimeout = b.closeTimeout;
    this.httpLimits = b.httpLimits;
    this.checkOrigin = b.checkOrigin;
  }

  public static EngineIoOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.path = path;
    b.addTrailingSlash = addTrailingSlash;
    b.transports = EnumSet.copyOf(requestedTransports);
    b.webTransport = webTransport;
    b.allowUpgrades = allowUpgrades;
    b.pingInterval = pingInterval;
    b.pingTimeout = pingTimeout;
    b.upgradeTimeout = upgradeTimeout;
    b.maxHttpBufferSize = maxHttpBufferSize;
    b.allowRequest = allowRequest;
    b.cors = cors;
    b.cookie = cookie;
    b.initialHeaders = new ArrayList<>(initialHeaders);
    b.headers = new ArrayList<>(headers);
    b.allowEIO3 = allowEIO3;
    b.httpCompression = httpCompression;
    b.httpCompressionThreshold = httpCompressionThreshold;
    b.perMessageDeflate = perMessageDeflate;
    b.perMessageDeflateThreshold = perMessageDeflateThreshold;
    b.initialPacket = initialPacket;
    b.idGenerator = idGenerator;
    b.maxBufferedBytes = maxBufferedBytes;
    b.maxBufferedPackets = maxBufferedPackets;
    b.slowConsumerPolicy = slowConsumerPolicy;
    b.closeTimeout = closeTimeout;
    b.httpLimits = httpLimits;
    b.checkOrigin = checkOrigin;
    return b;
  }

  /** The path as configured, e.g. {@code /engine.io}. */
  public String path() {
    return path;
  }

  /**
   * The prefix requests are matched against: the path without a trailing slash, plus a slash when
   * {@code addTrailingSlash} (the default), as the reference computes it.
   */
  public String matchPath() {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return addTrailingSlash ? p + "/" : p;
  }

  public boolean addTrailingSlash() {
    return addTrailingSlash;
  }

  /**
   * The transports the server accepts. {@link TransportType#WEBTRANSPORT} is among them only when
   * {@link #webTransport()} is set (and the transports asked for include it, as they do by
   * default).
   */
  public Set<TransportType> transports() {
    return transports;
  }

  /** The WebTransport (HTTP/3) listener; empty, the default, when WebTransport is off. */
  public Optional<WebTransportOptions> webTransport() {
    return Optional.ofNullable(webTransport);
  }

  public boolean allowUpgrades() {
    return allowUpgrades;
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public Duration pingTimeout() {
    return pingTimeout;
  }

  public Duration upgradeTimeout() {
    return upgradeTimeout;
  }

  /**
   * The largest polling body or WebSocket message accepted, in bytes (default 1e6). A WebSocket
   * message counts whole (all its frames) and, with permessage-deflate, decompressed; one over the
   * limit closes the WebSocket with 1009 and the session with {@code transport error}, as the
   * reference's {@code maxPayload} does. Inflation stops as soon as a message passes the limit, so
   * a small compressed message that would inflate to gigabytes costs no more than the limit.
   */
  public int maxHttpBufferSize() {
    return maxHttpBufferSize;
  }

  public Optional<AllowRequest> allowRequest() {
    return Optional.ofNullable(allowRequest);
  }

  public Optional<CorsOptions> cors() {
    return Optional.ofNullable(cors);
  }

  public Optional<CookieOptions> cookie() {
    return Optional.ofNullable(cookie);
  }

  public List<HeadersHook> initialHeaders() {
    return initialHeaders;
  }

  public List<HeadersHook> headers() {
    return headers;
  }

  public boolean allowEIO3() {
    return allowEIO3;
  }

  public boolean httpCompression() {
    return httpCompression;
  }

  public int httpCompressionThreshold() {
    return httpCompressionThreshold;
  }

  public boolean perMessageDeflate() {
    return perMessageDeflate;
  }

  public int perMessageDeflateThreshold() {
    return perMessageDeflateThreshold;
  }

  public Optional<String> initialPacket() {
    return Optional.ofNullable(initialPacket);
  }

  /** Generates the id of each new session. */
  public Function<EngineIoRequest, String> idGenerator() {
    return idGenerator;
  }

  /**
   * The most a session may hold for a client that reads too slowly, in bytes (default 10,000,000):
   * what waits in the session's buffer plus what its WebSocket channel holds unwritten. Beyond it
   * the {@link #slowConsumerPolicy()} applies. A single message larger than the bound is still sent
   * when nothing else waits. Not in the reference, whose buffers are unbounded.
   */
  public long maxBufferedBytes() {
    return maxBufferedBytes;
  }

  /**
   * The most packets a session's buffer may hold for a slow client (default 100,000, as many as
   * connection state recovery replays at most): bounds the bookkeeping of many small packets, which
   * {@link #maxBufferedBytes()} alone would not.
   */
  public int maxBufferedPackets() {
    return maxBufferedPackets;
  }

  /** What happens when a session's outbound buffer is full; {@code DISCONNECT} by default. */
  public SlowConsumerPolicy slowConsumerPolicy() {
    return slowConsumerPolicy;
  }

  /**
   * How long a closing transport may take to deliver its goodbye before the connection is dropped
   * (default 30 s, the reference's polling {@code closeTimeout} and its WebSocket server's close
   * timeout): polling waits that long for the next GET to carry the close packet, a WebSocket that
   * long for its close frame to be written.
   */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** Timeouts and size limits of the server's HTTP connections ({@link HttpLimits#defaults()}). */
  public HttpLimits httpLimits() {
    return httpLimits;
  }

  /**
   * Whether requests from foreign browser origins are refused (on by default, unlike the
   * reference). A request whose {@code Origin} header is neither its own origin (the host and port
   * of its {@code Host} header) nor allowed by {@link #cors()} is refused with error 4 {@code
   * Forbidden} (403 and the JSON error body on polling, the raw 400 of a refused upgrade on
   * WebSocket), so that a page of another site cannot open a session with its visitor's cookies
   * (cross-site WebSocket hijacking). Requests without {@code Origin} (clients outside a browser)
   * are not affected.
   */
  public boolean checkOrigin() {
    return checkOrigin;
  }

  /** Builder of {@link EngineIoOptions}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private String path = "/engine.io";
    private boolean addTrailingSlash = true;
    private EnumSet<TransportType> transports = EnumSet.allOf(TransportType.class);
    private boolean allowUpgrades = true;
    private Duration pingInterval = Duration.ofMillis(25_000);
    private Duration pingTimeout = Duration.ofMillis(20_000);
    private Duration upgradeTimeout = Duration.ofMillis(10_000);
    private int maxHttpBufferSize = 1_000_000;
    private AllowRequest allowRequest;
    private CorsOptions cors;
    private CookieOptions cookie;
    private List<HeadersHook> initialHeaders = new ArrayList<>();
    private List<HeadersHook> headers = new ArrayList<>();
    private boolean allowEIO3;
    private boolean httpCompression = true;
    private int httpCompressionThreshold = 1024;
    private boolean perMessageDeflate;
    private int perMessageDeflateThreshold = 1024;
    private String initialPacket;
    private Function<EngineIoRequest, String> idGenerator = r -> Base64Id.generate();
    private long maxBufferedBytes = 10_000_000;
    private int maxBufferedPackets = 100_000;
    private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.DISCONNECT;
    private Duration closeTimeout = Duration.ofMillis(30_000);
    private HttpLimits httpLimits = HttpLimits.defaults();
    private boolean checkOrigin = true;
    private WebTransportOptions webTransport;

    private Builder() {}

    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      this.path = path.startsWith("/") ? path : "/" + path;
      return this;
    }

    public Builder addTrailingSlash(boolean addTrailingSlash) {
      this.addTrailingSlash = addTrailingSlash;
      return this;
    }

    public Builder transports(TransportType... transports) {
      if (transports.length == 0) {
        throw new IllegalArgumentException("at least one transport is needed");
      }
      this.transports = EnumSet.of(transports[0], transports);
      return this;
    }

    public Builder allowUpgrades(boolean allowUpgrades) {
      this.allowUpgrades = allowUpgrades;
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = positive(pingInterval, "pingInterval");
      return this;
    }

    public Builder pingTimeout(Duration pingTimeout) {
      this.pingTimeout = positive(pingTimeout, "pingTimeout");
      return this;
    }

    public Builder upgradeTimeout(Duration upgradeTimeout) {
      this.upgradeTimeout = positive(upgradeTimeout, "upgradeTimeout");
      return this;
    }

    public Builder maxHttpBufferSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxHttpBufferSize must be positive");
      }
      this.maxHttpBufferSize = bytes;
      return this;
    }

    /** Checks every handshake; null removes the check. */
    public Builder allowRequest(AllowRequest allowRequest) {
      this.allowRequest = allowRequest;
      return this;
    }

    /** CORS for every request; null (the default) sends no CORS header. */
    public Builder cors(CorsOptions cors) {
      this.cors = cors;
      return this;
    }

    /** A session cookie on the handshake response; null (the default) sets none. */
    public Builder cookie(CookieOptions cookie) {
      this.cookie = cookie;
      return this;
    }

    public Builder addInitialHeaders(HeadersHook hook) {
      this.initialHeaders.add(Objects.requireNonNull(hook));
      return this;
    }

    public Builder addHeaders(HeadersHook hook) {
      this.headers.add(Objects.requireNonNull(hook));
      return this;
    }

    /** Accept Engine.IO v3 clients (Socket.IO 2.x). Off by default. */
    public Builder allowEIO3(boolean allowEIO3) {
      this.allowEIO3 = allowEIO3;
      return this;
    }

    /** gzip/deflate of polling responses of at least {@code threshold} bytes; on by default. */
    public Builder httpCompression(boolean enabled, int threshold) {
      this.httpCompression = enabled;
      this.httpCompressionThreshold = threshold;
      return this;
    }

    /** WebSocket permessage-deflate; off by default, as in the reference. */
    public Builder perMessageDeflate(boolean enabled) {
      this.perMessageDeflate = enabled;
      return this;
    }

    /** Messages smaller than this are not compressed by permessage-deflate (default 1024). */
    public Builder perMessageDeflateThreshold(int bytes) {
      this.perMessageDeflateThreshold = bytes;
      return this;
    }

    /** A message sent to every new session right after its {@code open} packet. */
    public Builder initialPacket(String initialPacket) {
      this.initialPacket = initialPacket;
      return this;
    }

    /** Generates session ids; the default is a 20-character base64id, as the reference. */
    public Builder idGenerator(Function<EngineIoRequest, String> idGenerator) {
      this.idGenerator = Objects.requireNonNull(idGenerator);
      return this;
    }

    /**
     * Bounds what a session holds for a slow client (see {@link
     * EngineIoOptions#maxBufferedBytes()}). At least 65,536: a WebSocket channel alone may hold
     * that much before the session buffers.
     */
    public Builder maxBufferedBytes(long bytes) {
      if (bytes < MIN_BUFFERED_BYTES) {
        throw new IllegalArgumentException(
            "maxBufferedBytes must be at least " + MIN_BUFFERED_BYTES);
      }
      this.maxBufferedBytes = bytes;
      return this;
    }

    /** Bounds the packets a session buffers for a slow client; at least 1. */
    public Builder maxBufferedPackets(int packets) {
      if (packets <= 0) {
        throw new IllegalArgumentException("maxBufferedPackets must be positive");
      }
      this.maxBufferedPackets = packets;
      return this;
    }

    /** What happens when a session's outbound buffer is full. */
    public Builder slowConsumerPolicy(SlowConsumerPolicy policy) {
      this.slowConsumerPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** How long a closing transport may take before its connection is dropped. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = positive(closeTimeout, "closeTimeout");
      return this;
    }

    /** Timeouts and size limits of HTTP connections; see {@link HttpLimits} for the defaults. */
    public Builder httpLimits(HttpLimits httpLimits) {
      this.httpLimits = Objects.requireNonNull(httpLimits);
      return this;
    }

    /**
     * Refuse requests whose {@code Origin} is foreign and not allowed by CORS (default {@code
     * true}); {@code false} serves every origin, as the reference does. See {@link
     * EngineIoOptions#checkOrigin()}.
     */
    public Builder checkOrigin(boolean checkOrigin) {
      this.checkOrigin = checkOrigin;
      return this;
    }

    /**
     * Accepts WebTransport sessions (HTTP/3 over QUIC, TLS required) on a UDP port, and advertises
     * {@code webtransport} as an upgrade of polling sessions. Off by default. See {@link
     * WebTransportOptions}.
     */
    public Builder webTransport(WebTransportOptions webTransport) {
      this.webTransport = Objects.requireNonNull(webTransport, "webTransport");
      return this;
    }

    public EngineIoOptions build() {
      return new EngineIoOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
