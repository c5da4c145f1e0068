package dev.sio4j.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AckEventListener;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.ConnectErrorException;
import dev.sio4j.common.EventListener;
import dev.sio4j.common.Listenable;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.common.SocketEmitter;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.common.Subscription;
import dev.sio4j.common.internal.AckRegistry;
import dev.sio4j.common.internal.CallbackContext;
import dev.sio4j.common.internal.EmitFlags;
import dev.sio4j.common.internal.FlagEmitter;
import dev.sio4j.common.internal.Json;
import dev.sio4j.common.internal.ListenerRegistry;
import dev.sio4j.common.internal.Listeners;
import dev.sio4j.common.internal.OnceAck;
import dev.sio4j.common.internal.UserCallbacks;
import dev.sio4j.engineio.client.internal.UriComponent;
import dev.sio4j.socketio.parser.SioPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one namespace, multiplexed with the client's other namespaces over its one
 * Engine.IO connection (the reference's client {@code Socket}).
 *
 * <pre>{@code
 * ClientSocket socket = client.socket("/chat", SocketOptions.builder().auth(Map.of("token", t)).build());
 * socket.onConnect(() -> System.out.println("connected as " + socket.id().orElseThrow()));
 * socket.on("message", (args, ack) -> { handle(args.get(0, Message.class)); ack.send("ok"); });
 * socket.emit("hello", "world", new byte[] {1, 2, 3});
 * socket.timeout(Duration.ofSeconds(2)).emitWithAck("sum", 1, 2)
 *     .thenAccept(reply -> System.out.println(reply.get(0, Integer.class)));
 * }</pre>
 *
 * <p>Emits made while the socket is not connected are kept in a send buffer and sent, in order,
 * right after the next CONNECT succeeds. The buffer is bounded by {@link
 * SocketOptions#sendBufferSize()} (default 1000 packets): when full, the newest emit is dropped (or
 * the oldest, with {@link BufferOverflow#DROP_OLDEST}), its ack failing with {@code "send buffer
 * full"}. Volatile emits are never buffered.
 *
 * <p>Events received before the CONNECT reply are held and delivered right after {@link #onConnect}
 * listeners would see the socket connected (as the reference does).
 *
 * <p>The listeners live in a listener registry and the pending acknowledgements in an ack registry,
 * both shared with the server's socket; this class keeps the connection state, the send buffer and
 * the {@code retries} queue.
 *
 * <p>Thread-safety: thread-safe. Emits, acks, {@link #connect()}, {@link #disconnect()} and
 * listener registration work from any thread and never block; state changes and every callback
 * happen on the client's event thread, in order. {@link #id()}, {@link #connected()} and {@link
 * #active()} read the latest state published by that thread. Once {@link SocketIoClient#close()}
 * released a thread of the client's own, calls are ignored and {@code emitWithAck} fails at once
 * with {@link SocketDisconnectedException}, on the caller's thread.
 */
public final class ClientSocket implements Listenable {
  private static final Logger log = LoggerFactory.getLogger(ClientSocket.class);
  private static final String V2_SERVER_MESSAGE =
      "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they"
          + " are not compatible (more information here:"
          + " https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)";

  private final SocketIoClient io;
  private final String nsp;
  private final SocketOptions opts;
  private final ObjectMapper mapper;
  private final FlagEmitter defaultEmitter;

  // Event-loop confined.
  private boolean subscribed;

  /**
   * A CONNECT went out on the current connection and is not answered yet: a second {@code
   * connect()} (e.g. after the client's autoConnect already connected the socket) must not send
   * another one, which the server takes as a protocol violation and closes the connection for.
   */
  private boolean connectPending;

  private String pid;
  private String lastOffset;
  private final AckRegistry acks;
  private final SendBuffer sendBuffer;

  /**
   * The buffered emits made with {@code compress(false)}, by identity; a subset of the send buffer
   * (emptied with it), so the flag survives a disconnection as in the reference.
   */
  private final Set<SioPacket> uncompressedBuffered =
      Collections.newSetFromMap(new IdentityHashMap<>());

  private final List<SioPacket> receiveBuffer = new ArrayList<>();
  private final RetryQueue retryQueue;

  // Published.
  private volatile boolean connected;
  private volatile boolean active;
  private volatile boolean recovered;
  private volatile String id;

  private final ListenerRegistry listeners = new ListenerRegistry();

  /** Names this socket in the WARN line of a throwing listener; read only then. */
  private final CallbackContext context =
      new CallbackContext() {
        @Override
        public String namespace() {
          return nsp;
        }

        @Override
        public String socketId() {
          String current = id;
          return current == null ? "-" : current;
        }

        @Override
        public Logger logger() {
          return log;
        }
      };

  /** Answers the acks the server asked for with its events. */
  private final OnceAck.Sender ackSender = this::sendAck;

  private final Listeners<Runnable> connectListeners = new Listeners<>();
  private final Listeners<Consumer<ConnectErrorException>> connectErrorListeners =
      new Listeners<>();
  private final Listeners<Consumer<ClientDisconnectReason>> disconnectListeners = new Listeners<>();

  ClientSocket(SocketIoClient io, String nsp, SocketOptions opts) {
    this.io = io;
    this.nsp = nsp;
    this.opts = opts;
    this.mapper = io.mapper();
    EmitFlags flags =
        opts.ackTimeout().map(EmitFlags.DEFAULT::withTimeout).orElse(EmitFlags.DEFAULT);
    this.defaultEmitter = new FlagEmitter(this::emitConverted, mapper, flags);
    // A timed-out emit still waiting in the send buffer is not sent later (reference #4318).
    this.sendBuffer = new SendBuffer(nsp, opts);
    this.retryQueue =
        new RetryQueue(opts, () -> connected, (data, f, ack) -> doEmit(data, f, ack, true));
    this.acks = new AckRegistry(io.loop(), sendBuffer::removeAck, context);
  }

  // ---------------------------------------------------------------- public API

  /** The namespace, e.g. {@code "/"} or {@code "/chat"}. */
  public String namespace() {
    return nsp;
  }

  /** The client (Manager) this socket belongs to. */
  public SocketIoClient client() {
    return io;
  }

  /** The socket id the server assigned, while connected. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** Whether the namespace is connected. */
  public boolean connected() {
    return connected;
  }

  /**
   * Whether the socket is subscribed to the client and so will (re)connect by itself; false after
   * {@link #disconnect()}, a server-side disconnect or a connect error.
   */
  public boolean active() {
    return active;
  }

  /**
   * Whether the last CONNECT recovered the previous session (connection state recovery): the server
   * kept the socket id, rooms and data and replayed the events missed meanwhile. Offsets are
   * stripped from event arguments; see the README for the rule.
   */
  public boolean recovered() {
    return recovered;
  }

  /** Connects the namespace (opening the client's connection if needed). */
  public ClientSocket connect() {
    io.onLoop(this::doConnect);
    return this;
  }

  /**
   * Disconnects the namespace: sends DISCONNECT if connected and fires {@code onDisconnect} with
   * {@link ClientDisconnectReason#IO_CLIENT_DISCONNECT}; the client closes its connection when no
   * active socket is left.
   */
  public ClientSocket disconnect() {
    io.onLoop(this::disconnectNow);
    return this;
  }

  /** Emits an event; see {@link SocketEmitter#emit}. */
  public void emit(String event, Object... args) {
    defaultEmitter.emit(event, args);
  }

  /**
   * Emits an event expecting an ack and completes with the first argument of the answer converted
   * to {@code replyType}; see {@link SocketEmitter#emitWithAck(Class, String, Object...)}.
   */
  public <R> CompletableFuture<R> emitWithAck(Class<R> replyType, String event, Object... args) {
    return defaultEmitter.emitWithAck(replyType, event, args);
  }

  /** Like {@link #emitWithAck(Class, String, Object...)}, for a generic reply type. */
  public <R> CompletableFuture<R> emitWithAck(
      TypeReference<R> replyType, String event, Object... args) {
    return defaultEmitter.emitWithAck(replyType, event, args);
  }

  /** Emits a {@code message} event. */
  public void send(Object... args) {
    emit("message", args);
  }

  /** Emits an event expecting an ack; see {@link SocketEmitter#emitWithAck}. */
  public CompletableFuture<Arguments> emitWithAck(String event, Object... args) {
    return defaultEmitter.emitWithAck(event, args);
  }

  /** An operator whose acks time out after {@code timeout}. */
  public SocketEmitter timeout(Duration timeout) {
    return defaultEmitter.timeout(timeout);
  }

  /** An operator whose emits are dropped rather than buffered when they cannot be sent now. */
  public SocketEmitter volatile_() {
    return defaultEmitter.volatile_();
  }

  /** An operator with the compression hint set. */
  public SocketEmitter compress(boolean compress) {
    return defaultEmitter.compress(compress);
  }

  /** Listens to an event the server emits, with the ack the server may have asked for. */
  @Override
  public Subscription on(String event, AckEventListener listener) {
    return listeners.on(event, listener);
  }

  /** Removes the first registration of this listener for {@code event}. */
  public void off(String event, EventListener listener) {
    listeners.off(event, listener);
  }

  /** Removes the first registration of this listener for {@code event}. */
  public void off(String event, AckEventListener listener) {
    listeners.off(event, listener);
  }

  /** Removes every listener of {@code event}. */
  public void off(String event) {
    listeners.off(event);
  }

  /** The namespace connected. */
  public Subscription onConnect(Runnable listener) {
    return connectListeners.add(listener);
  }

  /**
   * Connecting failed: refused by a server middleware (the socket becomes inactive) or the
   * connection could not be opened (the client keeps trying, if reconnection is on).
   */
  public Subscription onConnectError(Consumer<ConnectErrorException> listener) {
    return connectErrorListeners.add(listener);
  }

  /** The namespace disconnected. */
  public Subscription onDisconnect(Consumer<ClientDisconnectReason> listener) {
    return disconnectListeners.add(listener);
  }

  /** Listens to every incoming event, before the event's own listeners. */
  public Subscription onAny(AnyListener listener) {
    return listeners.any().add(listener);
  }

  /** Like {@link #onAny}, but called before the catch-all listeners already registered. */
  public Subscription prependAny(AnyListener listener) {
    return listeners.any().addFirst(listener);
  }

  /** Removes one catch-all listener. */
  public void offAny(AnyListener listener) {
    listeners.any().remove(listener);
  }

  /** Removes every catch-all listener. */
  public void offAny() {
    listeners.any().clear();
  }

  /** The catch-all listeners, in call order. */
  public List<AnyListener> listenersAny() {
    return listeners.any().snapshot();
  }

  /** Listens to every event this socket sends (when it is actually written, not when buffered). */
  public Subscription onAnyOutgoing(AnyListener listener) {
    return listeners.anyOutgoing().add(listener);
  }

  /** Like {@link #onAnyOutgoing}, but called first. */
  public Subscription prependAnyOutgoing(AnyListener listener) {
    return listeners.anyOutgoing().addFirst(listener);
  }

  /** Removes one outgoing catch-all listener. */
  public void offAnyOutgoing(AnyListener listener) {
    listeners.anyOutgoing().remove(listener);
  }

  /** Removes every outgoing catch-all listener. */
  public void offAnyOutgoing() {
    listeners.anyOutgoing().clear();
  }

  /** The outgoing catch-all listeners, in call order. */
  public List<AnyListener> listenersAnyOutgoing() {
    return listeners.anyOutgoing().snapshot();
  }

  /**
   * The number of acknowledgements this socket waits for: its {@code emitWithAck} calls (and the
   * internal ones of {@code retries}) not yet answered, timed out, dropped or failed by a
   * disconnection. Acks of emits still in the send buffer stay pending across a disconnection.
   * Readable from any thread.
   */
  public int pendingAcks() {
    return acks.size();
  }

  @Override
  public String toString() {
    return "ClientSocket[" + nsp + ", " + (connected ? "connected " + id : "disconnected") + "]";
  }

  // ---------------------------------------------------------------- emitting

  /** Entry point of every emit, once converted on the caller's thread: hops to the loop. */
  private void emitConverted(ArrayNode data, EmitFlags flags, CompletableFuture<Arguments> future) {
    AckRegistry.Callback callback =
        future == null ? null : AckRegistry.Callback.future(future, mapper);
    if (!io.onLoop(() -> doEmit(data, flags, callback, false)) && future != null) {
      // The client is closed and its thread gone: nothing could ever answer or time this out.
      future.completeExceptionally(new SocketDisconnectedException());
    }
  }

  private void doEmit(
      ArrayNode data, EmitFlags flags, AckRegistry.Callback ack, boolean fromQueue) {
    if (opts.retries() > 0 && !fromQueue && !flags.isVolatile()) {
      retryQueue.add(data, flags, ack);
      return;
    }
    long ackId = SioPacket.NO_ACK_ID;
    if (ack != null) {
      ackId = acks.nextId();
      Duration timeout = flags.timeout().orElse(null);
      // A user's ack is error-first (rejected on disconnect); the retries queue's internal one
      // only hears about a disconnection when it has a timeout, as in the reference.
      acks.register(ackId, ack, timeout, timeout != null || !fromQueue);
    }
    SioPacket packet = SioPacket.event(nsp, data, ackId);
    boolean writable = io.engineWritable();
    boolean isConnected = connected && !io.pingExpired();
    if (flags.isVolatile() && !writable) {
      log.debug("volatile packet discarded: transport not writable");
    } else if (isConnected) {
      notifyOutgoing(data);
      io.packet(packet, flags.compress());
    } else {
      buffer(packet, flags.compress());
    }
  }

  private void buffer(SioPacket packet, boolean compress) {
    if (!compress) {
      uncompressedBuffered.add(packet);
    }
    SioPacket dropped = sendBuffer.add(packet);
    if (dropped != null) {
      uncompressedBuffered.remove(dropped);
      if (dropped.hasAckId()) {
        acks.fail(dropped.ackId(), new SocketIoException("send buffer full"));
      }
    }
  }

  private void notifyOutgoing(ArrayNode data) {
    Listeners<AnyListener> outgoing = listeners.anyOutgoing();
    if (outgoing.isEmpty()) {
      return;
    }
    String event = data.get(0).asText();
    Arguments args = Arguments.slice(mapper, data, 1, data.size());
    for (AnyListener l : outgoing) {
      try {
        l.onEvent(event, args);
      } catch (RuntimeException | Error e) {
        UserCallbacks.failed(context, "outgoing listener", event, e);
      }
    }
  }

  // ---------------------------------------------------------------- connection (on loop)

  private void doConnect() {
    if (connected) {
      return;
    }
    if (!subscribed) {
      subscribed = true;
      active = true;
      io.subscribe(this);
    }
    if (!io.reconnecting()) {
      io.open(null);
    }
    if (io.isOpen() && !connectPending) {
      onManagerOpen();
    }
  }

  void disconnectNow() {
    boolean wasConnected = connected;
    if (wasConnected) {
      io.packet(SioPacket.disconnect(nsp));
    }
    if (io.legacyProtocol() && SioPacket.DEFAULT_NAMESPACE.equals(nsp)) {
      io.implicitRootUsed(); // the server's socket of "/" is gone; a new one needs a CONNECT
    }
    destroy();
    if (wasConnected) {
      onClose(ClientDisconnectReason.IO_CLIENT_DISCONNECT);
    }
  }

  private void destroy() {
    connectPending = false;
    cancelAuthFetch();
    if (subscribed) {
      subscribed = false;
      active = false;
      io.destroy(this);
    }
  }

  void onManagerOpen() {
    if (opts.authAsync().isPresent()) {
      fetchAuthThenConnect(opts.authAsync().get());
      return;
    }
    JsonNode auth;
    try {
      Object value =
          opts.authSupplier().isPresent()
              ? opts.authSupplier().get().get()
              : opts.auth().orElse(null);
      auth = toAuth(value);
    } catch (RuntimeException e) {
      UserCallbacks.failed(context, "auth supplier", "connect", e);
      ConnectErrorException error =
          new ConnectErrorException("auth failed: " + e.getMessage(), null, e);
      fireConnectError(error);
      return;
    }
    sendConnect(auth);
  }

  private JsonNode toAuth(Object value) {
    JsonNode auth = value == null ? null : Json.toNode(mapper, value);
    if (auth != null && !auth.isObject()) {
      throw new IllegalArgumentException("auth must be a JSON object, got " + auth);
    }
    return auth;
  }

  private void sendConnect(JsonNode auth) {
    if (io.legacyProtocol()) {
      sendLegacyConnect(auth);
      return;
    }
    ObjectNode payload = null;
    if (pid != null) {
      payload = JsonNodeFactory.instance.objectNode();
      payload.put("pid", pid);
      if (lastOffset != null) {
        payload.put("offset", lastOffset);
      }
      if (auth != null) {
        payload.setAll((ObjectNode) auth);
      }
    } else if (auth != null) {
      payload = (ObjectNode) auth;
    }
    connectPending = true;
    io.packet(SioPacket.connect(nsp, payload));
  }

  /**
   * Protocol v4 (Socket.IO 2.x servers): the server connects {@code /} by itself, so its socket
   * waits for (or takes) that connection; another namespace sends a CONNECT with its auth as query.
   */
  private void sendLegacyConnect(JsonNode auth) {
    connectPending = true;
    if (SioPacket.DEFAULT_NAMESPACE.equals(nsp)) {
      int root = io.takeImplicitRoot();
      if (root >= 0) {
        if (auth != null && !auth.isEmpty()) {
          log.warn(
              "the auth of namespace / cannot reach a Socket.IO 2.x server, which connects / by"
                  + " itself: pass it as a query parameter of the client");
        }
        if (root == 1) {
          onConnected(legacyId(), null);
        }
        return;
      }
    }
    io.packet(SioPacket.connect(nsp + legacyQuery(auth), null));
    if (SioPacket.DEFAULT_NAMESPACE.equals(nsp)) {
      // A 2.x server answers a CONNECT of "/" only when "/" has a middleware (otherwise its answer
      // went out with the handshake, long ago). The answer to a ping sent after the CONNECT tells
      // that the server has set up the socket: connected then (or at the CONNECT answer, if first).
      io.confirmRootAfterPong();
    }
  }

  /** Protocol v4: the server answered a ping sent after this socket's CONNECT of {@code /}. */
  void onRootConfirmed() {
    if (awaitingConnect()) {
      onConnected(legacyId(), null);
    }
  }

  /** The auth object as a query string ({@code ?k=v&...}), as the 2.x client's {@code query}. */
  private static String legacyQuery(JsonNode auth) {
    if (auth == null || auth.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    auth.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              sb.append(sb.length() == 0 ? '?' : '&')
                  .append(UriComponent.encode(e.getKey()))
                  .append('=')
                  .append(UriComponent.encode(v.isValueNode() ? v.asText() : v.toString()));
            });
    return sb.toString();
  }

  /** The socket id a Socket.IO 2.x server gives: the engine id, prefixed for a namespace. */
  private String legacyId() {
    String engineId = io.engineId().orElse("");
    return SioPacket.DEFAULT_NAMESPACE.equals(nsp) ? engineId : nsp + "#" + engineId;
  }

  /** Whether a CONNECT was sent (or is due) and not answered yet. */
  boolean awaitingConnect() {
    return connectPending && !connected;
  }

  // ---------------------------------------------------------------- asynchronous auth (on loop)

  /** The auth fetch of the current connection attempt, or null. */
  private AuthFetch authFetch;

  /**
   * Calls the async supplier and sends the CONNECT once its stage completes. {@code connectPending}
   * is set meanwhile, so that a second {@code connect()} does not start another fetch.
   */
  private void fetchAuthThenConnect(Supplier<? extends CompletionStage<?>> supplier) {
    cancelAuthFetch();
    CompletionStage<?> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "the auth supplier returned null");
    } catch (RuntimeException e) {
      UserCallbacks.failed(context, "auth supplier", "connect", e);
      fireConnectError(new ConnectErrorException("auth failed: " + e.getMessage(), null, e));
      return;
    }
    connectPending = true;
    AuthFetch fetch = new AuthFetch(this);
    authFetch = fetch;
    long timeout = opts.authTimeout().toMillis();
    fetch.timer = io.loop().schedule(() -> onAuthTimeout(fetch), timeout, TimeUnit.MILLISECONDS);
    stage.whenComplete(fetch);
  }

  private void onAuthResult(AuthFetch fetch, Object value, Throwable failure) {
    if (authFetch != fetch) {
      return; // timed out, or the connection it was for is gone: too late
    }
    authFetch = null;
    fetch.clear();
    if (!io.isOpen() || connected) {
      connectPending = false;
      return;
    }
    JsonNode auth = null;
    if (failure == null) {
      try {
        auth = toAuth(value);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      connectPending = false;
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      log.debug("auth of {} failed", nsp, cause);
      fireConnectError(
          new ConnectErrorException("auth failed: " + cause.getMessage(), null, cause));
      return;
    }
    sendConnect(auth);
  }

  private void onAuthTimeout(AuthFetch fetch) {
    if (authFetch != fetch) {
      return;
    }
    authFetch = null;
    fetch.clear();
    connectPending = false;
    fireConnectError(
        new ConnectErrorException(
            "auth timed out after " + opts.authTimeout().toMillis() + " ms", null, null));
  }

  private void cancelAuthFetch() {
    if (authFetch != null) {
      authFetch.clear();
      authFetch = null;
    }
  }

  /**
   * Waits for one auth stage. A stage that never completes keeps only this small object (its owner
   * cleared by the timeout), not the socket.
   */
  private static final class AuthFetch implements BiConsumer<Object, Throwable> {
    private volatile ClientSocket owner;
    ScheduledFuture<?> timer;

    AuthFetch(ClientSocket owner) {
      this.owner = owner;
    }

    @Override
    public void accept(Object value, Throwable failure) {
      ClientSocket s = owner;
      if (s != null) {
        s.io.onLoop(() -> s.onAuthResult(this, value, failure));
      }
    }

    void clear() {
      owner = null;
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }

  void onManagerError(SocketIoException error) {
    if (!connected) {
      ConnectErrorException e =
          new ConnectErrorException(error.getMessage(), null, error.getCause());
      fireConnectError(e);
    }
  }

  void onManagerClose(ClientDisconnectReason reason) {
    connectPending = false;
    cancelAuthFetch();
    onClose(reason);
  }

  void onPacket(SioPacket packet) {
    switch (packet.type()) {
      case CONNECT -> {
        JsonNode data = packet.data().orElse(NullNode.getInstance());
        if (io.legacyProtocol()) {
          if (!connected) {
            onConnected(legacyId(), null);
          }
        } else if (data.path("sid").isTextual()) {
          JsonNode p = data.path("pid");
          onConnected(data.path("sid").textValue(), p.isTextual() ? p.textValue() : null);
        } else {
          fireConnectError(new ConnectErrorException(V2_SERVER_MESSAGE, null, null));
        }
      }
      case EVENT, BINARY_EVENT -> onEvent(packet);
      case ACK, BINARY_ACK -> onAck(packet);
      case DISCONNECT -> {
        destroy();
        onClose(ClientDisconnectReason.IO_SERVER_DISCONNECT);
      }
      case CONNECT_ERROR -> {
        destroy();
        if (connected) {
          // Protocol v4 only: "/" counted as connected before its middleware refused it.
          onClose(ClientDisconnectReason.IO_SERVER_DISCONNECT);
        }
        JsonNode data = packet.data().orElse(NullNode.getInstance());
        if (data.isTextual()) {
          fireConnectError(new ConnectErrorException(data.textValue(), null, null));
        } else if (io.legacyProtocol()) {
          // A 2.x server sends the error's data in place of its message when it has some.
          String message = data.path("message").asText(data.toString());
          fireConnectError(new ConnectErrorException(message, data, null));
        } else {
          String message = data.path("message").asText();
          fireConnectError(new ConnectErrorException(message, data.get("data"), null));
        }
      }
    }
  }

  private void onConnected(String sid, String newPid) {
    id = sid;
    recovered = newPid != null && newPid.equals(pid);
    pid = newPid;
    connected = true;
    connectPending = false;
    // Events received before the CONNECT reply, then emits buffered while disconnected.
    List<SioPacket> received = List.copyOf(receiveBuffer);
    receiveBuffer.clear();
    received.forEach(this::emitEvent);
    for (SioPacket p : sendBuffer.takeAll()) {
      notifyOutgoing((ArrayNode) p.data().orElseThrow());
      io.packet(p, !uncompressedBuffered.contains(p));
    }
    uncompressedBuffered.clear();
    retryQueue.drain(true);
    connectListeners.fire(Runnable::run, context, "connect listener", "connect");
  }

  private void onEvent(SioPacket packet) {
    if (connected) {
      emitEvent(packet);
    } else {
      receiveBuffer.add(packet);
    }
  }

  private void emitEvent(SioPacket packet) {
    JsonNode data = packet.data().orElseThrow();
    String event = data.get(0).asText();
    String offset = offsetOf(packet);
    Arguments args =
        Arguments.slice(mapper, (ArrayNode) data, 1, data.size() - (offset == null ? 0 : 1));
    Ack ack = packet.hasAckId() ? OnceAck.of(mapper, packet.ackId(), ackSender) : Ack.NONE;
    for (AnyListener l : listeners.any()) {
      try {
        l.onEvent(event, args, ack);
      } catch (RuntimeException | Error e) {
        UserCallbacks.failed(context, "catch-all listener", event, e);
      }
    }
    Listeners<AckEventListener> list = listeners.listeners(event);
    if (list != null) {
      for (AckEventListener l : list) {
        try {
          l.onEvent(args, ack);
        } catch (RuntimeException | Error e) {
          // A typed listener's ArgumentTypeException included: one line without a stack trace.
          UserCallbacks.failed(context, "listener", event, e);
        }
      }
    }
    if (offset != null) {
      lastOffset = offset;
    }
  }

  /**
   * The connection state recovery offset a received event carries, or null. A server with recovery
   * on (the socket then has a {@code pid}) appends the offset as the last argument of every event
   * it logs for replay, which is every event without ack that is not volatile. So the rule is: an
   * event without ack id, received while a pid is set, with at least one argument, the last one a
   * string. The reference client keeps such a string as its offset too but leaves it in the
   * arguments; we strip it. A volatile event (never logged, so without offset) whose last argument
   * is a string cannot be told apart and loses that argument.
   */
  private String offsetOf(SioPacket packet) {
    JsonNode data = packet.data().orElseThrow();
    if (pid == null || packet.hasAckId() || data.size() < 2) {
      return null;
    }
    JsonNode last = data.get(data.size() - 1);
    return last.isTextual() ? last.textValue() : null;
  }

  private void onAck(SioPacket packet) {
    if (!acks.complete(packet.ackId(), (ArrayNode) packet.data().orElseThrow())) {
      log.debug("unknown ack id {} on {}", packet.ackId(), nsp);
    }
  }

  private void onClose(ClientDisconnectReason reason) {
    connected = false;
    String lastId = id;
    id = null;
    // The line of a throwing disconnect listener names the id the socket just had.
    disconnectListeners.fire(
        l -> l.accept(reason), new Gone(lastId), "disconnect listener", "disconnect");
    clearAcks();
  }

  CallbackContext context() {
    return context;
  }

  private void fireConnectError(ConnectErrorException error) {
    connectErrorListeners.fire(
        l -> l.accept(error), context, "connect_error listener", "connect_error");
  }

  /** The context of a socket that just lost its id. */
  private final class Gone implements CallbackContext {
    private final String lastId;

    Gone(String lastId) {
      this.lastId = lastId;
    }

    @Override
    public String namespace() {
      return nsp;
    }

    @Override
    public String socketId() {
      return lastId == null ? "-" : lastId;
    }

    @Override
    public Logger logger() {
      return log;
    }
  }

  private void sendAck(long ackId, ArrayNode data) {
    io.onLoop(() -> io.packet(SioPacket.ack(nsp, data, ackId)));
  }

  /** Acks of packets already sent can no longer arrive: error-first ones are rejected. */
  private void clearAcks() {
    acks.disconnect(sendBuffer::holdsAck);
  }
}
