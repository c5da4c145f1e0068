package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.Adapter;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.RecoverySession;
import dev.sio4j.adapter.SocketHandle;
import dev.sio4j.common.internal.Json;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioParser;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace: a channel of communication multiplexed over each client connection, with its own
 * middlewares, sockets, rooms (through its {@link Adapter}) and event handlers.
 *
 * <p>Thread-safety: thread-safe. Registration ({@code use}, {@code onConnection}) may happen from
 * any thread, though it is meant to be done before clients connect; broadcasts may be sent from any
 * thread.
 */
public class Namespace implements AdapterHost {
  private static final Logger log = LoggerFactory.getLogger(Namespace.class);

  private final SocketIoServer server;
  private final String name;
  private final Adapter adapter;
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
  private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
  private final List<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong ackIds = new AtomicLong();
  private final ParentNamespace parent;

  Namespace(SocketIoServer server, String name, ParentNamespace parent) {
    this.server = server;
    this.name = name;
    this.parent = parent;
    this.adapter = server.options().adapter().create(this);
    this.adapter.init();
  }

  @Override
  public String name() {
    return name;
  }

  public SocketIoServer server() {
    return server;
  }

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

  List<Middleware> middlewares() {
    return middlewares;
  }

  List<Consumer<Socket>> connectionListeners() {
    return connectionListeners;
  }

  // ---- AdapterHost ---------------------------------------------------------------------------

  @Override
  public Optional<SocketHandle> socket(String id) {
    Socket s = sockets.get(id);
    return s == null ? Optional.empty() : Optional.of(s.handle());
  }

  @Override
  public long nextAckId() {
    return ackIds.getAndIncrement();
  }

  @Override
  public SioParser encoder() {
    return server.parser();
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

  // ---- connection flow -----------------------------------------------------------------------

  /** A client asks to join. Runs on the client's loop. */
  void add(Client client, JsonNode auth) {
    Optional<RecoveryOptions> recovery = server.options().connectionStateRecovery();
    JsonNode pid = auth.get("pid");
    JsonNode offset = auth.get("offset");
    if (recovery.isEmpty()
        || pid == null
        || !pid.isTextual()
        || offset == null
        || !offset.isTextual()) {
      runMiddlewares(new Socket(this, client, auth, null), client, 0);
      return;
    }
    adapter
        .restoreSession(pid.textValue(), offset.textValue())
        .whenComplete(
            (session, error) ->
                client
                    .conn()
                    .executor()
                    .execute(
                        () -> {
                          RecoverySession previous =
                              error == null && session.isPresent() ? session.get() : null;
                          Socket socket = new Socket(this, client, auth, previous);
                          if (previous != null
                              && recovery.get().skipMiddlewares()
                              && client.isOpen()) {
                            accept(socket, client);
                          } else {
                            runMiddlewares(socket, client, 0);
                          }
                        }));
  }

  private void runMiddlewares(Socket socket, Client client, int index) {
    if (index >= middlewares.size()) {
      accept(socket, client);
      return;
    }
    AtomicBoolean done = new AtomicBoolean();
    Middleware.Next next =
        new Middleware.Next() {
          @Override
          public void proceed() {
            if (done.compareAndSet(false, true)) {
              socket.onLoop(() -> runMiddlewares(socket, client, index + 1));
            }
          }

          @Override
          public void fail(String message) {
            fail(message, null);
          }

          @Override
          public void fail(String message, Object data) {
            if (done.compareAndSet(false, true)) {
              socket.onLoop(
                  () -> {
                    socket.abandon();
                    refuse(client, message, data);
                  });
            }
          }
        };
    try {
      middlewares.get(index).handle(socket, next);
    } catch (RuntimeException e) {
      log.warn("middleware of namespace {} failed", name, e);
      next.fail(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private void refuse(Client client, String message, Object data) {
    if (!client.isOpen()) {
      return;
    }
    ObjectNode payload = server.mapper().createObjectNode();
    payload.put("message", message);
    if (data != null) {
      payload.set("data", Json.toNode(server.mapper(), data));
    }
    client.write(SioPacket.connectError(name, payload), BroadcastFlags.DEFAULT);
  }

  private void accept(Socket socket, Client client) {
    if (!client.isOpen()) {
      socket.abandon();
      return;
    }
    sockets.put(socket.id(), socket);
    client.added(socket);
    socket.onConnect();
    for (Consumer<Socket> l : connectionListeners) {
      try {
        l.accept(socket);
      } catch (RuntimeException e) {
        log.warn("connection listener of namespace {} failed", name, e);
      }
    }
  }

  void remove(Socket socket) {
    sockets.remove(socket.id(), socket);
    if (parent != null && sockets.isEmpty() && server.options().cleanupEmptyChildNamespaces()) {
      server.removeChild(this, parent);
    }
  }
}
