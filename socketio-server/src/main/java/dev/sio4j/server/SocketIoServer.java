package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.common.AckEventListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.EventListener;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.common.Subscription;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.EngineIoHandler;
import dev.sio4j.engineio.server.EngineIoServer;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.engineio.server.IoTransport;
import dev.sio4j.server.spi.SocketIoObserver;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.SioParser;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO v5 server on Netty: the Java counterpart of the Node {@code socket.io} server.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder().port(3000).build();
 * io.onConnection(socket -> socket.on("ping", (args, ack) -> ack.send("pong")));
 * io.start().join();
 * }</pre>
 *
 * <p>Methods of the main namespace ({@code use}, {@code onConnection}, {@code emit}, {@code to},
 * ...) are available directly on the server, as in the reference.
 *
 * <p>Thread-safety: thread-safe. See {@link Socket} for the threading of callbacks.
 */
public final class SocketIoServer {
  private final SocketIoOptions options;
  private final EngineIoServer engine;
  private final SioParser parser;
  private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
  private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
  private final List<Consumer<Namespace>> newNamespaceListeners = new CopyOnWriteArrayList<>();
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final List<ConnectionObserver> connectionObservers = new CopyOnWriteArrayList<>();
  private final List<StaticRoutesHandler.Route> staticRoutes = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final String serverId;
  private final Namespace main;
  private CompletableFuture<Void> closing;
  private final List<SocketIoObserver> observers;
  private volatile SocketIoObserver observer;
  private volatile boolean started;

