package dev.sio4j.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.adapter.RecoverySession;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.adapter.SocketHandle;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AckEventListener;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.EventListener;
import dev.sio4j.common.Listenable;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.common.SocketEmitter;
import dev.sio4j.common.Subscription;
import dev.sio4j.common.internal.AckRegistry;
import dev.sio4j.common.internal.EmitFlags;
import dev.sio4j.common.internal.FlagEmitter;
import dev.sio4j.common.internal.Json;
import dev.sio4j.common.internal.Listeners;
import dev.sio4j.common.internal.OnceAck;
import dev.sio4j.common.internal.Typed;
import dev.sio4j.common.internal.UserCallbacks;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.engineio.server.internal.Base64Id;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's connection to one namespace: the server-side socket.
 *
 * <pre>{@code
 * io.onConnection(socket -> {
 *   socket.join("lobby");
 *   socket.on("chat", (args, ack) -> {
 *     socket.to("lobby").emit("chat", args.get(0, ChatMessage.class));
 *     ack.send("ok");
 *   });
 *   socket.onDisconnect(reason -> log.info("{} left: {}", socket.id(), reason));
 * });
 * }</pre>
 *
 * <p>The socket is a facade: its listeners and the dispatch of incoming events live in an {@code
 * EventDispatcher}, the acknowledgements it waits for in an ack registry shared with the client.
 *
 * <p>Thread-safety: thread-safe. The socket is owned by its connection's event loop: middleware,
 * connection, event, ack and disconnect callbacks run there, never concurrently; with a handler
 * executor the event, error and disconnect listeners run one at a time, in arrival order, on the
 * socket's serial queue on it instead (see {@link SocketIoOptions.Builder#handlerExecutor}). {@code
 * emit}, {@code disconnect}, acks, listener registration and broadcasts may be called from any
 * thread and never block: work from another thread is queued onto the loop, in call order. {@code
 * join} and {@code leave} change the rooms on the calling thread. State read from another thread
 * ({@link #connected()}, {@link #rooms()}) is the loop's latest: a {@code disconnect()} called from
 * another thread shows once the loop ran it.
 */
public final class Socket implements Listenable {
  private static final Logger log = LoggerFactory.getLogger(Socket.class);

  private final Namespace nsp;
  private final Client client;
  private final String id;
  private final Handshake handshake;
  private final ObjectMapper mapper;
  private final Map<String, Object> data = new ConcurrentHashMap<>();
  private final EventDispatcher events;
  private final Handle handle = new Handle();

  /**
   * Answers the acks of incoming events, shared by every ack of this socket; made at the first
   * event that asks for one, so that a handshake does not pay for it. Loop-confined.
   */
  private OnceAck.Sender ackSender;

  /** Pending acks of emits from this socket (and of broadcasts reaching it), by id. */
  private final AckRegistry acks;

  private volatile boolean connected;

  /** Set once the socket left (or was refused): joins are no-ops from then on. */
  private volatile boolean finished;

  private volatile boolean recovered;

  /** Made at the first {@link #onDrain}: most sockets never register one. */
  private volatile Listeners<Runnable> drainListeners;

  /** See {@link #rooms()}: non-null only while queued disconnecting listeners run. */
  private volatile Set<String> roomsWhileDisconnecting;

  private boolean everConnected;

  /** The private session id (connection state recovery), or null when recovery is off. */
  private final String pid;

  /** The restored session, or null. Its missed packets are sent right after CONNECT. */
  private RecoverySession restored;

  Socket(Namespace nsp, Client client, JsonNode auth, RecoverySession previous) {
    this.nsp = nsp;
    this.client = client;
    this.mapper = nsp.server().mapper();
    this.restored = previous;
    if (previous != null) {
      this.id = previous.sid();
      this.pid = previous.pid();
      if (previous.data() != null && previous.data().isObject()) {
        previous.data().fields().forEachRemaining(e -> restoreData(e.getKey(), e.getValue()));
      }
    } else {
      if (client.legacy()) {
        // The v2 client names its socket after the engine's id: both sides must agree.
        this.id = LegacyProtocol.socketId(nsp.name(), client.conn().id());
        this.pid = null;
      } else {
        this.id = Base64Id.generate();
        this.pid =
            nsp.server().options().connectionStateRecovery().isPresent()
                ? Base64Id.generate()
                : null;
      }
    }
    this.handshake = new Handshake(client.conn().request(), auth, System.currentTimeMillis());
    this.events =
        new EventDispatcher(
            this, nsp.server().options().handlerExecutor().map(SerialExecutor::new).orElse(null));
    this.acks =
        new AckRegistry(
            client.conn().executor(), ack -> client.observer().ackTimedOut(nsp.name()), events);
  }

  // ---- identity and state --------------------------------------------------------------------

  /** The public id: 20 characters, also the name of the socket's own room. */
  public String id() {
    return id;
  }

  public Handshake handshake() {
    return handshake;
  }

  public Namespace namespace() {
    return nsp;
  }

  /** Arbitrary data attached to the socket, shown by {@code fetchSockets()}. */
  public Map<String, Object> data() {
    return data;
  }

  public boolean connected() {
    return connected;
  }

  public boolean disconnected() {
    return !connected;
  }

  /** True when the socket's state was restored by connection state recovery. */
  public boolean recovered() {
    return recovered;
  }

  private void restoreData(String key, JsonNode value) {
    Object v = mapper.convertValue(value, Object.class);
    if (v != null) {
      data.put(key, v);
    }
  }

  /**
   * The rooms the socket is in (its own room included); empty once disconnected, except in {@code
   * onDisconnecting} listeners, which see the rooms the socket was in.
   */
  public Set<String> rooms() {
    Set<String> left = roomsWhileDisconnecting;
    if (left != null) {
      return left;
    }
    return nsp.adapter().socketRooms(id).orElse(Set.of());
  }

  /** Set while queued disconnecting listeners run (handler executor), after the rooms were left. */
  void showRoomsWhileDisconnecting(Set<String> rooms) {
    roomsWhileDisconnecting = rooms;
  }

  /** The Engine.IO connection under this socket (transport, upgrade state). */
  public EngineIoSocket conn() {
    return client.conn();
  }

  /**
   * The bytes waiting to reach this client on its connection (shared by the sockets of its other
   * namespaces): see {@link EngineIoSocket#bufferedBytes()}. Any thread.
   */
  public long bufferedBytes() {
    return client.conn().bufferedBytes();
  }

  /**
   * True when an emit now would go out at once rather than wait in the connection's buffer (a
   * volatile emit is dropped otherwise). Any thread: a snapshot of the loop's state.
   */
  public boolean isWritable() {
    return client.conn().isWritable();
  }

  /**
   * Called each time the connection can take writes again after it could not (see {@link
   * dev.sio4j.engineio.server.EngineIoHandler#onDrain}): a producer that paused on {@link
   * #isWritable()} resumes here. Runs on the socket's loop, never concurrently with its other
   * callbacks; must not block.
   */
  public Subscription onDrain(Runnable listener) {
    Listeners<Runnable> list = drainListeners;
    if (list == null) {
      synchronized (this) {
        list = drainListeners;
        if (list == null) {
          list = new Listeners<>();
          drainListeners = list;
        }
      }
    }
    return list.add(listener);
  }

  boolean hasDrainListeners() {
    Listeners<Runnable> list = drainListeners;
    return list != null && !list.isEmpty();
  }

  /** On the loop. */
  void fireDrain() {
    Listeners<Runnable> list = drainListeners;
    if (list == null || !connected) {
      return;
    }
    for (Runnable l : list) {
      try {
        l.run();
      } catch (RuntimeException e) {
        UserCallbacks.failed(log, "drain listener", "drain", nsp.name(), id, e);
      }
    }
  }

  // ---- rooms ---------------------------------------------------------------------------------

  /** Joins rooms. No-op once disconnected. */
  public void join(String... rooms) {
    join(Arrays.asList(rooms));
  }

  public void join(Collection<String> rooms) {
    Set<String> set = Set.copyOf(rooms);
    // Applied on the calling thread (the adapter is thread-safe), not queued: a broadcast this
    // thread sends next must already see the membership, as after the reference's synchronous join.
    // Allowed in middlewares, before the connection, as in the reference.
    if (finished) {
      return;
    }
    nsp.adapter().addAll(id, set);
    if (finished) {
      // Raced with the disconnection, whose leaving of every room may have run before this join.
      onLoop(
          () -> {
            if (nsp.sockets().get(id) == null) {
              nsp.adapter().delAll(id);
            }
          });
    }
  }

  /** Leaves a room, on the calling thread (see {@link #join(Collection)}). */
  public void leave(String room) {
    nsp.adapter().del(id, room);
  }

  // ---- listeners -----------------------------------------------------------------------------

  /** Adds a listener for an event the client emits, with the ack the client may have asked for. */
  @Override
  public Subscription on(String event, AckEventListener listener) {
    return events.listeners().on(event, listener);
  }

  /** Removes the first registration of this listener for {@code event}. */
  public void off(String event, EventListener listener) {
    events.listeners().off(event, listener);
  }

  /** Removes the first registration of this listener for {@code event}. */
  public void off(String event, AckEventListener listener) {
    events.listeners().off(event, listener);
  }

  /** Removes every listener of an event. */
  public void off(String event) {
    events.listeners().off(event);
  }

  /** Adds a catch-all listener for incoming events, called before the event's own listeners. */
  public Subscription onAny(AnyListener listener) {
    return events.listeners().any().add(listener);
  }

  /** Like {@link #onAny}, but called before the catch-all listeners already registered. */
  public Subscription prependAny(AnyListener listener) {
    return events.listeners().any().addFirst(listener);
  }

  /** Removes one catch-all listener. */
  public void offAny(AnyListener listener) {
    events.listeners().any().remove(listener);
  }

  /** Removes every catch-all listener. */
  public void offAny() {
    events.listeners().any().clear();
  }

  /** The catch-all listeners, in call order. */
  public List<AnyListener> listenersAny() {
    return events.listeners().any().snapshot();
  }

  /** Adds a catch-all listener for the events this socket sends (broadcasts reaching it too). */
  public Subscription onAnyOutgoing(AnyListener listener) {
    return events.listeners().anyOutgoing().add(listener);
  }

  /** Like {@link #onAnyOutgoing}, but called first. */
  public Subscription prependAnyOutgoing(AnyListener listener) {
    return events.listeners().anyOutgoing().addFirst(listener);
  }

  /** Removes one outgoing catch-all listener. */
  public void offAnyOutgoing(AnyListener listener) {
    events.listeners().anyOutgoing().remove(listener);
  }

  /** Removes every outgoing catch-all listener. */
  public void offAnyOutgoing() {
    events.listeners().anyOutgoing().clear();
  }

  /** The outgoing catch-all listeners, in call order. */
  public List<AnyListener> listenersAnyOutgoing() {
    return events.listeners().anyOutgoing().snapshot();
  }

  /** Adds a middleware run for each incoming event before its listeners. */
  public Socket use(PacketMiddleware middleware) {
    events.packetMiddlewares().add(middleware);
    return this;
  }

  /** Called after the socket left its rooms, with the reason. */
  public Subscription onDisconnect(Consumer<DisconnectReason> listener) {
    return events.disconnectListeners().add(listener);
  }

  /** Called before the socket leaves its rooms ({@link #rooms()} still complete). */
  public Subscription onDisconnecting(Consumer<DisconnectReason> listener) {
    return events.disconnectingListeners().add(listener);
  }

  /** Errors of this socket: a packet middleware's refusal, a listener that threw. */
  public Subscription onError(Consumer<Throwable> listener) {
    return events.errorListeners().add(listener);
  }

  // ---- emitting ------------------------------------------------------------------------------

  /**
   * Emits an event to this client.
   *
   * @throws IllegalArgumentException for a reserved event name
   */
  public void emit(String event, Object... args) {
    emitPacket(Json.eventArray(mapper, event, args), BroadcastFlags.DEFAULT, null);
  }

  /**
   * Emits an event and completes with the client's ack arguments. Without {@link
   * #timeout(Duration)} it waits until the ack or the disconnection.
   */
  public CompletableFuture<Arguments> emitWithAck(String event, Object... args) {
    CompletableFuture<Arguments> future = new CompletableFuture<>();
    emitPacket(Json.eventArray(mapper, event, args), BroadcastFlags.DEFAULT, future);
    return future;
  }

  /**
   * Emits an event and completes with the first argument of the client's ack converted to {@code
   * replyType}: {@code socket.emitWithAck(Receipt.class, "chat", msg)}. The reply type comes first,
   * so that it cannot be taken for an event argument; see {@link SocketEmitter#emitWithAck(Class,
   * String, Object...)}. An answer that does not fit fails the future with {@link
   * dev.sio4j.common.ArgumentTypeException}.
   */
  public <R> CompletableFuture<R> emitWithAck(Class<R> replyType, String event, Object... args) {
    Objects.requireNonNull(replyType, "replyType");
    return emitWithAck(event, args).thenApply(reply -> Typed.reply(event, reply, replyType));
  }

  /** Like {@link #emitWithAck(Class, String, Object...)}, for a generic reply type. */
  public <R> CompletableFuture<R> emitWithAck(
      TypeReference<R> replyType, String event, Object... args) {
    Objects.requireNonNull(replyType, "replyType");
    return emitWithAck(event, args).thenApply(reply -> Typed.reply(event, reply, replyType));
  }

  /** Emits a {@code message} event. */
  public void send(Object... args) {
    emit("message", args);
  }

  /** An emitter whose acks fail with {@link AckTimeoutException} after {@code timeout}. */
  public SocketEmitter timeout(Duration timeout) {
    return emitter().timeout(timeout);
  }

  /** An emitter whose packets are dropped when the transport is not ready. */
  public SocketEmitter volatile_() {
    return emitter().volatile_();
  }

  public SocketEmitter compress(boolean compress) {
    return emitter().compress(compress);
  }

  private SocketEmitter emitter() {
    return new FlagEmitter(this::emitFlagged, mapper, EmitFlags.DEFAULT);
  }

  private void emitFlagged(ArrayNode array, EmitFlags f, CompletableFuture<Arguments> future) {
    BroadcastFlags flags =
        BroadcastFlags.DEFAULT.withVolatile(f.isVolatile()).withCompress(f.compress());
    emitPacket(array, f.timeout().map(flags::withTimeout).orElse(flags), future);
  }

  /**
   * The number of acknowledgements this socket waits for: its {@code emitWithAck} calls and the
   * broadcasts with ack that reached it, not yet answered, timed out or failed by the
   * disconnection. Readable from any thread.
   */
  public int pendingAcks() {
    return acks.size();
  }

  // ---- broadcasting from this socket (always excluding it) -----------------------------------

  public BroadcastOperator to(String... rooms) {
    return broadcast().to(rooms);
  }

  public BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  public BroadcastOperator except(String... rooms) {
    return broadcast().except(rooms);
  }

  /** Every socket of the namespace but this one. */
  public BroadcastOperator broadcast() {
    return new BroadcastOperator(
        nsp, Set.of(), Set.of(id), BroadcastFlags.DEFAULT.withBroadcast(true));
  }

  public BroadcastOperator local() {
    return broadcast().local();
  }

  // ---- disconnecting -------------------------------------------------------------------------

  /** Leaves the namespace ({@code server namespace disconnect}); the connection stays open. */
  public void disconnect() {
    disconnect(false);
  }

  /** With {@code close}, also closes the underlying connection (every namespace of the client). */
  public void disconnect(boolean close) {
    onLoop(
        () -> {
          if (!connected) {
            return;
          }
          if (close) {
            client.disconnectAll();
          } else {
            client.write(SioPacket.disconnect(nsp.name()), BroadcastFlags.DEFAULT);
            onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
          }
        });
  }

  // ---- internals -----------------------------------------------------------------------------

  Handle handle() {
    return handle;
  }

  /**
   * Runs {@code task} on the socket's loop (at once when called there); false when the loop is gone
   * (the server closed), the call then being ignored.
   */
  boolean onLoop(Runnable task) {
    if (client.inLoop()) {
      task.run();
      return true;
    }
    try {
      client.conn().executor().execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      log.debug("socket {} of namespace {}: the server is closed, call ignored", id, nsp.name());
      return false;
    }
  }

  ObjectMapper mapper() {
    return mapper;
  }

  Client client() {
    return client;
  }

  /** Sends the ACK of an incoming event, on the loop, unless the socket left meanwhile. */
  private void sendAck(long ackId, ArrayNode array) {
    onLoop(
        () -> {
          if (connected) {
            client.write(SioPacket.ack(nsp.name(), array, ackId), BroadcastFlags.DEFAULT);
          }
        });
  }

  /** Writes an event from this socket (not a broadcast), on the loop. */
  private void emitPacket(
      ArrayNode eventArray, BroadcastFlags flags, CompletableFuture<Arguments> ackFuture) {
    // Taken at the call, as the reference does, so ids follow emit order across event loops.
    long allocatedAckId = ackFuture != null ? nsp.nextAckId() : SioPacket.NO_ACK_ID;
    boolean queued =
        onLoop(
            () -> {
              if (!connected) {
                if (ackFuture != null) {
                  ackFuture.completeExceptionally(new SocketDisconnectedException());
                }
                return;
              }
              long ackId = SioPacket.NO_ACK_ID;
              if (ackFuture != null) {
                ackId = allocatedAckId;
                acks.register(
                    ackId,
                    AckRegistry.Callback.future(ackFuture, mapper),
                    flags.timeout().orElse(null),
                    true);
                client.observer().ackRequested(nsp.name());
              }
              SioPacket packet = SioPacket.event(nsp.name(), eventArray, ackId);
              if (pid != null && ackFuture == null && !flags.isVolatile()) {
                // With recovery on, a plain emit goes through the adapter so that it is logged with
                // an
                // offset and can be replayed, as the reference does.
                nsp.adapter().broadcast(packet, new BroadcastOptions(Set.of(id), Set.of(), flags));
                return;
              }
              notifyOutgoing(eventArray);
              client.write(packet, flags);
            });
    if (!queued && ackFuture != null) {
      ackFuture.completeExceptionally(new SocketDisconnectedException());
    }
  }

  private void notifyOutgoing(ArrayNode eventArray) {
    events.onOutgoing(eventArray);
  }

  /** The namespace accepted the socket: join its own room, answer CONNECT. Runs on the loop. */
  void onConnect() {
    connected = true;
    everConnected = true;
    nsp.adapter().addAll(id, Set.of(id));
    ObjectNode payload = null;
    if (!client.legacy()) {
      payload = mapper.createObjectNode().put("sid", id);
      if (pid != null) {
        payload.put("pid", pid);
      }
    }
    client.write(SioPacket.connect(nsp.name(), payload), BroadcastFlags.DEFAULT);
    RecoverySession session = restored;
    restored = null;
    client.observer().socketConnected(nsp.name());
    if (session != null) {
      recovered = true;
      client.observer().recoverySucceeded(nsp.name());
      // The events missed while away, each with its offset last, before anything new.
      for (ArrayNode missed : session.missedPackets()) {
        client.write(SioPacket.event(nsp.name(), missed), BroadcastFlags.DEFAULT);
      }
    }
    // The client waits for this answer alone; what the connection handler emits next goes out in
    // a later write, as with the reference (and as the compliance suite's clients expect).
    client.flushNow();
  }

  /** A recovered socket that its middlewares refused: give back the rooms it was put in. */
  void abandon() {
    finished = true;
    nsp.adapter().delAll(id);
  }

  /** A packet for this socket's namespace. Runs on the loop. */
  void onPacket(SioPacket packet) {
    switch (packet.type()) {
      case EVENT:
      case BINARY_EVENT:
        onEvent(packet);
        break;
      case ACK:
      case BINARY_ACK:
        ArrayNode answer = (ArrayNode) packet.data().orElseGet(mapper::createArrayNode);
        if (acks.complete(packet.ackId(), answer)) client.observer().ackAnswered(nsp.name());
        break;
      case DISCONNECT:
        onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
        break;
      default:
        break;
    }
  }

  private void onEvent(SioPacket packet) {
    ArrayNode data = (ArrayNode) packet.data().orElseGet(mapper::createArrayNode);
    if (data.isEmpty()) {
      return;
    }
    String event = data.get(0).asText();
    client.observer().eventReceived(nsp.name(), event, client.packetBytes());
    Arguments args = Arguments.slice(mapper, data, 1, data.size());
    Ack ack = Ack.NONE;
    if (packet.hasAckId()) {
      if (ackSender == null) {
        ackSender = this::sendAck;
      }
      ack = OnceAck.of(mapper, packet.ackId(), ackSender);
    }
    events.onEvent(event, args, ack);
  }

  /** An error of the connection, for the error listeners. Runs on the loop. */
  void fireError(Throwable error) {
    events.onError(error);
  }

  /**
   * Leaves the namespace: disconnecting, rooms left, disconnect. Runs on the loop; with a handler
   * executor the listeners run after the handlers of the events received before (see {@link
   * EventDispatcher#onClose}).
   */
  void onClose(DisconnectReason reason) {
    if (!connected) {
      return;
    }
    events.onClose(reason, () -> leaveNamespace(reason), events.queued() ? rooms() : null);
  }

  private void leaveNamespace(DisconnectReason reason) {
    connected = false;
    finished = true;
    if (pid != null && reason.recoverable()) {
      RecoverySession session =
          new RecoverySession(id, pid, rooms(), mapper.valueToTree(data), List.of());
      nsp.adapter().sessionStore().ifPresent(store -> store.persist(session));
    }
    nsp.adapter().delAll(id);
    nsp.remove(this);
    client.remove(this);
    client.observer().acksAbandoned(nsp.name(), acks.size());
    acks.disconnect(id -> false);
    client.observer().socketDisconnected(nsp.name(), reason);
  }

  boolean everConnected() {
    return everConnected;
  }

  /** The view of this socket that adapters use: local delivery only. */
  final class Handle implements SocketHandle {
    @Override
    public String id() {
      return id;
    }

    @Override
    public void deliver(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags) {
      // Called once per target of a broadcast: on the loop, deliver without allocating a task.
      if (client.inLoop()) {
        deliverOnLoop(packet, encoded, flags);
      } else {
        client.conn().executor().execute(() -> deliverOnLoop(packet, encoded, flags));
      }
    }

    private void deliverOnLoop(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags) {
      if (connected) {
        if (events.hasOutgoingListeners()) {
          packet.data().ifPresent(d -> notifyOutgoing((ArrayNode) d));
        }
        client.writeEncoded(packet, encoded, flags, true);
      }
    }

    @Override
    public void deliverWithAck(
        SioPacket packet,
        EncodedSioPacket encoded,
        BroadcastFlags flags,
        Consumer<ArrayNode> onAck) {
      onLoop(
          () -> {
            if (connected) {
              // Expires with the broadcast: an answer that cannot count any more must not stay
              // pending on the socket for the rest of its connection.
              acks.register(
                  packet.ackId(),
                  AckRegistry.Callback.answers(onAck),
                  flags.timeout().orElse(null),
                  false);
              client.observer().ackRequested(nsp.name());
              client.writeEncoded(packet, encoded, flags, true);
            }
          });
    }

    @Override
    public void join(Collection<String> rooms) {
      Socket.this.join(rooms);
    }

    @Override
    public void leave(Collection<String> rooms) {
      rooms.forEach(r -> nsp.adapter().del(id, r));
    }

    @Override
    public void disconnect(boolean close) {
      Socket.this.disconnect(close);
    }

    @Override
    public SocketDetails details() {
      return new SocketDetails(id, handshake.toJson(), rooms(), mapper.valueToTree(data));
    }
  }
}
