package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sio4j.adapter.Adapter;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.ClusterTimeoutException;
import dev.sio4j.adapter.MessageType;
import dev.sio4j.adapter.SocketHandle;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AckEventListener;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.Listenable;
import dev.sio4j.common.Subscription;
import dev.sio4j.common.internal.Json;
import dev.sio4j.common.internal.ListenerRegistry;
import dev.sio4j.common.internal.Listeners;
import dev.sio4j.common.internal.UserCallbacks;
import dev.sio4j.socketio.parser.SioParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace: a channel of communication multiplexed over each client connection, with its own
 * middlewares, sockets, rooms (through its {@link Adapter}) and event handlers.
 *
 * <p>In a cluster (a cluster adapter), broadcasts and the server-wide operations reach the sockets
 * of every node, and {@link #serverSideEmit} sends events to the listeners registered with {@link
 * #on(String, AckEventListener)} on the other nodes.
 *
 * <p>Thread-safety: thread-safe. Registration ({@code use}, {@code onConnection}, {@code on}) may
 * happen from any thread, though it is meant to be done before clients connect; broadcasts may be
 * sent from any thread. Server-side event listeners run on the thread the adapter delivers the
 * event on (a bus thread), or on the handler executor when one is configured; they must not block
 * without one.
 */
public class Namespace implements Listenable {
  private static final Logger log = LoggerFactory.getLogger(Namespace.class);

  private final SocketIoServer server;
  private final String name;
  private final Adapter adapter;
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
  private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
  private final List<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
  private final ListenerRegistry serverSideListeners = new ListenerRegistry();
  private final AtomicLong ackIds = new AtomicLong();
  private final ParentNamespace parent;

  Namespace(SocketIoServer server, String name, ParentNamespace parent) {
    this.server = server;
    this.name = name;
    this.parent = parent;
    this.adapter = server.options().adapter().create(new Host());
    this.adapter.init();
    if (server.options().connectionStateRecovery().isPresent()
        && adapter.sessionStore().isEmpty()) {
      log.warn(
          "connection state recovery is on, but the adapter of namespace {} keeps no sessions",
          name);
    }
  }

  public String name() {
    return name;
  }

  public SocketIoServer server() {
    return server;
  }

  /** The adapter of this namespace: its rooms on this node, and its way to the other nodes. */
  public Adapter adapter() {
    return adapter;
  }

  /** The connected sockets of this node, by id. */
  public Map<String, Socket> sockets() {
    return Collections.unmodifiableMap(sockets);
  }

  /** Adds a middleware run before each socket joins this namespace. */
  public Namespace use(Middleware middleware) {
    middlewares.add(middleware);
    return this;
  }

  /** Called for every socket that joined this namespace. */
  public Namespace onConnection(Consumer<Socket> listener) {
    connectionListeners.add(listener);
    return this;
  }

  /**
   * Like {@link #onConnection}, but called before the listeners added so far (the reference's
   * {@code prependListener("connection", ...)}): for tools that must see a socket before the
   * application's listeners act on it.
   */
  public Namespace prependConnection(Consumer<Socket> listener) {
    connectionListeners.add(0, listener);
    return this;
  }

  List<Middleware> middlewares() {
    return middlewares;
  }

  List<Consumer<Socket>> connectionListeners() {
    return connectionListeners;
  }

  /** The next ack id of the namespace (shared by emits and broadcasts, as the reference). */
  long nextAckId() {
    return ackIds.getAndIncrement();
  }

  // ---- broadcasting --------------------------------------------------------------------------

  private BroadcastOperator all() {
    return new BroadcastOperator(this, Set.of(), Set.of(), BroadcastFlags.DEFAULT);
  }

  public BroadcastOperator to(String... rooms) {
    return all().to(rooms);
  }

  public BroadcastOperator in(String... rooms) {
    return all().to(rooms);
  }

  public BroadcastOperator except(String... rooms) {
    return all().except(rooms);
  }

  public BroadcastOperator volatile_() {
    return all().volatile_();
  }

  public BroadcastOperator compress(boolean compress) {
    return all().compress(compress);
  }

  public BroadcastOperator local() {
    return all().local();
  }

  public BroadcastOperator timeout(Duration timeout) {
    return all().timeout(timeout);
  }

  /** Emits to every socket of the namespace. */
  public void emit(String event, Object... args) {
    all().emit(event, args);
  }

  /** Emits a {@code message} event to every socket. */
  public void send(Object... args) {
    emit("message", args);
  }

  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return all().fetchSockets();
  }

  public void socketsJoin(String... rooms) {
    all().socketsJoin(rooms);
  }

  public void socketsLeave(String... rooms) {
    all().socketsLeave(rooms);
  }

  public void disconnectSockets(boolean close) {
    all().disconnectSockets(close);
  }

  // ---- server-side events (between the nodes of a cluster) -----------------------------------

  /**
   * Sends an event to this namespace's {@link #on(String, AckEventListener) server-side listeners}
   * on the other nodes of the cluster (not this one); nothing happens with the in-memory adapter.
   *
   * @throws IllegalArgumentException for {@code connect}, {@code connection} or {@code
   *     new_namespace}, reserved at this level by the reference
   */
  public void serverSideEmit(String event, Object... args) {
    adapter.serverSideEmit(serverSidePacket(event, args));
  }

  /**
   * Like {@link #serverSideEmit}, and completes with one answer per other node: the first argument
   * of the first ack its listeners sent, each as an {@link Arguments} of one value. Completes at
   * once with an empty list without other nodes. Fails with {@link AckTimeoutException}, carrying
   * the answers received and the reference's message ({@code timeout reached: only X responses
   * received out of Y}), when a node does not answer within the adapter's requests timeout.
   *
   * @throws IllegalArgumentException for a reserved event name (see {@link #serverSideEmit})
   */
  public CompletableFuture<List<Arguments>> serverSideEmitWithAck(String event, Object... args) {
    ArrayNode packet = serverSidePacket(event, args);
    CompletableFuture<List<Arguments>> result = new CompletableFuture<>();
    adapter
        .serverSideEmitWithAck(packet)
        .whenComplete(
            (answers, error) -> {
              if (error == null) {
                result.complete(toArguments(answers));
                return;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof ClusterTimeoutException) {
                ClusterTimeoutException t = (ClusterTimeoutException) cause;
                result.completeExceptionally(
                    new AckTimeoutException(t.getMessage(), toArguments(t.responses()), t));
              } else {
                result.completeExceptionally(cause);
              }
            });
    return result;
  }

  /**
   * Listens to an event that other nodes send with {@link #serverSideEmit} (the reference's {@code
   * io.on("event", ...)} for server-side events). {@code ack} answers a {@link
   * #serverSideEmitWithAck}: only its first call and first argument are sent back.
   */
  @Override
  public Subscription on(String event, AckEventListener listener) {
    return serverSideListeners.on(event, listener);
  }

  /** Removes every server-side listener of an event. */
  public Namespace off(String event) {
    serverSideListeners.off(event);
    return this;
  }

  private ArrayNode serverSidePacket(String event, Object[] args) {
    // The reference reserves these names here (the server-level events), not the socket ones.
    if (Objects.requireNonNull(event, "event").equals("connect")
        || event.equals("connection")
        || event.equals("new_namespace")) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
    // Not Json.eventArray: the socket-level reserved names (disconnect...) are allowed here.
    ArrayNode packet = JsonNodeFactory.instance.arrayNode(args.length + 1);
    packet.add(event);
    for (Object arg : args) {
      packet.add(Json.toNode(server.mapper(), arg));
    }
    return packet;
  }

  private List<Arguments> toArguments(List<JsonNode> answers) {
    List<Arguments> list = new ArrayList<>(answers.size());
    for (JsonNode answer : answers) {
      ArrayNode one = server.mapper().createArrayNode();
      one.add(answer);
      list.add(Arguments.slice(server.mapper(), one, 0, 1));
    }
    return List.copyOf(list);
  }

  /** An event from another node: run the listeners, where handlers run. */
  private void dispatchServerSide(ArrayNode packet, Ack ack) {
    String event = packet.get(0).asText();
    Listeners<AckEventListener> handlers = serverSideListeners.listeners(event);
    if (handlers == null || handlers.isEmpty()) {
      return;
    }
    Arguments args = Arguments.slice(server.mapper(), packet, 1, packet.size());
    Runnable run =
        () -> {
          for (AckEventListener h : handlers) {
            try {
              h.onEvent(args, ack);
            } catch (RuntimeException e) {
              UserCallbacks.failed(log, "server-side listener", event, name, "-", e);
            }
          }
        };
    Optional<Executor> executor = server.options().handlerExecutor();
    if (executor.isPresent()) {
      executor.get().execute(run);
    } else {
      run.run();
    }
  }

  // ---- connection flow (the sequence is in ConnectFlow) ----------------------------------------

  /** An accepted socket becomes one of this namespace's. */
  void attach(Socket socket) {
    sockets.put(socket.id(), socket);
  }

  /** The socket connected: the connection listeners run, on its loop. */
  void fireConnection(Socket socket) {
    for (Consumer<Socket> l : connectionListeners) {
      try {
        l.accept(socket);
      } catch (RuntimeException e) {
        UserCallbacks.failed(log, "connection listener", "connection", name, socket.id(), e);
      }
    }
  }

  void remove(Socket socket) {
    sockets.remove(socket.id(), socket);
    if (parent != null && sockets.isEmpty() && server.options().cleanupEmptyChildNamespaces()) {
      server.removeChild(this, parent);
    }
  }

  /**
   * What this namespace hands its adapter: kept out of the public API of {@link Namespace} so that
   * users never see ack ids, the encoder or the delivery of other nodes' events.
   */
  private final class Host implements AdapterHost {
    @Override
    public String name() {
      return name;
    }

    @Override
    public String serverId() {
      return server.serverId();
    }

    @Override
    public ScheduledExecutorService scheduler() {
      return server.scheduler();
    }

    @Override
    public Optional<SocketHandle> socket(String id) {
      Socket s = sockets.get(id);
      return s == null ? Optional.empty() : Optional.of(s.handle());
    }

    @Override
    public long nextAckId() {
      return Namespace.this.nextAckId();
    }

    @Override
    public SioParser parser() {
      return server.parser();
    }

    @Override
    public Optional<Duration> maxDisconnectionDuration() {
      return server
          .options()
          .connectionStateRecovery()
          .map(RecoveryOptions::maxDisconnectionDuration);
    }

    @Override
    public void onServerSideEmit(ArrayNode packet) {
      dispatchServerSide(packet, Ack.NONE);
    }

    @Override
    public void clusterRequestSent(MessageType type) {
      server.observer().clusterRequestSent(name, type);
    }

    @Override
    public void clusterRequestTimedOut(MessageType type) {
      server.observer().clusterRequestTimedOut(name, type);
    }

    @Override
    public void onServerSideEmit(ArrayNode packet, Consumer<JsonNode> ack) {
      AtomicBoolean sent = new AtomicBoolean();
      dispatchServerSide(
          packet,
          new Ack() {
            @Override
            public void send(Object... args) {
              if (sent.compareAndSet(false, true)) {
                ack.accept(
                    args.length == 0
                        ? NullNode.getInstance()
                        : Json.toNode(server.mapper(), args[0]));
              }
            }

            @Override
            public boolean requested() {
              return true;
            }
          });
    }
  }
}
