package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.EngineIoError;
import dev.sio4j.engineio.server.EngineIoHandler;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoRequest;
import dev.sio4j.engineio.server.HttpLimits;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The state shared by every channel of one Engine.IO server: options, the application's handler,
 * the sessions by id, and the request router.
 *
 * <p>Not API: public for {@code EngineIoServer}; it may change in any release.
 *
 * <p>Thread-safety: thread-safe; the session map is concurrent, the rest immutable.
 */
public final class EngineIoServerCore {
  private final EngineIoOptions options;
  private final EngineIoHandler handler;
  private final ConcurrentHashMap<String, Session> clients = new ConcurrentHashMap<>();
  private final RequestRouter router;
  // Loaded only when WebTransport is on: its class needs the optional HTTP/3 and QUIC codecs.
  private WebTransportListener webTransport;

  /**
   * Whether the listener runs: only then is {@code webtransport} offered as an upgrade (an
   * application that mounts the HTTP handler in its own server, without {@code start()}, has none).
   */
  private volatile boolean webTransportListening;

  public EngineIoServerCore(EngineIoOptions options, EngineIoHandler handler) {
    this.options = options;
    this.handler = handler;
    this.router = new RequestRouter(this);
  }

  public EngineIoOptions options() {
    return options;
  }

  EngineIoHandler handler() {
    return handler;
  }

  /**
   * A new {@code HttpServerCodec} for one channel of the server's own port, within {@link
   * EngineIoOptions#httpLimits()}'s sizes.
   */
  public ChannelHandler newHttpCodec() {
    HttpLimits limits = options.httpLimits();
    return new HttpServerCodec(
        new HttpDecoderConfig()
            .setMaxInitialLineLength(limits.maxRequestLineLength())
            .setMaxHeaderSize(limits.maxHeaderSize()));
  }

  /**
   * Puts {@link EngineIoOptions#httpLimits()}'s timeouts around the codec named {@code codecName}
   * of one channel of the server's own port.
   */
  public void guardHttp(ChannelPipeline pipeline, String codecName) {
    HttpConnectionGuard.install(pipeline, codecName, options.httpLimits());
  }

  /**
   * The last handler of a channel of the server's own port: it logs an exception no handler took (a
   * network error at DEBUG, anything else at WARN) and closes the connection. Shared.
   */
  public static ChannelHandler lastResortErrorHandler() {
    return NetworkErrors.lastResort();
  }

  /** A new Engine.IO HTTP handler for one channel. */
  public ChannelHandler newHttpHandler() {
    return new EngineIoHttpHandler(router, options.matchPath());
  }

  /**
   * A new permessage-deflate extension handler for one channel, to be placed before the Engine.IO
   * handler when {@link EngineIoOptions#perMessageDeflate()} is on. Frames the transport marks as
   * uncompressed (below the threshold, or sent with {@code compress=false}) skip compression.
   * Inbound messages inflate to at most {@code maxMessageSize} bytes ({@code maxHttpBufferSize}):
   * inflation stops there and the connection closes with 1009.
   */
  public static ChannelHandler newDeflateHandler(int maxMessageSize) {
    return new WebSocketServerExtensionHandler(
        BoundedInflater.bounding(
            new PerMessageDeflateServerExtensionHandshaker(
                6,
                false,
                15,
                false,
                false,
                new WebSocketExtensionFilterProvider() {
                  @Override
                  public WebSocketExtensionFilter encoderFilter() {
                    return frame ->
                        frame instanceof WebSocketTransport.UncompressedTextFrame
                            || frame instanceof WebSocketTransport.UncompressedBinaryFrame;
                  }

                  @Override
                  public WebSocketExtensionFilter decoderFilter() {
                    return WebSocketExtensionFilter.NEVER_SKIP;
                  }
                }),
            maxMessageSize));
  }

  /**
   * Starts the WebTransport listener of {@link EngineIoOptions#webTransport()} on {@code host} (on
   * the UDP port numbered as {@code tcpPort} unless the options name another); completes with its
   * UDP port, or with empty when WebTransport is off. Fails when the HTTP/3 and QUIC codecs are
   * missing or the port cannot be bound.
   */
  public synchronized CompletableFuture<OptionalInt> startWebTransport(String host, int tcpPort) {
    if (options.webTransport().isEmpty()) {
      return CompletableFuture.completedFuture(OptionalInt.empty());
    }
    if (webTransport == null) {
      webTransport = new WebTransportListener(this, options.webTransport().get());
    }
    return webTransport
        .start(host, tcpPort)
        .thenApply(
            port -> {
              webTransportListening = true;
              return OptionalInt.of(port);
            });
  }

  /** Stops the WebTransport listener, if any. */
  public synchronized CompletableFuture<Void> closeWebTransport() {
    WebTransportListener l = webTransport;
    webTransport = null;
    webTransportListening = false;
    return l == null ? CompletableFuture.completedFuture(null) : l.close();
  }

  Session session(String sid) {
    return clients.get(sid);
  }

  void add(Session session) {
    clients.put(session.id(), session);
  }

  void remove(Session session) {
    clients.remove(session.id(), session);
  }

  public int clientsCount() {
    return clients.size();
  }

  /**
   * Closes every session on its loop without waiting for its buffer (the reference's {@code
   * close()} discards them); completes once each loop has done so, or after 5 seconds.
   */
  public CompletableFuture<Void> closeAll() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Session s : sessions()) {
      CompletableFuture<Void> c = new CompletableFuture<>();
      try {
        s.loop()
            .execute(
                () -> {
                  try {
                    s.close(true);
                  } finally {
                    c.complete(null);
                  }
                });
      } catch (RuntimeException e) {
        c.complete(null);
      }
      closing.add(c);
    }
    return CompletableFuture.allOf(closing.toArray(new CompletableFuture[0]))
        .completeOnTimeout(null, 5, TimeUnit.SECONDS);
  }

  Collection<Session> sessions() {
    return new ArrayList<>(clients.values());
  }

  /** The upgrades advertised to a session opened on {@code transport}. */
  List<String> upgrades(TransportType transport) {
    List<String> upgrades = new ArrayList<>(2);
    if (options.allowUpgrades()
        && transport == TransportType.POLLING
        && options.transports().contains(TransportType.WEBSOCKET)) {
      upgrades.add(TransportType.WEBSOCKET.wireName());
    }
    if (options.allowUpgrades()
        && transport == TransportType.POLLING
        && options.transports().contains(TransportType.WEBTRANSPORT)
        && webTransportListening) {
      // After websocket, as the reference lists them; the client prefers webtransport anyway.
      upgrades.add(TransportType.WEBTRANSPORT.wireName());
    }
    return upgrades;
  }

  void connectionError(EngineIoRequest request, EngineIoError error, String message) {
    try {
      handler.onConnectionError(request, error, message != null ? message : error.message());
    } catch (RuntimeException ignored) {
      // A failing observer must not change how the request is answered.
    }
  }
}
