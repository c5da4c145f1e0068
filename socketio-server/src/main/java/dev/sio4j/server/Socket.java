package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.adapter.RecoverySession;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.adapter.SocketHandle;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.engineio.server.internal.Base64Id;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Thread-safety: thread-safe. The socket is owned by its connection's event loop: middleware,
 * connection, event, ack and disconnect callbacks run there (or, with a handler executor, one at a
 * time in order on it), never concurrently. {@code emit}, {@code join}, {@code leave}, {@code
 * disconnect} and broadcasts may be called from any thread and never block: work from another
 * thread is queued onto the loop, in call order.
 */
public final class Socket {
  private static final Logger log = LoggerFactory.getLogger(Socket.class);

  private final Namespace nsp;
  private final Client client;
  private final String id;
  private final Handshake handshake;
  private final ObjectMapper mapper;
  private final Map<String, Object> data = new ConcurrentHashMap<>();
  private final Map<String, Listeners<EventHandler>> handlers = new ConcurrentHashMap<>(8);
  private final Listeners<AnyListener> anyListeners = new Listeners<>();
  private final Listeners<AnyListener> anyOutgoing = new Listeners<>();
  private final Listeners<PacketMiddleware> packetMiddlewares = new Listeners<>();
  private final Listeners<Consumer<DisconnectReason>> disconnectListeners = new Listeners<>();
  private final Listeners<Consumer<DisconnectReason>> disconnectingListeners = new Listeners<>();
  private final Listeners<Consumer<Throwable>> errorListeners = new Listeners<>();
  private final Executor handlerExecutor;
  private final Handle handle = new Handle();

  /** Pending acks of emits from this socket, by id. Loop-confined. */
  private final Map<Long, Consumer<ArrayNode>> acks = new HashMap<>();

  private final Map<Long, Runnable> ackFailures = new HashMap<>();
  private volatile boolean connected;

  /** Set once the socket left (or was refused): joins are no-ops from then on. */
  private volatile boolean finished;

