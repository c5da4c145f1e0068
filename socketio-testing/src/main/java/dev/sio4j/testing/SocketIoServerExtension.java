package dev.sio4j.testing;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a sio4j {@link SocketIoServer} on {@code 127.0.0.1} and a free port
 * for a test class or for each test, and hands out clients connected to it: Java clients ({@link
 * #client()}, {@link #connect(String, SocketOptions)}) and raw wire clients ({@link
 * #wireClient(Transport)}). Everything it hands out during a test is closed after that test; the
 * server is stopped after the class (or the test), each close bounded by {@link
 * Builder#closeTimeout(Duration)}.
 *
 * <pre>{@code
 * class ChatTest {
 *   @RegisterExtension
 *   static final SocketIoServerExtension server =
 *       SocketIoServerExtension.builder()
 *           .configure(io -> io.onConnection(socket ->
 *               socket.on("chat", (args, ack) -> ack.send("got " + args.string(0)))))
 *           .build();
 *
 *   @Test
 *   void answersChat() {
 *     ClientSocket client = server.client();
 *     Arguments reply = Await.join(client.emitWithAck("chat", "hi"));
 *     assertEquals("got hi", reply.string(0));
 *   }
 * }
 * }</pre>
 *
 * <p>Lifecycle: registered on a {@code static} field, one server serves the whole class (started
 * before {@code @BeforeAll} methods, stopped after {@code @AfterAll} methods) unless {@link
 * Builder#perTest()} asks for a new one per test; registered on an instance field, every test gets
 * its own. Handlers given to {@link Builder#configure} are registered on each new server before it
 * starts. A test that adds handlers of its own to {@link #io()} should use a server per test, or
 * they pile up for the tests after it. Clients made in {@code @BeforeAll} live until the class
 * ends; clients made in a test (or its {@code @BeforeEach}) are closed after its {@code @AfterEach}
 * methods. {@code @Nested} classes share the outer class's server.
 *
 * <p>Clients are made for the server: the server's path and parser are set on every Java client (so
 * a server with the msgpack parser gets msgpack clients), then the test's {@link Builder#clients}
 * settings apply.
 *
 * <p>Failures are {@link AssertionError}s: a client that cannot connect within {@link
 * Builder#connectTimeout(Duration)} (with the server's {@code connect_error} message if there was
 * one), a server or client that does not close in time, a server that does not start.
 *
 * <p>Thread-safety: thread-safe. The accessors may be called from any thread, for example from a
 * listener. Tests of one class that run concurrently share a per-class server and must use clients
 * of their own; the extension closes what was made during each test at that test's end, so
 * concurrent tests should register the extension on an instance field.
 */
public final class SocketIoServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final SocketIoOptions options;
  private final List<Consumer<SocketIoServer.Builder>> serverSettings;
  private final List<Consumer<SocketIoServer>> setup;
  private final List<Consumer<SocketIoClient.Builder>> clientSettings;
  private final boolean perTest;
  private final Duration connectTimeout;
  private final Duration closeTimeout;

  private final Object lock = new Object();
  // Guarded by lock.
  private SocketIoServer io;
  private boolean serverPerTest;
  private boolean inTest;
  // @Nested classes call the class callbacks again: only the outermost class starts and stops.
  private int classDepth;
  private final List<Object> classResources = new ArrayList<>();
  private final List<Object> testResources = new ArrayList<>();

  private SocketIoServerExtension(Builder b) {
    this.options = b.options;
    this.serverSettings = List.copyOf(b.serverSettings);
    this.setup = List.copyOf(b.setup);
    this.clientSettings = List.copyOf(b.clientSettings);
    this.perTest = b.perTest;
    this.connectTimeout = b.connectTimeout;
    this.closeTimeout = b.closeTimeout;
  }

  /** A builder with the defaults: default options, a server per class (on a static field). */
  public static Builder builder() {
    return new Builder();
  }

  /** An extension with the default options and no handlers (add them with {@link #io()}). */
  public static SocketIoServerExtension create() {
    return builder().build();
  }

  // ---- lifecycle
  // ---------------------------------------------------------------------------------

  @Override
  public void beforeAll(ExtensionContext context) {
    boolean outermost;
    synchronized (lock) {
      outermost = classDepth++ == 0;
    }
    if (outermost && !perTest) {
      start(false);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    boolean startHere;
    synchronized (lock) {
      inTest = true;
      startHere = io == null;
    }
    if (startHere) {
      start(true);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Object> resources;
    SocketIoServer stop = null;
    synchronized (lock) {
      inTest = false;
      resources = new ArrayList<>(testResources);
      testResources.clear();
      if (serverPerTest) {
        stop = io;
        io = null;
      }
    }
    shutDown(resources, stop);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<Object> resources;
    SocketIoServer stop;
    synchronized (lock) {
      if (--classDepth > 0) {
        return;
      }
      resources = new ArrayList<>(classResources);
      classResources.clear();
      stop = io;
      io = null;
    }
    shutDown(resources, stop);
  }

  private void start(boolean forOneTest) {
    SocketIoServer.Builder b = SocketIoServer.builder().options(options);
    serverSettings.forEach(s -> s.accept(b));
    // After the test's settings: the server is on the loopback interface and a free port.
    SocketIoServer server = b.host("127.0.0.1").port(0).build();
    setup.forEach(s -> s.accept(server));
    try {
      server.start().get(closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      server.close();
      throw new AssertionError("the Socket.IO server did not start within " + closeTimeout, e);
    }
    synchronized (lock) {
      io = server;
      serverPerTest = forOneTest;
    }
  }

  /** Closes the clients first (they would reconnect to a stopping server), then the server. */
  private void shutDown(List<Object> resources, SocketIoServer stop) {
    List<Throwable> failures = new ArrayList<>();
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Object r : resources) {
      try {
        if (r instanceof SocketIoClient client) {
          closing.add(client.close());
        } else {
          ((AutoCloseable) r).close();
        }
      } catch (Exception | AssertionError e) {
        failures.add(e);
      }
    }
    await(
        CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])),
        "the clients did not close",
        failures);
    if (stop != null) {
      await(stop.close(), "the Socket.IO server did not stop", failures);
    }
    if (!failures.isEmpty()) {
      AssertionError error = new AssertionError(failures.get(0).getMessage(), failures.get(0));
      failures.subList(1, failures.size()).forEach(error::addSuppressed);
      throw error;
    }
  }

  private void await(CompletableFuture<?> future, String what, List<Throwable> failures) {
    try {
      future.get(closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      failures.add(new AssertionError(what + " within " + closeTimeout, e));
    } catch (ExecutionException e) {
      failures.add(new AssertionError(what + ": " + e.getCause(), e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add(new AssertionError(what + ": interrupted", e));
    }
  }

  // ---- what tests use
  // ----------------------------------------------------------------------------

  /**
   * The running server, to register handlers and emit from the server side.
   *
   * @throws IllegalStateException outside the extension's lifecycle (no server is running)
   */
  public SocketIoServer io() {
    synchronized (lock) {
      if (io == null) {
        throw new IllegalStateException(
            "no Socket.IO server is running: register the extension with @RegisterExtension and"
                + " use it inside a test or a @BeforeAll/@BeforeEach method");
      }
      return io;
    }
  }

  /** The server's port. */
  public int port() {
    return io().port();
  }

  /** The server's address, {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** A Java client socket connected to the main namespace {@code /}. */
  public ClientSocket client() {
    return connect("/");
  }

  /** A Java client socket connected to {@code nsp}, with default socket options. */
  public ClientSocket connect(String nsp) {
    return connect(nsp, SocketOptions.defaults());
  }

  /** A Java client socket connected to {@code nsp} with {@code options} (auth, ack timeout...). */
  public ClientSocket connect(String nsp, SocketOptions options) {
    return connect(nsp, options, b -> {});
  }

  /**
   * A Java client socket connected to {@code nsp}, on a client of its own made with the extension's
   * client settings and then {@code client} (transports, reconnection...). Returns once the server
   * accepted it.
   *
   * @throws AssertionError if the server refuses it ({@code connect_error}, whose message the error
   *     carries) or it is not connected within the connect timeout
   */
  public ClientSocket connect(
      String nsp, SocketOptions options, Consumer<SocketIoClient.Builder> client) {
    Objects.requireNonNull(nsp, "nsp");
    Objects.requireNonNull(options, "options");
    SocketIoClient manager =
        newClient(
            b -> {
              client.accept(b);
              // The socket connects once the listeners below are on it.
              b.autoConnect(false);
            });
    ClientSocket socket = manager.socket(nsp, options);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.onConnect(() -> connected.complete(null));
    socket.onConnectError(connected::completeExceptionally);
    socket.connect();
    try {
      connected.get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(
          "the server refused the connection to " + nsp + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no connection to " + nsp + " within " + connectTimeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while connecting to " + nsp, e);
    }
    return socket;
  }

  /**
   * A Java client (the reference's Manager) for this server, not connected: made with the
   * extension's client settings, then {@code settings}; closed with the test. For tests of refused
   * connections, reconnection, or several namespaces on one connection.
   */
  public SocketIoClient newClient(Consumer<SocketIoClient.Builder> settings) {
    Objects.requireNonNull(settings, "settings");
    SocketIoServer server = io();
    SocketIoClient.Builder b =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + server.port()))
            .path(server.options().path())
            .parser(server.options().parser());
    clientSettings.forEach(s -> s.accept(b));
    settings.accept(b);
    SocketIoClient client = b.build();
    track(client);
    return client;
  }

  /** A raw wire client over WebSocket, its Engine.IO session open, no namespace connected yet. */
  public SocketIoWireClient wireClient() {
    return wireClient(Transport.WEBSOCKET);
  }

  /** A raw wire client over {@code transport}, no namespace connected yet; closed with the test. */
  public SocketIoWireClient wireClient(Transport transport) {
    SocketIoServer server = io();
    SocketIoWireClient client =
        SocketIoWireClient.open(server.port(), server.options().path(), transport);
    track(client);
    return client;
  }

  /** Keeps a {@link SocketIoClient} or an {@link AutoCloseable} for closing at the scope's end. */
  private void track(Object resource) {
    synchronized (lock) {
      (inTest ? testResources : classResources).add(resource);
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "SocketIoServerExtension[" + (io == null ? "stopped" : "port " + io.port()) + "]";
    }
  }

  /**
   * Builder of {@link SocketIoServerExtension}.
   *
   * <p>Thread-safety: not thread-safe; build it where it is declared.
   */
  public static final class Builder {
    private SocketIoOptions options = SocketIoOptions.defaults();
    private final List<Consumer<SocketIoServer.Builder>> serverSettings = new ArrayList<>();
    private final List<Consumer<SocketIoServer>> setup = new ArrayList<>();
    private final List<Consumer<SocketIoClient.Builder>> clientSettings = new ArrayList<>();
    private boolean perTest;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The server's options (path, parser, recovery, timeouts...). */
    public Builder options(SocketIoOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Further settings of the server's builder ({@code ioThreads}, {@code fallback}...). The host
     * and port are set after them: the server is always on {@code 127.0.0.1} and a free port.
     */
    public Builder server(Consumer<SocketIoServer.Builder> settings) {
      serverSettings.add(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * Registers handlers on each new server before it starts (middleware, namespaces, connection
     * listeners). May be called several times; they run in order.
     */
    public Builder configure(Consumer<SocketIoServer> setup) {
      this.setup.add(Objects.requireNonNull(setup, "setup"));
      return this;
    }

    /**
     * Settings for every Java client the extension makes (transports, reconnection, timeouts...),
     * applied after the server's path and parser. May be called several times.
     */
    public Builder clients(Consumer<SocketIoClient.Builder> settings) {
      clientSettings.add(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /** A new server for each test, also when the extension is on a static field. */
    public Builder perTest() {
      this.perTest = true;
      return this;
    }

    /**
     * How long {@link SocketIoServerExtension#connect(String)} and its variants wait for the server
     * to accept a client (default 10 s).
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout);
      return this;
    }

    /** How long starting the server, and closing it and the clients, may take (default 10 s). */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive(timeout);
      return this;
    }

    public SocketIoServerExtension build() {
      return new SocketIoServerExtension(this);
    }

    private static Duration positive(Duration d) {
      Objects.requireNonNull(d, "timeout");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + d);
      }
      return d;
    }
  }
}