  private SocketIoServer(Builder b) {
    this.options = b.options;
    this.observers = new CopyOnWriteArrayList<>(options.observers());
    this.observer = Observers.of(observers);
    this.serverId = newServerId();
    this.parser = options.parser();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sio4j-timers");
              t.setDaemon(true);
              return t;
            });
    String path = options.path();
    EngineIoServer.Builder eb =
        EngineIoServer.builder()
            .host(b.host)
            .port(b.port)
            .options(options.engine())
            .handler(new EngineHandler())
            .fallback(b.fallback);
    if (b.ssl != null) {
      eb.ssl(b.ssl);
    }
    if (b.ioThreads > 0) {
      eb.ioThreads(b.ioThreads);
    }
    if (b.transport != null) {
      eb.transport(b.transport);
    }
    String bundlePath = options.serveClient() ? path : null;
    eb.before(() -> new StaticRoutesHandler(staticRoutes, bundlePath));
    this.engine = eb.build();
    this.main = of("/");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** 8 random bytes in hex, as the reference's adapter {@code uid}. */
  private static String newServerId() {
    byte[] bytes = new byte[8];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * This server's id in a cluster (16 hex digits, random per server instance): the {@code uid} of
   * the messages its adapters send.
   */
  public String serverId() {
    return serverId;
  }

  public SocketIoOptions options() {
    return options;
  }

  /** The Engine.IO server below (also to mount it in an application's own Netty pipeline). */
  public EngineIoServer engine() {
    return engine;
  }

  /**
   * A new handler serving this server's own HTTP routes, for one channel of an application's own
   * Netty pipeline: the official browser client under {@link SocketIoOptions#path()} when {@link
   * SocketIoOptions#serveClient()}, and the {@link #serveStatic} routes. Place it after the {@code
   * HttpServerCodec} and before {@link EngineIoServer#newHttpHandler() engine().newHttpHandler()};
   * other requests pass through. The standalone server installs it itself.
   */
  public ChannelHandler newRoutesHandler() {
    return new StaticRoutesHandler(staticRoutes, options.serveClient() ? options.path() : null);
  }

  ObjectMapper mapper() {
    return options.mapper();
  }

  SioParser parser() {
    return parser;
  }

  /** A decoder for a new connection. */
  SioPacketDecoder newDecoder() {
    return parser.newDecoder();
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * Binds the port; completes once listening (logged in one INFO line: address, path, transports).
   * Fails with a {@link SocketIoException} whose message names the host and port when the port
   * cannot be bound (in use...), logged in one ERROR line without a stack trace.
   */
  public CompletableFuture<SocketIoServer> start() {
    started = true;
    return engine
        .start()
        .handle(
            (e, error) -> {
              if (error != null) {
                Throwable cause =
                    error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null
                        ? error.getCause()
                        : error;
                throw new SocketIoException(String.valueOf(cause.getMessage()), cause);
              }
              return this;
            });
  }

  /**
   * Adds an observer of this server's activity (see {@link SocketIoOptions.Builder#observer}), for
   * a component that gets the server already built, such as {@code SocketIoMetrics.bind}. Only
   * before {@link #start()}, so that the observer sees every connection from the first.
   *
   * @throws IllegalStateException once the server was started
   */
  public synchronized SocketIoServer addObserver(SocketIoObserver observer) {
    if (started) {
      throw new IllegalStateException("observers are added before the server starts");
    }
    observers.add(Objects.requireNonNull(observer));
    this.observer = Observers.of(List.copyOf(observers));
    return this;
  }

  /** What connections read once, when they open; cluster hooks read it at each request. */
  SocketIoObserver observer() {
    return observer;
  }

  /** The port the server listens on. */
  public int port() {
    return engine.port();
  }

  // ---- namespaces ----------------------------------------------------------------------------

  /** The main namespace {@code /}. */
  public Namespace sockets() {
    return main;
  }

  /** The namespace with this name, created on first use. */
  public Namespace of(String name) {
    String n = name.startsWith("/") ? name : "/" + name;
    boolean[] created = {false};
    Namespace nsp =
        namespaces.computeIfAbsent(
            n,
            k -> {
              created[0] = true;
              return new Namespace(this, k, null);
            });
    if (created[0] && !n.equals("/")) {
      newNamespaceListeners.forEach(l -> l.accept(nsp));
    }
    return nsp;
  }

  /** Dynamic namespaces: every name matching the pattern (entirely). */
  public ParentNamespace of(Pattern pattern) {
    return of((name, auth) -> pattern.matcher(name).matches());
  }

  /** Dynamic namespaces: every name the matcher accepts. */
  public ParentNamespace of(NamespaceMatcher matcher) {
    ParentNamespace parent = new ParentNamespace(Objects.requireNonNull(matcher));
    parents.add(parent);
    return parent;
  }

  /** Called for each namespace created after this call (not for {@code /}). */
  public SocketIoServer onNewNamespace(Consumer<Namespace> listener) {
    newNamespaceListeners.add(listener);
    return this;
  }

  /** The namespaces of this server (of this node), dynamic children included. */
  public Collection<Namespace> namespaces() {
    return Collections.unmodifiableCollection(namespaces.values());
  }

  Namespace namespaceOrNull(String name) {
    return namespaces.get(name);
  }

  /** Creates the child namespace of the first parent whose matcher accepts the name. */
  Namespace matchDynamic(String name, JsonNode auth) {
    for (ParentNamespace parent : parents) {
      boolean ok;
      try {
        ok = parent.matcher().matches(name, auth);
      } catch (RuntimeException e) {
        ok = false;
      }
      if (ok) {
        boolean[] created = {false};
        Namespace child =
            namespaces.computeIfAbsent(
                name,
                k -> {
                  created[0] = true;
                  Namespace c = new Namespace(this, k, parent);
                  parent.adopt(c);
                  return c;
                });
        if (created[0]) {
          newNamespaceListeners.forEach(l -> l.accept(child));
        }
        return child;
      }
    }
    return null;
  }

  void removeChild(Namespace child, ParentNamespace parent) {
    if (namespaces.remove(child.name(), child)) {
      parent.release(child);
      child.adapter().close();
    }
  }

  // ---- main namespace shortcuts --------------------------------------------------------------

  public SocketIoServer use(Middleware middleware) {
    main.use(middleware);
    return this;
  }

  public SocketIoServer onConnection(Consumer<Socket> listener) {
    main.onConnection(listener);
    return this;
  }

  public void emit(String event, Object... args) {
    main.emit(event, args);
  }

  public void send(Object... args) {
    main.send(args);
  }

  public BroadcastOperator to(String... rooms) {
    return main.to(rooms);
  }

  public BroadcastOperator in(String... rooms) {
    return main.in(rooms);
  }

  public BroadcastOperator except(String... rooms) {
    return main.except(rooms);
  }

  public BroadcastOperator volatile_() {
    return main.volatile_();
  }

  public BroadcastOperator compress(boolean compress) {
    return main.compress(compress);
  }

  public BroadcastOperator local() {
    return main.local();
  }

  public BroadcastOperator timeout(Duration timeout) {
    return main.timeout(timeout);
  }

  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return main.fetchSockets();
  }

  public void socketsJoin(String... rooms) {
    main.socketsJoin(rooms);
  }

  public void socketsLeave(String... rooms) {
    main.socketsLeave(rooms);
  }

  public void disconnectSockets(boolean close) {
    main.disconnectSockets(close);
  }

  /** See {@link Namespace#serverSideEmit}: to the main namespace's listeners on other nodes. */
  public void serverSideEmit(String event, Object... args) {
    main.serverSideEmit(event, args);
  }

  /** See {@link Namespace#serverSideEmitWithAck}. */
  public CompletableFuture<List<Arguments>> serverSideEmitWithAck(String event, Object... args) {
    return main.serverSideEmitWithAck(event, args);
  }

  /** See {@link Namespace#on(String, AckEventListener)}: events other nodes send to {@code /}. */
  public Subscription on(String event, AckEventListener listener) {
    return main.on(event, listener);
  }

  /** See {@link Namespace#on(String, EventListener)}. */
  public Subscription on(String event, EventListener listener) {
    return main.on(event, listener);
  }

  /** Removes every server-side listener of an event of the main namespace. */
  public SocketIoServer off(String event) {
    main.off(event);
    return this;
  }

  // ---- observation and extra HTTP routes ----------------------------------------------------

  /**
   * Adds an observer of the Engine.IO connections (opened, upgraded, closed, message sizes); see
   * {@link ConnectionObserver}. Connections open already are not reported as opened.
   */
  public Subscription observeConnections(ConnectionObserver observer) {
    Objects.requireNonNull(observer);
    connectionObservers.add(observer);
    return () -> connectionObservers.remove(observer);
  }

  List<ConnectionObserver> connectionObservers() {
    return connectionObservers;
  }

  /** Calls every observer; one that throws is logged and does not stop the connection's work. */
  void observe(Consumer<ConnectionObserver> call) {
    for (ConnectionObserver o : connectionObservers) {
      try {
        call.accept(o);
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(SocketIoServer.class)
            .warn("connection observer {} failed", o.getClass().getName(), e);
      }
    }
  }

  /**
   * Serves files over HTTP on this server's own port, below {@code pathPrefix} ({@code /admin}
   * serves {@code /admin/} and what is below it; {@code /admin} itself redirects to {@code
   * /admin/}, and a path ending with {@code /} serves its {@code index.html}). GET and HEAD only; a
   * path that the files do not know is a 404. Takes effect at once, also on a running server; the
   * Socket.IO path should not be below the prefix. A server mounted in another HTTP stack serves
   * them where that stack places {@link #newRoutesHandler()} (the Spring Boot starter's Reactor
   * Netty binding does).
   *
   * @param pathPrefix starts with {@code /}, does not end with one, and is not just {@code /}
   * @return removes the route
   */
  public Subscription serveStatic(String pathPrefix, StaticFiles files) {
    Objects.requireNonNull(files);
    if (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/") || pathPrefix.contains("?")) {
      throw new IllegalArgumentException(
          "a static path starts with / and ends without one: " + pathPrefix);
    }
    StaticRoutesHandler.Route route = new StaticRoutesHandler.Route(pathPrefix, files);
    staticRoutes.add(route);
    return () -> staticRoutes.remove(route);
  }

  // ---- shutdown ------------------------------------------------------------------------------

  /**
   * Disconnects every socket ({@code server shutting down}), closes the adapters, then releases the
   * port. Calling it again returns the same future (the reference does not throw on a stopped
   * server either).
   */
  public synchronized CompletableFuture<Void> close() {
    if (closing == null) {
      closing = doClose();
    }
    return closing;
  }

  private CompletableFuture<Void> doClose() {
    List<Client> all = new ArrayList<>(clients.values());
    CountDownLatch done = new CountDownLatch(all.size());
    for (Client c : all) {
      c.conn()
          .executor()
          .execute(
              () -> {
                try {
                  c.shutdown();
                } finally {
                  done.countDown();
                }
              });
    }
    return CompletableFuture.runAsync(
            () -> {
              try {
                done.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            })
        .thenCompose(
            v -> {
              List<CompletableFuture<Void>> closing = new ArrayList<>();
              namespaces.values().forEach(n -> closing.add(n.adapter().close()));
              return CompletableFuture.allOf(closing.toArray(new CompletableFuture[0]));
            })
        .thenCompose(v -> engine.close())
        .whenComplete(
            (v, e) -> {
              // Sessions discarded by the engine's close may never report onClose.
              clients.clear();
              scheduler.shutdownNow();
            });
  }

  /** Bridges Engine.IO sessions to Socket.IO clients. */
  private final class EngineHandler implements EngineIoHandler {
    @Override
    public void onOpen(EngineIoSocket socket) {
      Client client = new Client(SocketIoServer.this, socket);
      socket.attachment(client);
      clients.put(socket.id(), client);
      observer.connectionOpened(socket.transport());
      TransportType transport = socket.transport();
      observe(o -> o.onOpen(socket, transport));
      if (client.legacy()) {
        // A protocol v4 client never asks for "/": it is in it from the start.
        ConnectFlow.start(SocketIoServer.this, client, "/", mapper().createObjectNode());
      }
    }

    @Override
    public void onMessage(EngineIoSocket socket, String text) {
      if (!connectionObservers.isEmpty()) {
        int bytes = Observers.utf8Length(text);
        observe(o -> o.onMessageIn(socket, bytes));
      }
      Client client = (Client) socket.attachment();
      if (client != null) {
        client.onText(text);
      }
    }

    @Override
    public void onBinary(EngineIoSocket socket, byte[] data) {
      if (!connectionObservers.isEmpty()) {
        observe(o -> o.onMessageIn(socket, data.length));
      }
      Client client = (Client) socket.attachment();
      if (client != null) {
        client.onBinary(data);
      }
    }

    @Override
    public void onClose(EngineIoSocket socket, CloseReason reason, String description) {
      Client client = (Client) socket.attachment();
      clients.remove(socket.id());
      if (client != null) {
        client.onClose(reason);
      }
      observer.connectionClosed(socket.transport(), reason);
      observe(o -> o.onClose(socket, reason));
    }

    @Override
    public void onUpgrade(EngineIoSocket socket, TransportType transport) {
      observer.connectionUpgraded(TransportType.POLLING, transport);
      observe(o -> o.onUpgrade(socket, transport));
    }

    @Override
    public void onDrain(EngineIoSocket socket) {
      Client client = (Client) socket.attachment();
      if (client != null) {
        client.onDrain();
      }
    }
  }

  /** Builder of {@link SocketIoServer}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private SocketIoOptions options = SocketIoOptions.defaults();
    private String host = "127.0.0.1";
    private int port;
    private SslContext ssl;
    private int ioThreads;
    private IoTransport transport;
    private Supplier<? extends ChannelHandler> fallback =
        EngineIoServer.Builder.statusFallback(404);

    private Builder() {}

    public Builder options(SocketIoOptions options) {
      this.options = Objects.requireNonNull(options);
      return this;
    }

    /** The address to bind: {@code 127.0.0.1} by default, {@code 0.0.0.0} for all interfaces. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** The port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder ssl(SslContext ssl) {
      this.ssl = ssl;
      return this;
    }

    /** Event loops serving connections (default: one per core). */
    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    /**
     * The Netty transport of the event loops (see {@link IoTransport}). Without this call the
     * system property {@value IoTransport#PROPERTY} decides, and without that {@link
     * IoTransport#AUTO}: epoll on Linux, io_uring where only that is there, NIO elsewhere. The one
     * in use is {@code engine().transport()} once started.
     */
    public Builder transport(IoTransport transport) {
      this.transport = Objects.requireNonNull(transport);
      return this;
    }

    /**
     * The handler for HTTP requests outside the Socket.IO path and the client bundle, one new
     * instance per channel: it receives the request and its content as Netty HTTP objects (not
     * aggregated) and must answer it. The default answers 404. An application serves its own pages
     * this way, on the same port as Socket.IO.
     */
    public Builder fallback(Supplier<? extends ChannelHandler> fallback) {
      this.fallback = Objects.requireNonNull(fallback);
      return this;
    }

    public SocketIoServer build() {
      return new SocketIoServer(this);
    }
  }
}