  private volatile boolean recovered;
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
      this.id = Base64Id.generate();
      this.pid =
          nsp.server().options().connectionStateRecovery().isPresent() ? Base64Id.generate() : null;
    }
    this.handshake = new Handshake(client.conn().request(), auth, System.currentTimeMillis());
    this.handlerExecutor =
        nsp.server()
            .options()
            .handlerExecutor()
            .map(e -> (Executor) new SerialExecutor(e))
            .orElse(null);
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

  /** The rooms the socket is in (its own room included); empty once disconnected. */
  public Set<String> rooms() {
    return nsp.adapter().socketRooms(id).orElse(Set.of());
  }

  /** The Engine.IO connection under this socket (transport, upgrade state). */
  public EngineIoSocket conn() {
    return client.conn();
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

  /** Adds a listener for an event the client emits. */
  public Socket on(String event, EventHandler handler) {
    handlers.computeIfAbsent(event, k -> new Listeners<>()).add(handler);
    return this;
  }

  /** Removes every listener of an event. */
  public Socket off(String event) {
    handlers.remove(event);
    return this;
  }

  public Socket onAny(AnyListener listener) {
    anyListeners.add(listener);
    return this;
  }

  public Socket prependAny(AnyListener listener) {
    anyListeners.addFirst(listener);
    return this;
  }

  public Socket offAny(AnyListener listener) {
    anyListeners.remove(listener);
    return this;
  }

  public Socket offAny() {
    anyListeners.clear();
    return this;
  }

  public List<AnyListener> listenersAny() {
    return anyListeners.snapshot();
  }

  public Socket onAnyOutgoing(AnyListener listener) {
    anyOutgoing.add(listener);
    return this;
  }

  public Socket prependAnyOutgoing(AnyListener listener) {
    anyOutgoing.addFirst(listener);
    return this;
  }

  public Socket offAnyOutgoing(AnyListener listener) {
    anyOutgoing.remove(listener);
    return this;
  }

  public Socket offAnyOutgoing() {
    anyOutgoing.clear();
    return this;
  }

  public List<AnyListener> listenersAnyOutgoing() {
    return anyOutgoing.snapshot();
  }

  /** Adds a middleware run for each incoming event before its listeners. */
  public Socket use(PacketMiddleware middleware) {
    packetMiddlewares.add(middleware);
    return this;
  }

  /** Called after the socket left its rooms, with the reason. */
  public Socket onDisconnect(Consumer<DisconnectReason> listener) {
    disconnectListeners.add(listener);
    return this;
  }

  /** Called before the socket leaves its rooms ({@link #rooms()} still complete). */
  public Socket onDisconnecting(Consumer<DisconnectReason> listener) {
    disconnectingListeners.add(listener);
    return this;
  }

  /** Errors of this socket: a packet middleware's refusal, a protocol violation. */
  public Socket onError(Consumer<Throwable> listener) {
    errorListeners.add(listener);
    return this;
  }

  // ---- emitting ------------------------------------------------------------------------------

  /**
   * Emits an event to this client.
   *
   * @throws IllegalArgumentException for a reserved event name
   */
  public void emit(String event, Object... args) {
    emitter().emit(event, args);
  }

  /**
   * Emits an event and completes with the client's ack arguments. Without {@link
   * #timeout(Duration)} it waits until the ack or the disconnection.
   */
  public CompletableFuture<Arguments> emitWithAck(String event, Object... args) {
    return emitter().emitWithAck(event, args);
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
    return new SocketEmitter(this, BroadcastFlags.DEFAULT);
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

  SocketHandle handle() {
    return handle;
  }

  void onLoop(Runnable task) {
    Executor loop = client.conn().executor();
    if (client.inLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  /** Writes an event from this socket (not a broadcast). Runs on the loop. */
  void emitPacket(
      String event,
      ArrayNode eventArray,
      BroadcastFlags flags,
      CompletableFuture<Arguments> ackFuture,
      Duration timeout) {
    // Taken at the call, as the reference does, so ids follow emit order across event loops.
    long allocatedAckId = ackFuture != null ? nsp.nextAckId() : SioPacket.NO_ACK_ID;
    onLoop(
        () -> {
          if (!connected) {
            if (ackFuture != null) {
              ackFuture.completeExceptionally(
                  new SocketIoException("socket has been disconnected"));
            }
            return;
          }
          long ackId = SioPacket.NO_ACK_ID;
          if (ackFuture != null) {
            long id = allocatedAckId;
            ackId = id;
            ScheduledFuture<?> timer =
                timeout == null
                    ? null
                    : client
                        .conn()
                        .executor()
                        .schedule(
                            () -> {
                              acks.remove(id);
                              ackFailures.remove(id);
                              ackFuture.completeExceptionally(new AckTimeoutException(List.of()));
                            },
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
            acks.put(
                id,
                args -> {
                  if (timer != null) {
                    timer.cancel(false);
                  }
                  ackFailures.remove(id);
                  ackFuture.complete(new Arguments(args, mapper));
                });
            ackFailures.put(
                id,
                () -> {
                  if (timer != null) {
                    timer.cancel(false);
                  }
                  ackFuture.completeExceptionally(
                      new SocketIoException("socket has been disconnected"));
                });
          }
          SioPacket packet = SioPacket.event(nsp.name(), eventArray, ackId);
          if (pid != null && ackFuture == null && !flags.isVolatile()) {
            // With recovery on, a plain emit goes through the adapter so that it is logged with an
            // offset and can be replayed, as the reference does.
            nsp.adapter().broadcast(packet, new BroadcastOptions(Set.of(id), Set.of(), flags));
            return;
          }
          notifyOutgoing(eventArray);
          client.write(packet, flags);
        });
  }

  private void notifyOutgoing(ArrayNode eventArray) {
    if (anyOutgoing.isEmpty()) {
      return;
    }
    String event = eventArray.get(0).asText();
    Arguments args = new Arguments(Json.tail(eventArray), mapper);
    for (AnyListener l : anyOutgoing) {
      try {
        l.onEvent(event, args);
      } catch (RuntimeException e) {
        log.warn("outgoing listener of socket {} failed", id, e);
      }
    }
  }

  /** The namespace accepted the socket: join its own room, answer CONNECT. Runs on the loop. */
  void onConnect() {
    connected = true;
    everConnected = true;
    nsp.adapter().addAll(id, Set.of(id));
    ObjectNode payload = mapper.createObjectNode().put("sid", id);
    if (pid != null) {
      payload.put("pid", pid);
    }
    client.write(SioPacket.connect(nsp.name(), payload), BroadcastFlags.DEFAULT);
    RecoverySession session = restored;
    restored = null;
    if (session != null) {
      recovered = true;
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
        Consumer<ArrayNode> ack = acks.remove(packet.ackId());
        if (ack != null) {
          ack.accept((ArrayNode) packet.data().orElseGet(mapper::createArrayNode));
        }
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
    Arguments args = new Arguments(Json.tail(data), mapper);
    Ack ack = packet.hasAckId() ? new OnceAck(packet.ackId()) : Ack.NONE;
    Runnable dispatch = () -> dispatch(event, args, ack);
    if (handlerExecutor != null) {
      handlerExecutor.execute(dispatch);
    } else {
      dispatch.run();
    }
  }

  private void dispatch(String event, Arguments args, Ack ack) {
    for (AnyListener l : anyListeners) {
      try {
        l.onEvent(event, args, ack);
      } catch (RuntimeException e) {
        log.warn("catch-all listener of socket {} failed", id, e);
      }
    }
    runPacketMiddlewares(0, event, args, ack);
  }

  private void runPacketMiddlewares(int index, String event, Arguments args, Ack ack) {
    if (index >= packetMiddlewares.size()) {
      if (!connected) {
        return;
      }
      Listeners<EventHandler> list = handlers.get(event);
      if (list == null) {
        return;
      }
      for (EventHandler h : list) {
        try {
          h.handle(args, ack);
        } catch (RuntimeException e) {
          log.warn("handler of event '{}' on socket {} failed", event, id, e);
          fireError(e);
        }
      }
      return;
    }
    AtomicBoolean done = new AtomicBoolean();
    packetMiddlewares
        .get(index)
        .handle(
            event,
            args,
            new Middleware.Next() {
              @Override
              public void proceed() {
                if (done.compareAndSet(false, true)) {
                  runPacketMiddlewares(index + 1, event, args, ack);
                }
              }

              @Override
              public void fail(String message) {
                fail(message, null);
              }

              @Override
              public void fail(String message, Object data) {
                if (done.compareAndSet(false, true)) {
                  fireError(new SocketIoException(message));
                }
              }
            });
  }

  void fireError(Throwable error) {
    for (Consumer<Throwable> l : errorListeners) {
      try {
        l.accept(error);
      } catch (RuntimeException e) {
        log.warn("error listener of socket {} failed", id, e);
      }
    }
  }

  /** Leaves the namespace: disconnecting, rooms left, disconnect. Runs on the loop. */
  void onClose(DisconnectReason reason) {
    if (!connected) {
      return;
    }
    fire(disconnectingListeners, reason);
    connected = false;
    finished = true;
    if (pid != null && reason.recoverable()) {
      nsp.adapter()
          .persistSession(
              new RecoverySession(id, pid, rooms(), mapper.valueToTree(data), List.of()));
    }
    nsp.adapter().delAll(id);
    nsp.remove(this);
    client.remove(this);
    List<Runnable> failures = new ArrayList<>(ackFailures.values());
    ackFailures.clear();
    acks.clear();
    failures.forEach(Runnable::run);
    fire(disconnectListeners, reason);
  }

  boolean everConnected() {
    return everConnected;
  }

  private void fire(Listeners<Consumer<DisconnectReason>> listeners, DisconnectReason reason) {
    for (Consumer<DisconnectReason> l : listeners) {
      try {
        l.accept(reason);
      } catch (RuntimeException e) {
        log.warn("disconnect listener of socket {} failed", id, e);
      }
    }
  }

  /** Sends the ACK for one incoming event, once. */
  private final class OnceAck implements Ack {
    private final long ackId;
    private final AtomicBoolean sent = new AtomicBoolean();

    OnceAck(long ackId) {
      this.ackId = ackId;
    }

    @Override
    public void send(Object... args) {
      if (!sent.compareAndSet(false, true)) {
        return;
      }
      ArrayNode array = Json.array(mapper, args);
      onLoop(
          () -> {
            if (connected) {
              client.write(SioPacket.ack(nsp.name(), array, ackId), BroadcastFlags.DEFAULT);
            }
          });
    }
  }

  /** The view of this socket that adapters use. */
  private final class Handle implements SocketHandle {
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
        if (!anyOutgoing.isEmpty()) {
          packet.data().ifPresent(d -> notifyOutgoing((ArrayNode) d));
        }
        client.writeEncoded(encoded, flags, true);
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
              acks.put(packet.ackId(), onAck);
              client.writeEncoded(encoded, flags, true);
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
