package dev.sio4j.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.common.Subscription;
import dev.sio4j.common.internal.CallbackContext;
import dev.sio4j.common.internal.Listeners;
import dev.sio4j.engineio.client.CloseReason;
import dev.sio4j.engineio.client.EngineIoClient;
import dev.sio4j.engineio.client.EngineIoClientOptions;
import dev.sio4j.engineio.client.EngineIoListener;
import dev.sio4j.engineio.client.Handshake;
import dev.sio4j.engineio.client.internal.ClientLoop;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.SioPacketType;
import dev.sio4j.socketio.parser.SioParser;
import dev.sio4j.socketio.parser.SocketIoParseException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO client: the reference's {@code Manager}. It owns one Engine.IO connection that all
 * its namespace sockets ({@link #socket(String)}) share, and reconnects with exponential backoff
 * when that connection is lost.
 *
 * <pre>{@code
 * SocketIoClient client = SocketIoClient.builder().uri(URI.create("http://localhost:3000")).build();
 * ClientSocket socket = client.socket("/");
 * socket.on("chat", args -> System.out.println(args.get(0, String.class)));
 * socket.timeout(Duration.ofSeconds(5)).emitWithAck("hello", 1, 2)
 *     .thenAccept(reply -> System.out.println(reply.get(0, String.class)));
 * ...
 * client.close().join();
 * }</pre>
 *
 * <p>Reconnection (REFERENCE §3.6): after the connection closes (and after a failed first open),
 * attempt {@code n} waits {@code reconnectionDelay * 2^(n-1)}, randomised by {@code
 * randomizationFactor} and capped at {@code reconnectionDelayMax}; the events are {@code
 * reconnect_attempt(n)}, then {@code reconnect_error} or {@code reconnect(n)}, and {@code
 * reconnect_failed} once {@code reconnectionAttempts} are used up. On reconnection every active
 * socket sends its CONNECT again (re-evaluating its auth supplier) and then its buffered emits.
 *
 * <p>Threading: every client has one event thread (its own, or a loop of the shared {@link
 * Builder#eventLoopGroup}). All callbacks of the client and its sockets (manager events, socket
 * events, acks, {@code CompletableFuture} completions of {@code emitWithAck}) run on that thread,
 * one at a time, in the order things happen; they must not block. No call requires blocking. The
 * future of {@link #close()} is the exception: it completes once a thread the client owned has
 * ended, so on another thread.
 *
 * <p>Thread-safety: thread-safe. Every method may be called from any thread; calls from other
 * threads are queued onto the event thread in call order.
 */
public final class SocketIoClient {
  private static final Logger log = LoggerFactory.getLogger(SocketIoClient.class);

  /** Names the client's own listeners (open, close, error...) when one throws: no socket there. */
  private static final CallbackContext MANAGER_CONTEXT =
      new CallbackContext() {
        @Override
        public String namespace() {
          return "-";
        }

        @Override
        public String socketId() {
          return "-";
        }

        @Override
        public Logger logger() {
          return log;
        }
      };

  private final CallbackContext context = MANAGER_CONTEXT;

  private enum State {
    CLOSED,
    OPENING,
    OPEN
  }

  private final ClientOptions options;
  private final EngineIoClientOptions engineOptions;
  private final ClientLoop clientLoop;
  private final EventLoop loop;
  private final SioParser parser;
  private final Map<String, ClientSocket> nsps = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  // Event-loop confined.
  private State state = State.CLOSED;
  private volatile EngineIoClient engine;
  private EngineSink sink;
  private SioPacketDecoder decoder;
  private final Reconnection reconnection;
  private volatile boolean closed;

  /**
   * Set by {@link #close()} on the calling thread, before its work is queued: {@link #isClosed()}
   * answers true at once, on every thread, and {@link SocketIo} never hands out a closing client.
   */
  private volatile boolean closeCalled;

  /** Socket.IO protocol v4 (an Engine.IO v3 server): see {@link Builder#engineIoVersion}. */
  private final boolean legacy;

  /** Protocol v4: where the server's implicit connection of {@code /} stands on this connection. */
  private enum ImplicitRoot {
    PENDING,
    ARRIVED,
    USED
  }

  private ImplicitRoot implicitRoot = ImplicitRoot.USED;

  /** Protocol v4: the socket of {@code /} sent its own CONNECT and waits for the next pong. */
  private boolean rootAwaitsPong;

  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private final Set<ClientSocket> activeSockets = new LinkedHashSet<>();

  private final Listeners<Runnable> openListeners = new Listeners<>();
  private final Listeners<Consumer<SocketIoException>> errorListeners = new Listeners<>();
  private final Listeners<Runnable> pingListeners = new Listeners<>();
  private final Listeners<Consumer<ClientDisconnectReason>> closeListeners = new Listeners<>();
  private final Listeners<Consumer<TransportType>> upgradeListeners = new Listeners<>();
  private final Listeners<Consumer<TransportType>> upgradingListeners = new Listeners<>();

  private SocketIoClient(ClientOptions options) {
    this.options = options;
    this.parser = options.parser();
    this.decoder = parser.newDecoder();
    clientLoop = new ClientLoop(options.eventLoopGroup());
    loop = clientLoop.loop();
    // Every Engine.IO connection of this client runs on the client's one loop.
    this.engineOptions = options.engine().toBuilder().eventLoopGroup(loop).build();
    this.reconnection = new Reconnection(this, options);
    this.legacy = options.engine().protocolVersion() == 3;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The options of this client. */
  public ClientOptions options() {
    return options;
  }

  /**
   * The socket of namespace {@code nsp} with default options; the same instance for the same
   * namespace. It connects at once when {@code autoConnect} is on (also when an existing socket is
   * inactive).
   */
  public ClientSocket socket(String nsp) {
    return socket(nsp, SocketOptions.defaults());
  }

  /**
   * The socket of namespace {@code nsp}. The options apply when the socket is created by this call;
   * an existing socket keeps its own.
   */
  public ClientSocket socket(String nsp, SocketOptions socketOptions) {
    String name = normalize(nsp);
    Objects.requireNonNull(socketOptions, "socketOptions");
    boolean[] created = {false};
    ClientSocket socket =
        nsps.computeIfAbsent(
            name,
            n -> {
              created[0] = true;
              return new ClientSocket(this, n, socketOptions);
            });
    if (options.autoConnect() && (created[0] || !socket.active())) {
      socket.connect();
    }
    return socket;
  }

  private static String normalize(String nsp) {
    Objects.requireNonNull(nsp, "nsp");
    return nsp.startsWith("/") ? nsp : "/" + nsp;
  }

  /** Opens the Engine.IO connection if it is not open or opening (sockets do this themselves). */
  public void open() {
    onLoop(() -> open(null));
  }

  /**
   * Disconnects every socket ({@code "io client disconnect"}), closes the connection, stops
   * reconnecting and releases the event thread (if the client owns it). The client cannot be used
   * afterwards.
   *
   * @return completes once everything is released
   */
  public CompletableFuture<Void> close() {
    closeCalled = true;
    onLoop(
        () -> {
          if (closed) {
            return;
          }
          for (ClientSocket s : List.copyOf(nsps.values())) {
            s.disconnectNow();
          }
          closed = true;
          forceClose();
          EngineIoClient e = engine;
          CompletableFuture<Void> engineClosed =
              e == null ? CompletableFuture.completedFuture(null) : e.closeFuture();
          clientLoop.releaseAfter(engineClosed, closeFuture);
        });
    return closeFuture;
  }

  /** Whether {@link #close()} was called (from any thread; true as soon as it returned). */
  public boolean isClosed() {
    return closeCalled;
  }

  /** Whether a socket was created for this namespace. */
  boolean hasSocket(String nsp) {
    return nsps.containsKey(nsp);
  }

  /** The transport of the current Engine.IO connection, if one is open. */
  public Optional<TransportType> transport() {
    EngineIoClient e = engine;
    return e == null ? Optional.empty() : e.transport();
  }

  /**
   * The current Engine.IO connection (the reference's {@code socket.io.engine}); a new one after
   * each reconnection. Its {@link EngineIoClient#close()} closes the connection as a network drop
   * would be seen by this client: reason {@code "forced close"}, then reconnection as usual.
   */
  public Optional<EngineIoClient> engine() {
    return Optional.ofNullable(engine);
  }

  // ---------------------------------------------------------------- typed event registrations

  /**
   * The current Engine.IO connection now runs over {@code transport} (the reference's {@code
   * socket.io.engine.on("upgrade")}); heard for every connection of this client.
   */
  public Subscription onUpgrade(Consumer<TransportType> listener) {
    return upgradeListeners.add(listener);
  }

  /**
   * A probe of {@code transport} succeeded and the current connection is switching to it (the
   * reference's {@code socket.io.engine.on("upgrading")}); {@link #onUpgrade} follows.
   */
  public Subscription onUpgrading(Consumer<TransportType> listener) {
    return upgradingListeners.add(listener);
  }

  /** The Engine.IO connection opened. */
  public Subscription onOpen(Runnable listener) {
    return openListeners.add(listener);
  }

  /** Opening failed, or the open connection reported an error. */
  public Subscription onError(Consumer<SocketIoException> listener) {
    return errorListeners.add(listener);
  }

  /** The server pinged. */
  public Subscription onPing(Runnable listener) {
    return pingListeners.add(listener);
  }

  /** The Engine.IO connection closed. */
  public Subscription onClose(Consumer<ClientDisconnectReason> listener) {
    return closeListeners.add(listener);
  }

  /** Reconnected after {@code attempt} attempts. */
  public Subscription onReconnect(IntConsumer listener) {
    return reconnection.onReconnect(listener);
  }

  /** Reconnection attempt {@code n} (1-based) starts. */
  public Subscription onReconnectAttempt(IntConsumer listener) {
    return reconnection.onAttempt(listener);
  }

  /** A reconnection attempt failed. */
  public Subscription onReconnectError(Consumer<SocketIoException> listener) {
    return reconnection.onError(listener);
  }

  /** All {@code reconnectionAttempts} failed; the client stops trying. */
  public Subscription onReconnectFailed(Runnable listener) {
    return reconnection.onFailed(listener);
  }

  // ---------------------------------------------------------------- for ClientSocket (on loop)

  EventLoop loop() {
    return loop;
  }

  ObjectMapper mapper() {
    return options.mapper();
  }

  /**
   * Runs {@code task} on the loop (at once when called there); false when the loop is gone, which
   * happens once {@link #close()} released a thread the client owned: the call is then ignored.
   */
  boolean onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return true;
    }
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      log.debug("{} is closed: call ignored", this);
      return false;
    }
  }

  boolean reconnecting() {
    return reconnection.reconnecting();
  }

  /** Whether {@link #close()} ran on the loop: nothing may open again. */
  boolean shutDown() {
    return closed;
  }

  /** Runs {@code task} on the loop after {@code delayMillis}, unless a cleanup cancels it first. */
  void schedule(Runnable task, long delayMillis) {
    timers.add(loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  /** Whether the server speaks Socket.IO protocol v4 (Socket.IO 2.x; Engine.IO v3). */
  boolean legacyProtocol() {
    return legacy;
  }

  /** The Engine.IO session id, while open. */
  Optional<String> engineId() {
    EngineIoClient e = engine;
    return e == null ? Optional.empty() : e.id();
  }

  /**
   * Protocol v4: takes the server's implicit connection of {@code /} for the socket of {@code /}.
   * Returns 1 if it has arrived (the socket is connected at once), 0 if it is still to come (the
   * socket waits for it), -1 if it was used up on this connection (the socket sends a CONNECT).
   */
  int takeImplicitRoot() {
    switch (implicitRoot) {
      case ARRIVED -> {
        implicitRoot = ImplicitRoot.USED;
        return 1;
      }
      case PENDING -> {
        return 0;
      }
      default -> {
        return -1;
      }
    }
  }

  /** Protocol v4: the socket of {@code /} left, or connected through its own CONNECT. */
  void implicitRootUsed() {
    implicitRoot = ImplicitRoot.USED;
  }

  /** Protocol v4: pings now; the socket of {@code /} counts as connected at the pong. */
  void confirmRootAfterPong() {
    EngineIoClient e = engine;
    if (e != null) {
      rootAwaitsPong = true;
      e.ping();
    }
  }

  boolean engineWritable() {
    return engine != null && engine.writable();
  }

  boolean pingExpired() {
    return engine == null || engine.pingExpired();
  }

  void subscribe(ClientSocket socket) {
    activeSockets.add(socket);
  }

  /** A socket became inactive; the connection closes when no active socket remains. */
  void destroy(ClientSocket socket) {
    activeSockets.remove(socket);
    if (activeSockets.isEmpty()) {
      forceClose();
    }
  }

  void packet(SioPacket packet) {
    packet(packet, true);
  }

  /**
   * Writes a packet; {@code compress=false} (the reference's {@code socket.compress(false)}) keeps
   * its frames out of WebSocket compression.
   */
  void packet(SioPacket packet, boolean compress) {
    EngineIoClient e = engine;
    if (e == null) {
      return;
    }
    EncodedSioPacket encoded = parser.encode(packet);
    for (int i = 0, n = encoded.frameCount(); i < n; i++) {
      if (encoded.isText(i)) {
        e.send(encoded.text(i), compress);
      } else {
        e.send(encoded.binary(i), compress);
      }
    }
  }

  // ---------------------------------------------------------------- connection (on loop)

  /** Opens unless open or opening; {@code callback} (if any) gets null on success. */
  void open(Consumer<SocketIoException> callback) {
    if (closed || state != State.CLOSED) {
      return;
    }
    EngineSink s = new EngineSink(callback);
    sink = s;
    state = State.OPENING;
    reconnection.opening();
    engine = EngineIoClient.open(engineOptions, s);
    options
        .timeout()
        .ifPresent(
            t ->
                schedule(
                    () -> {
                      if (sink == s && !s.opened) {
                        EngineIoClient timedOut = engine;
                        s.openFailed(new SocketIoException("timeout"));
                        timedOut.close();
                      }
                    },
                    t.toMillis()));
  }

  private void cleanup() {
    timers.forEach(t -> t.cancel(false));
    timers.clear();
    decoder.destroy();
    decoder = parser.newDecoder();
  }

  private void onEngineOpen(EngineSink s) {
    cleanup();
    state = State.OPEN;
    implicitRoot = legacy ? ImplicitRoot.PENDING : ImplicitRoot.USED;
    rootAwaitsPong = false;
    openListeners.fire(Runnable::run, context, "open listener", "open");
    for (ClientSocket socket : List.copyOf(activeSockets)) {
      Listeners.safely(socket::onManagerOpen, socket.context(), "socket", "open");
    }
    if (s.callback != null) {
      s.callback.accept(null);
    }
  }

  private void onData(String text) {
    try {
      decoder.add(text).ifPresent(this::onDecoded);
    } catch (SocketIoParseException e) {
      log.warn("cannot decode packet from server: {}", e.getMessage());
      onClose(ClientDisconnectReason.PARSE_ERROR);
    }
  }

  private void onData(byte[] bytes) {
    try {
      decoder.add(bytes).ifPresent(this::onDecoded);
    } catch (SocketIoParseException e) {
      log.warn("cannot decode packet from server: {}", e.getMessage());
      onClose(ClientDisconnectReason.PARSE_ERROR);
    }
  }

  private void onDecoded(SioPacket packet) {
    if (legacy && SioPacket.DEFAULT_NAMESPACE.equals(packet.namespace())) {
      if (packet.type() == SioPacketType.CONNECT && implicitRoot == ImplicitRoot.PENDING) {
        ClientSocket root = nsps.get(SioPacket.DEFAULT_NAMESPACE);
        // Kept for the socket of "/" if it is not waiting for it yet (created later).
        implicitRoot =
            root != null && activeSockets.contains(root) && root.awaitingConnect()
                ? ImplicitRoot.USED
                : ImplicitRoot.ARRIVED;
      } else if (packet.type() == SioPacketType.CONNECT_ERROR) {
        // A middleware of "/" refused the connection: every namespace hears it, as in the
        // reference 2.x client (the others are never connected by such a server).
        for (ClientSocket socket : List.copyOf(activeSockets)) {
          Listeners.safely(() -> socket.onPacket(packet), socket.context(), "socket", "packet");
        }
        return;
      }
    }
    ClientSocket socket = nsps.get(packet.namespace());
    if (socket != null && activeSockets.contains(socket)) {
      Listeners.safely(() -> socket.onPacket(packet), socket.context(), "socket", "packet");
    }
  }

  private void onEngineError(SocketIoException error) {
    errorListeners.fire(l -> l.accept(error), context, "error listener", "error");
    for (ClientSocket socket : List.copyOf(activeSockets)) {
      Listeners.safely(() -> socket.onManagerError(error), socket.context(), "socket", "error");
    }
  }

  private void forceClose() {
    reconnection.stop();
    onClose(ClientDisconnectReason.FORCED_CLOSE);
  }

  private void onClose(ClientDisconnectReason reason) {
    cleanup();
    boolean wasClosed = state == State.CLOSED;
    if (sink != null) {
      sink.detached = true;
    }
    if (engine != null) {
      engine.close();
    }
    reconnection.resetBackoff();
    state = State.CLOSED;
    if (!wasClosed) {
      closeListeners.fire(l -> l.accept(reason), context, "close listener", "close");
      for (ClientSocket socket : List.copyOf(activeSockets)) {
        Listeners.safely(() -> socket.onManagerClose(reason), socket.context(), "socket", "close");
      }
    }
    reconnection.afterClose();
  }

  /** For the client's reconnection listeners. */
  CallbackContext context() {
    return context;
  }

  /** Receives one Engine.IO connection's events; ignored once the client has moved on. */
  private final class EngineSink implements EngineIoListener {
    final Consumer<SocketIoException> callback;
    boolean opened;
    boolean detached;

    EngineSink(Consumer<SocketIoException> callback) {
      this.callback = callback;
    }

    private boolean current() {
      return !detached && sink == this;
    }

    void openFailed(SocketIoException error) {
      detached = true;
      cleanup();
      state = State.CLOSED;
      errorListeners.fire(l -> l.accept(error), context, "error listener", "error");
      for (ClientSocket socket : List.copyOf(activeSockets)) {
        Listeners.safely(() -> socket.onManagerError(error), socket.context(), "socket", "error");
      }
      if (callback != null) {
        callback.accept(error);
      } else {
        reconnection.afterFailedOpen();
      }
    }

    @Override
    public void onOpen(Handshake handshake) {
      if (!current()) {
        return;
      }
      opened = true;
      onEngineOpen(this);
    }

    @Override
    public void onMessage(String text) {
      if (current() && opened) {
        onData(text);
      }
    }

    @Override
    public void onBinaryMessage(byte[] data) {
      if (current() && opened) {
        onData(data);
      }
    }

    @Override
    public void onPing() {
      if (current()) {
        pingListeners.fire(Runnable::run, context, "ping listener", "ping");
      }
    }

    @Override
    public void onUpgrading(TransportType transport) {
      if (current()) {
        upgradingListeners.fire(
            l -> l.accept(transport), context, "upgrading listener", "upgrading");
      }
    }

    @Override
    public void onPong() {
      if (current() && rootAwaitsPong) {
        rootAwaitsPong = false;
        ClientSocket root = nsps.get(SioPacket.DEFAULT_NAMESPACE);
        if (root != null && activeSockets.contains(root)) {
          Listeners.safely(root::onRootConfirmed, root.context(), "socket", "connect");
        }
      }
    }

    @Override
    public void onUpgrade(TransportType transport) {
      if (current()) {
        upgradeListeners.fire(l -> l.accept(transport), context, "upgrade listener", "upgrade");
      }
    }

    @Override
    public void onError(Throwable error) {
      if (!current()) {
        return;
      }
      SocketIoException e =
          error instanceof SocketIoException s
              ? s
              : new SocketIoException(String.valueOf(error.getMessage()), error);
      if (!opened) {
        openFailed(e);
      } else {
        onEngineError(e);
      }
    }

    @Override
    public void onClose(CloseReason reason, Optional<Throwable> cause) {
      if (!current()) {
        return;
      }
      if (!opened) {
        openFailed(new SocketIoException(reason.reason(), cause.orElse(null)));
        return;
      }
      SocketIoClient.this.onClose(map(reason));
    }
  }

  private static ClientDisconnectReason map(CloseReason reason) {
    return switch (reason) {
      case TRANSPORT_CLOSE -> ClientDisconnectReason.TRANSPORT_CLOSE;
      case TRANSPORT_ERROR -> ClientDisconnectReason.TRANSPORT_ERROR;
      case PING_TIMEOUT -> ClientDisconnectReason.PING_TIMEOUT;
      case FORCED_CLOSE -> ClientDisconnectReason.FORCED_CLOSE;
    };
  }

  @Override
  public String toString() {
    return "SocketIoClient[" + options.engine().uri() + "]";
  }

  /**
   * Builds a {@link SocketIoClient}; {@link #uri(URI)} is required.
   *
   * <p>Thread-safety: not thread-safe; use from one thread.
   */
  public static final class Builder {
    private final EngineIoClientOptions.Builder engine =
        EngineIoClientOptions.builder().path("/socket.io");
    EventLoopGroup eventLoopGroup;
    boolean reconnection = true;
    int reconnectionAttempts = Integer.MAX_VALUE;
    Duration reconnectionDelay = Duration.ofSeconds(1);
    Duration reconnectionDelayMax = Duration.ofSeconds(5);
    double randomizationFactor = 0.5;
    Duration timeout = Duration.ofSeconds(20);
    boolean autoConnect = true;
    ObjectMapper mapper = new ObjectMapper();
    SioParser parser;
    boolean multiplex = true;
    boolean forceNew;

    private Builder() {}

    /** The server, e.g. {@code http://localhost:3000} (http, https, ws or wss). */
    public Builder uri(URI uri) {
      engine.uri(uri);
      return this;
    }

    /** Request path, default {@code /socket.io}. */
    public Builder path(String path) {
      engine.path(path);
      return this;
    }

    /** Allowed transports in order; the first makes the handshake. Default polling, websocket. */
    public Builder transports(TransportType... transports) {
      engine.transports(transports);
      return this;
    }

    /** Allowed transports in order; the first makes the handshake. */
    public Builder transports(List<TransportType> transports) {
      engine.transports(transports);
      return this;
    }

    public Builder upgrade(boolean upgrade) {
      engine.upgrade(upgrade);
      return this;
    }

    public Builder rememberUpgrade(boolean rememberUpgrade) {
      engine.rememberUpgrade(rememberUpgrade);
      return this;
    }

    /**
     * The Engine.IO protocol revision: 4 (default) or 3 to talk to a Socket.IO 2.x server, as the
     * reference client 2.x does. With 3 the client also speaks Socket.IO protocol v4: the server
     * connects the main namespace {@code /} by itself when the connection opens (the socket of
     * {@code /} waits for that, so its auth is not sent: use {@link #query}), the auth of another
     * namespace travels as the query of its CONNECT ({@code /admin?token=abc}, values as strings),
     * socket ids are {@code <engine id>} for {@code /} and {@code <nsp>#<engine id>} otherwise, and
     * a middleware error (an ERROR packet carrying a string or an object) is a {@code
     * connect_error}. The heartbeat is the client's (so {@link SocketIoClient#onPing} is not
     * heard).
     *
     * @throws IllegalArgumentException for another revision
     */
    public Builder engineIoVersion(int version) {
      engine.protocolVersion(version);
      return this;
    }

    /** Adds a query parameter to every request. */
    public Builder query(String name, String value) {
      engine.query(name, value);
      return this;
    }

    /** Adds a header to every polling request and to the WebSocket handshake. */
    public Builder extraHeader(String name, String value) {
      engine.extraHeader(name, value);
      return this;
    }

    /** Whether polling requests carry a cache-busting parameter (default true). */
    public Builder timestampRequests(boolean timestampRequests) {
      engine.timestampRequests(timestampRequests);
      return this;
    }

    /** A cookie jar per connection, for load balancers' sticky cookies (default false). */
    public Builder withCredentials(boolean withCredentials) {
      engine.withCredentials(withCredentials);
      return this;
    }

    /** Retries a failed handshake over the next allowed transport (default false). */
    public Builder tryAllTransports(boolean tryAllTransports) {
      engine.tryAllTransports(tryAllTransports);
      return this;
    }

    /** Binary as base64 text on every transport (default false). */
    public Builder forceBase64(boolean forceBase64) {
      engine.forceBase64(forceBase64);
      return this;
    }

    /** Offers permessage-deflate on the WebSocket (default: not offered). */
    public Builder perMessageDeflate(EngineIoClientOptions.PerMessageDeflate perMessageDeflate) {
      engine.perMessageDeflate(perMessageDeflate);
      return this;
    }

    /** Connects through an HTTP proxy (CONNECT). */
    public Builder proxy(EngineIoClientOptions.Proxy proxy) {
      engine.proxy(proxy);
      return this;
    }

    /** Bound of each TCP/TLS connection attempt (default 20 s). */
    public Builder connectTimeout(Duration timeout) {
      engine.connectTimeout(timeout);
      return this;
    }

    /** TLS trust and keys as a Netty client context. */
    public Builder sslContext(io.netty.handler.ssl.SslContext sslContext) {
      engine.sslContext(sslContext);
      return this;
    }

    /** TLS trust and keys as a JDK context. */
    public Builder sslContext(SSLContext sslContext) {
      engine.sslContext(sslContext);
      return this;
    }

    /** Runs on one loop of this NIO group instead of a thread of its own; not shut down. */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.eventLoopGroup = Objects.requireNonNull(group);
      return this;
    }

    public Builder reconnection(boolean reconnection) {
      this.reconnection = reconnection;
      return this;
    }

    public Builder reconnectionAttempts(int attempts) {
      if (attempts < 0) {
        throw new IllegalArgumentException("reconnectionAttempts must be >= 0");
      }
      this.reconnectionAttempts = attempts;
      return this;
    }

    public Builder reconnectionDelay(Duration delay) {
      this.reconnectionDelay = Objects.requireNonNull(delay);
      return this;
    }

    public Builder reconnectionDelayMax(Duration delay) {
      this.reconnectionDelayMax = Objects.requireNonNull(delay);
      return this;
    }

    /** Jitter in (0, 1]; other values disable it. Default 0.5. */
    public Builder randomizationFactor(double factor) {
      this.randomizationFactor = factor;
      return this;
    }

    /** Bound on opening the Engine.IO connection (default 20 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** No bound on opening the Engine.IO connection (the reference's {@code timeout: false}). */
    public Builder noTimeout() {
      this.timeout = null;
      return this;
    }

    /** Whether the client and new sockets connect at once (default true). */
    public Builder autoConnect(boolean autoConnect) {
      this.autoConnect = autoConnect;
      return this;
    }

    /** The mapper for emitted and received values (default a plain {@code ObjectMapper}). */
    public Builder mapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper);
      return this;
    }

    /**
     * The wire format, e.g. {@code MsgpackParser.create()} from {@code socketio-parser-msgpack};
     * the server must use the same. Default: the JSON parser, with the {@link #mapper} mapper.
     */
    public Builder parser(SioParser parser) {
      this.parser = Objects.requireNonNull(parser);
      return this;
    }

    /**
     * For {@link SocketIo#socket}: whether namespaces of the same server share a cached client
     * (default true).
     */
    public Builder multiplex(boolean multiplex) {
      this.multiplex = multiplex;
      return this;
    }

    /** For {@link SocketIo#socket}: always create a new client (default false). */
    public Builder forceNew(boolean forceNew) {
      this.forceNew = forceNew;
      return this;
    }

    /** The options this builder holds. */
    public ClientOptions buildOptions() {
      return new ClientOptions(this, engine.build());
    }

    /** Creates the client; it starts connecting at once when {@code autoConnect} is on. */
    public SocketIoClient build() {
      SocketIoClient client = new SocketIoClient(buildOptions());
      if (client.options.autoConnect()) {
        client.open();
      }
      return client;
    }
  }
}
