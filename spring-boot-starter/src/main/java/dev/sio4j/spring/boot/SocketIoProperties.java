package dev.sio4j.spring.boot;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code sio4j.*} properties of the Socket.IO server the starter configures. Defaults are the
 * Socket.IO reference's, except where a Spring Boot convention says otherwise (noted per property).
 * Values are checked when they are bound: a bad one fails the application's startup with a message
 * naming the property.
 *
 * <p>Thread-safety: immutable.
 *
 * @param enabled Whether to create the Socket.IO server at all.
 * @param mode Where the server listens: "auto" serves on the application's own port when the
 *     application is a WebFlux application on Reactor Netty, or a servlet application (Spring MVC
 *     on Tomcat or Jetty) with engineio-servlet on the classpath, and on "sio4j.port" otherwise;
 *     "standalone" always listens on "sio4j.port"; "reactor-netty" and "servlet" always attach to
 *     the application's server of that kind (failing startup when there is none).
 * @param host The address the standalone server binds. Spring Boot's convention (every interface,
 *     as "server.address" when unset) rather than the core's loopback default.
 * @param port The port of the standalone server; 0 picks a free one.
 * @param path The path Socket.IO is served under, as the client's "path" option.
 * @param serveClient Whether to serve the official browser client under the path
 *     ("/socket.io/socket.io.min.js" and the other builds), in both modes.
 * @param transports The transports offered to clients, among "polling" and "websocket".
 * @param allowUpgrades Whether a polling session may upgrade to WebSocket.
 * @param pingInterval How often the server pings a client.
 * @param pingTimeout How long the server waits for a pong before closing the connection.
 * @param upgradeTimeout How long an upgrade to WebSocket may take.
 * @param connectTimeout A connection that joins no namespace in this time is closed.
 * @param maxHttpBufferSize The largest message (or polling request body) a client may send.
 * @param maxBufferedBytes The most bytes waiting to be written to one slow client before it is
 *     disconnected.
 * @param perMessageDeflate Whether to compress WebSocket messages (permessage-deflate).
 * @param httpCompression Whether to gzip polling responses the client accepts compressed.
 * @param allowEio3 Whether to accept Engine.IO v3 clients (Socket.IO 2 clients).
 * @param ioThreads The event loops of the standalone server; 0 means one per core.
 * @param shutdownTimeout How long closing the application context waits for the server to
 *     disconnect its clients ("server shutting down") and release its port.
 * @param parser The wire format: "json" (the default parser) or "msgpack" (needs {@code
 *     socketio-parser-msgpack}; clients must use "socket.io-msgpack-parser").
 * @param adapter The adapter of every namespace: "memory" (one node), or "redis", "redis-sharded",
 *     "redis-streams" (needs "socketio-redis-adapter"; the Redis connection comes from the
 *     application's "spring.data.redis.*" properties).
 * @param cors Cross-origin requests from browsers.
 * @param recovery Connection state recovery.
 */
@ConfigurationProperties("sio4j")
public record SocketIoProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("auto") Mode mode,
    @DefaultValue("0.0.0.0") String host,
    @DefaultValue("3000") int port,
    @DefaultValue("/socket.io") String path,
    @DefaultValue("true") boolean serveClient,
    @DefaultValue({"polling", "websocket"}) List<String> transports,
    @DefaultValue("true") boolean allowUpgrades,
    @DefaultValue("25s") Duration pingInterval,
    @DefaultValue("20s") Duration pingTimeout,
    @DefaultValue("10s") Duration upgradeTimeout,
    @DefaultValue("45s") Duration connectTimeout,
    @DefaultValue("1000000B") DataSize maxHttpBufferSize,
    @DefaultValue("10000000B") DataSize maxBufferedBytes,
    @DefaultValue("false") boolean perMessageDeflate,
    @DefaultValue("true") boolean httpCompression,
    @DefaultValue("false") boolean allowEio3,
    @DefaultValue("0") int ioThreads,
    @DefaultValue("10s") Duration shutdownTimeout,
    @DefaultValue("json") Parser parser,
    @DefaultValue("memory") AdapterKind adapter,
    @DefaultValue Cors cors,
    @DefaultValue Recovery recovery) {

  /** Checks every value, naming the property of the first bad one. */
  public SocketIoProperties {
    require(path != null && !path.isBlank(), "sio4j.path", "must not be empty", path);
    require(port >= 0 && port <= 65_535, "sio4j.port", "must be between 0 and 65535", port);
    require(host != null && !host.isBlank(), "sio4j.host", "must not be empty", host);
    transports = List.copyOf(transports);
    require(!transports.isEmpty(), "sio4j.transports", "needs at least one transport", transports);
    for (String t : transports) {
      require(
          t.equals("polling") || t.equals("websocket"),
          "sio4j.transports",
          "must be polling or websocket",
          t);
    }
    positive(pingInterval, "sio4j.ping-interval");
    positive(pingTimeout, "sio4j.ping-timeout");
    positive(upgradeTimeout, "sio4j.upgrade-timeout");
    positive(connectTimeout, "sio4j.connect-timeout");
    positive(shutdownTimeout, "sio4j.shutdown-timeout");
    require(
        maxHttpBufferSize.toBytes() > 0 && maxHttpBufferSize.toBytes() <= Integer.MAX_VALUE,
        "sio4j.max-http-buffer-size",
        "must be between 1 B and 2 GB",
        maxHttpBufferSize);
    require(
        maxBufferedBytes.toBytes() >= 65_536,
        "sio4j.max-buffered-bytes",
        "must be at least 64KB",
        maxBufferedBytes);
    require(ioThreads >= 0, "sio4j.io-threads", "must not be negative", ioThreads);
  }

  private static void positive(Duration d, String property) {
    require(d != null && !d.isNegative() && !d.isZero(), property, "must be positive", d);
  }

  static void require(boolean ok, String property, String rule, Object value) {
    if (!ok) {
      throw new InvalidPropertyException(property, rule, value);
    }
  }

  /**
   * Where the server listens (see {@link SocketIoProperties#mode()}).
   *
   * <p>Thread-safety: immutable.
   */
  public enum Mode {
    /**
     * Reactor Netty when the application is WebFlux on it, the servlet container when it is a
     * servlet application and engineio-servlet is there, else standalone.
     */
    AUTO,
    /** Its own port ({@code sio4j.host}, {@code sio4j.port}). */
    STANDALONE,
    /** The application's Reactor Netty server, its port and its event loops. */
    REACTOR_NETTY,
    /** The application's servlet container (engineio-servlet), its port. */
    SERVLET
  }

  /**
   * The wire format (see {@link SocketIoProperties#parser()}).
   *
   * <p>Thread-safety: immutable.
   */
  public enum Parser {
    /** The default JSON parser. */
    JSON,
    /** The msgpack parser of {@code socketio-parser-msgpack}. */
    MSGPACK
  }

  /**
   * The namespaces' adapter (see {@link SocketIoProperties#adapter()}).
   *
   * <p>Thread-safety: immutable.
   */
  public enum AdapterKind {
    /** In memory: one node. */
    MEMORY("memory"),
    /** Redis classic pub/sub. */
    REDIS("redis"),
    /** Redis sharded pub/sub (Redis 7). */
    REDIS_SHARDED("redis-sharded"),
    /** Redis streams, with connection state recovery across nodes. */
    REDIS_STREAMS("redis-streams");

    private final String wireName;

    AdapterKind(String wireName) {
      this.wireName = wireName;
    }

    /** The name {@code RedisAdapters.byName} knows. */
    public String wireName() {
      return wireName;
    }
  }

  /**
   * Cross-origin requests ({@code sio4j.cors.*}); off while {@code allowed-origins} is empty.
   *
   * <p>Thread-safety: immutable.
   *
   * @param allowedOrigins The origins allowed to connect from a browser page; "*" allows every
   *     origin.
   * @param allowCredentials Whether browsers may send cookies with cross-origin requests.
   * @param allowedHeaders The request headers allowed; empty reflects what the browser asks for.
   * @param exposedHeaders The response headers exposed to the page.
   * @param maxAge How long browsers may cache a preflight answer; unset: not cached.
   */
  public record Cors(
      @DefaultValue List<String> allowedOrigins,
      @DefaultValue("false") boolean allowCredentials,
      @DefaultValue List<String> allowedHeaders,
      @DefaultValue List<String> exposedHeaders,
      Duration maxAge) {

    /** Checks the values, naming the property of the first bad one. */
    public Cors {
      allowedOrigins = List.copyOf(allowedOrigins);
      allowedHeaders = List.copyOf(allowedHeaders);
      exposedHeaders = List.copyOf(exposedHeaders);
      require(
          !(allowCredentials && allowedOrigins.contains("*")),
          "sio4j.cors.allow-credentials",
          "cannot be combined with allowed-origins=*",
          allowCredentials);
      require(
          maxAge == null || !maxAge.isNegative(),
          "sio4j.cors.max-age",
          "must not be negative",
          maxAge);
    }
  }

  /**
   * Connection state recovery ({@code sio4j.recovery.*}): a client that lost its connection gets
   * back its id, rooms and the events it missed.
   *
   * <p>Thread-safety: immutable.
   *
   * @param enabled Whether to turn recovery on.
   * @param maxDisconnectionDuration How long a disconnected session is kept for recovery.
   * @param skipMiddlewares Whether a recovered socket skips the connection middlewares.
   * @param maxPackets The most broadcast packets kept per namespace for replay.
   */
  public record Recovery(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("2m") Duration maxDisconnectionDuration,
      @DefaultValue("true") boolean skipMiddlewares,
      @DefaultValue("100000") int maxPackets) {

    /** Checks the values, naming the property of the first bad one. */
    public Recovery {
      positive(maxDisconnectionDuration, "sio4j.recovery.max-disconnection-duration");
      require(maxPackets > 0, "sio4j.recovery.max-packets", "must be positive", maxPackets);
    }
  }
}
