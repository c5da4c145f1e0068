package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.EventListener;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.LineLog;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against a Socket.IO server, parameterised over polling only, WebSocket only and
 * polling with upgrade. Subclasses say which server: {@link #startServer(String)} returns one
 * configured with {@link #SERVER_OPTIONS}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class AbstractClientInteropTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final ObjectMapper JSON = new ObjectMapper();

  /** Options of the server under test: two extra namespaces, one guarded by a middleware. */
  static final String SERVER_OPTIONS =
      "{\"namespaces\":[\"/admin\",\"/private\"],"
          + "\"rejectWith\":{\"nsp\":\"/private\",\"message\":\"not allowed\","
          + "\"data\":{\"code\":42}}}";

  TestServer server;
  private final List<SocketIoClient> clients = new ArrayList<>();

  /** Starts the server under test with these options (a JSON object). */
  protected abstract TestServer startServer(String optionsJson);

  /** The options the server starts with: {@link #SERVER_OPTIONS}, or more in a subclass. */
  String serverOptions() {
    return SERVER_OPTIONS;
  }

  /** Applied to every client's builder; a subclass may set e.g. the parser. */
  SocketIoClient.Builder clientDefaults(SocketIoClient.Builder b) {
    return b;
  }

  @BeforeAll
  void startServer() {
    server = startServer(serverOptions());
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeClients() {
    CompletableFuture.allOf(
            clients.stream().map(SocketIoClient::close).toArray(CompletableFuture[]::new))
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    clients.clear();
  }

  SocketIoClient client(Mode mode) {
    return client(mode, b -> b);
  }

  SocketIoClient client(
      Mode mode, java.util.function.UnaryOperator<SocketIoClient.Builder> custom) {
    SocketIoClient c =
        custom
            .apply(
                mode.configure(
                    clientDefaults(SocketIoClient.builder())
                        .uri(URI.create(server.url()))
                        .reconnectionDelay(Duration.ofMillis(100))
                        .reconnectionDelayMax(Duration.ofMillis(500))))
            .build();
    clients.add(c);
    return c;
  }

  static LineLog record(ClientSocket socket) {
    LineLog log = new LineLog();
    socket.onConnect(() -> log.add("connect"));
    socket.onDisconnect(r -> log.add("disconnect:" + r.reason()));
    socket.onConnectError(
        e -> log.add("connect_error:" + e.getMessage() + ":" + e.data().orElse(null)));
    return log;
  }

  /**
   * The server's connection events of these sockets, which it may report in any order (awaiting one
   * by one would consume, and so lose, the others).
   */
  Map<String, JsonNode> connections(List<String> ids) {
    Map<String, JsonNode> out = new java.util.HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      JsonNode c = server.await("connection", n -> ids.contains(n.path("id").asText()), WAIT);
      out.put(c.path("id").asText(), c);
    }
    return out;
  }

  JsonNode serverEvent(String id, String name) {
    return server.await(
        "event",
        n -> n.path("id").asText().equals(id) && n.path("name").asText().equals(name),
        WAIT);
  }

  static Map<String, String> binary(byte[] bytes) {
    return Map.of("$binary", Base64.getEncoder().encodeToString(bytes));
  }

  static byte[] bytesOf(JsonNode node) {
    return Base64.getDecoder().decode(node.path("$binary").asText());
  }

  /** Waits until the client runs over WebSocket (upgrade mode); a server round trip each try. */
  static void awaitTransport(SocketIoClient client, ClientSocket socket, TransportType type) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (client.transport().orElse(null) != type) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("transport is still " + client.transport());
      }
      socket.timeout(WAIT).emitWithAck("echo").join();
    }
  }

  // ---------------------------------------------------------------- tests

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectsWithAuthFromSupplierOnEachConnection(Mode mode) {
    SocketIoClient client = client(mode, b -> b.autoConnect(false));
    AtomicInteger calls = new AtomicInteger();
    ClientSocket socket =
        client.socket(
            "/",
            SocketOptions.builder()
                .auth(() -> Map.of("token", "abc", "n", calls.incrementAndGet()))
                .build());
    LineLog log = record(socket);
    assertFalse(socket.active());
    socket.connect();
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    JsonNode conn = server.await("connection", n -> n.path("id").asText().equals(id), WAIT);
    assertEquals("abc", conn.path("auth").path("token").asText());
    assertEquals(1, conn.path("auth").path("n").asInt());
    assertEquals(mode.handshakeTransport, conn.path("transport").asText());
    assertTrue(socket.connected());
    assertTrue(socket.active());
    assertTrue(
        log.threads().stream().allMatch(t -> t.startsWith("sio4j-client-")),
        () -> "callbacks ran on " + log.threads());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void middlewareRejectionIsConnectErrorWithData(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/private");
    LineLog log = record(socket);
    String line = log.await("connect_error:", WAIT);
    assertEquals("connect_error:not allowed:{\"code\":42}", line);
    assertFalse(socket.active());
    assertFalse(socket.connected());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void namespacesShareOneEngineConnection(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket main = client.socket("/");
    ClientSocket admin = client.socket("/admin");
    LineLog mainLog = record(main);
    LineLog adminLog = record(admin);
    mainLog.await("connect", WAIT);
    adminLog.await("connect", WAIT);
    String mainId = main.id().orElseThrow();
    String adminId = admin.id().orElseThrow();
    Map<String, JsonNode> conns = connections(List.of(mainId, adminId));
    JsonNode c1 = conns.get(mainId);
    JsonNode c2 = conns.get(adminId);
    assertEquals("/admin", c2.path("nsp").asText());
    assertEquals(c1.path("engine").asText(), c2.path("engine").asText());
    // Events stay in their namespace.
    admin.on("news", args -> adminLog.add("news:" + args.string(0)));
    main.on("news", args -> mainLog.add("news:" + args.string(0)));
    server.command(Map.of("cmd", "emit", "nsp", "/admin", "name", "news", "args", List.of("a")));
    server.command(Map.of("cmd", "emit", "nsp", "/", "name", "news", "args", List.of("m")));
    assertEquals("news:a", adminLog.await("news:", WAIT));
    assertEquals("news:m", mainLog.await("news:", WAIT));
    assertEquals(List.of("news:a"), adminLog.lines("news:"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void clientEmitsWithBinaryAndGetsAcks(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    byte[] bytes = {1, 2, 3, (byte) 0xff};
    socket.emit("upload", "file", bytes, Map.of("nested", ByteBuffer.wrap(new byte[] {9})));
    JsonNode ev = serverEvent(id, "upload");
    assertEquals("file", ev.path("args").get(0).asText());
    assertArrayEquals(bytes, bytesOf(ev.path("args").get(1)));
    assertArrayEquals(new byte[] {9}, bytesOf(ev.path("args").get(2).path("nested")));
    assertFalse(ev.path("ack").asBoolean());

    Arguments reply =
        socket.timeout(WAIT).emitWithAck("echo", 42, "x", bytes, Map.of("k", List.of(1, 2))).join();
    assertEquals(4, reply.size());
    assertEquals(42, reply.get(0, Integer.class));
    assertEquals("x", reply.get(1, String.class));
    assertArrayEquals(bytes, reply.bytes(2));
    assertArrayEquals(bytes, reply.get(2, byte[].class));
    assertEquals(List.of(1, 2), reply.get(3, Map.class).get("k"));
    assertTrue(serverEvent(id, "echo").path("ack").asBoolean());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverEmitsWithBinaryAndGetsAcks(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    socket.on(
        "question",
        (args, ack) -> {
          log.add("question:" + args.get(0, Integer.class) + ":" + args.bytes(1).length);
          assertTrue(ack.requested());
          // A broadcast ack keeps the first argument of each client's reply only.
          ack.send(Map.of("n", args.get(0, Integer.class) + 1, "bin", new byte[] {7, 7}));
          ack.send("ignored: an ack is sent once");
        });
    socket.on(
        "plain",
        (args, ack) ->
            log.add("plain:" + ack.requested() + ":" + args.get(0, Payload.class).b().length));
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    server.command(
        Map.of(
            "cmd",
            "emitWithAck",
            "to",
            id,
            "name",
            "question",
            "tag",
            "q1",
            "args",
            List.of(41, binary(new byte[] {1, 2, 3}))));
    assertEquals("question:41:3", log.await("question:", WAIT));
    JsonNode ack = server.await("ack", n -> n.path("tag").asText().equals("q1"), WAIT);
    JsonNode reply = ack.path("args").get(0);
    assertEquals(42, reply.path("n").asInt());
    assertArrayEquals(new byte[] {7, 7}, bytesOf(reply.path("bin")));

    server.command(
        Map.of(
            "cmd",
            "emit",
            "to",
            id,
            "name",
            "plain",
            "args",
            List.of(Map.of("a", "x", "b", binary(new byte[] {5, 6})))));
    assertEquals("plain:false:2", log.await("plain:", WAIT));
  }

  /** A typed argument holding binary data. */
  record Payload(String a, byte[] b) {}

  @ParameterizedTest
  @EnumSource(Mode.class)
  void ackTimeoutFailsTheFuture(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    log.await("connect", WAIT);
    // The server never acks "silent".
    CompletableFuture<Arguments> f =
        socket.timeout(Duration.ofMillis(200)).emitWithAck("silent", 1);
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertInstanceOf(SocketIoException.class, e.getCause());
    assertEquals("operation has timed out", e.getCause().getMessage());
    // The socket-wide ackTimeout applies as well.
    ClientSocket admin =
        client.socket("/admin", SocketOptions.builder().ackTimeout(Duration.ofMillis(100)).build());
    CompletionException e2 =
        assertThrows(CompletionException.class, () -> admin.emitWithAck("silent").join());
    assertEquals("operation has timed out", e2.getCause().getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void pendingAcksAreRejectedOnDisconnect(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    CompletableFuture<Arguments> f = socket.emitWithAck("silent");
    serverEvent(id, "silent");
    socket.disconnect();
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertEquals("socket has been disconnected", e.getCause().getMessage());
    assertEquals("disconnect:io client disconnect", log.await("disconnect:", WAIT));
    JsonNode d = server.await("disconnect", n -> n.path("id").asText().equals(id), WAIT);
    assertEquals("client namespace disconnect", d.path("reason").asText());
    assertFalse(socket.active());
    assertTrue(socket.id().isEmpty());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anAnsweredAckIsNoLongerPending(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    record(socket).await("connect", WAIT);
    assertEquals(
        "x", socket.emitWithAck("echo", "x").orTimeout(10, TimeUnit.SECONDS).join().string(0));
    assertEquals(0, socket.pendingAcks());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTimedOutAckIsNoLongerPending(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    record(socket).await("connect", WAIT);
    CompletableFuture<Arguments> f = socket.timeout(Duration.ofMillis(200)).emitWithAck("silent");
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertInstanceOf(AckTimeoutException.class, e.getCause());
    assertEquals(0, socket.pendingAcks());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void acksPendingAtADisconnectionAreNoLongerPending(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    CompletableFuture<Arguments> f = socket.emitWithAck("silent", 1);
    serverEvent(id, "silent");
    // Registered before the packet left.
    assertEquals(1, socket.pendingAcks());
    socket.disconnect();
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertInstanceOf(SocketDisconnectedException.class, e.getCause());
    assertEquals(0, socket.pendingAcks());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void acksPendingWhenTheServerClosesTheConnectionAreNoLongerPending(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    CompletableFuture<Arguments> f = socket.emitWithAck("silent", 2);
    serverEvent(id, "silent");
    assertEquals(1, socket.pendingAcks());
    server.command(Map.of("cmd", "closeConnection", "to", id));
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertInstanceOf(SocketDisconnectedException.class, e.getCause());
    assertEquals(0, socket.pendingAcks());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void bufferedEmitsAreSentAfterConnectButVolatileOnesAreDropped(Mode mode) {
    SocketIoClient client = client(mode, b -> b.autoConnect(false));
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    List<String> outgoing = new ArrayList<>();
    socket.onAnyOutgoing((event, args) -> outgoing.add(event));
    socket.emit("buffered", 1);
    socket.volatile_().emit("volatile", 0);
    socket.emit("buffered", 2, new byte[] {1});
    CompletableFuture<Arguments> ack = socket.timeout(WAIT).emitWithAck("echo", "late");
    socket.connect();
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    assertEquals("late", ack.join().get(0, String.class));
    socket.emit("marker");
    serverEvent(id, "marker");
    List<JsonNode> events =
        server.events("event").stream().filter(n -> n.path("id").asText().equals(id)).toList();
    List<String> names = events.stream().map(n -> n.path("name").asText()).toList();
    assertEquals(List.of("buffered", "buffered", "echo", "marker"), names);
    assertEquals(1, events.get(0).path("args").get(0).asInt());
    assertEquals(2, events.get(1).path("args").get(0).asInt());
    // Recorded on the event thread; read after the ack completed there.
    assertEquals(List.of("buffered", "buffered", "echo", "marker"), snapshot(socket, outgoing));
  }

  private static List<String> snapshot(ClientSocket socket, List<String> list) {
    CompletableFuture<List<String>> copy = new CompletableFuture<>();
    socket.client().onLoop(() -> copy.complete(List.copyOf(list)));
    return copy.join();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void catchAllListenersSeeEveryEvent(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    AnyListener second = (event, args) -> log.add("any2:" + event);
    socket.onAny((event, args) -> log.add("any:" + event + ":" + args.size()));
    socket.onAny(second);
    socket.prependAny((event, args) -> log.add("first:" + event));
    socket.on("ping2", args -> log.add("on:ping2"));
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    server.command(Map.of("cmd", "emit", "to", id, "name", "ping2", "args", List.of(1, 2)));
    log.await("on:ping2", WAIT);
    List<String> seen = log.lines().stream().filter(l -> !l.equals("connect")).toList();
    assertEquals(List.of("first:ping2", "any:ping2:2", "any2:ping2", "on:ping2"), seen);
    socket.offAny(second);
    server.command(Map.of("cmd", "emit", "to", id, "name", "ping3", "args", List.of()));
    log.await("any:ping3:0", WAIT);
    socket.emit("marker");
    serverEvent(id, "marker");
    assertTrue(log.lines("any2:").equals(List.of("any2:ping2")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void onceOffAndAnAckAnsweredByACatchAllListener(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    EventListener removed = args -> log.add("removed");
    socket.on("news", args -> log.add("on:" + args.string(0)));
    socket.once("news", args -> log.add("once:" + args.string(0)));
    socket.on("news", removed);
    socket.off("news", removed);
    AnyListener answering =
        new AnyListener() {
          @Override
          public void onEvent(String event, Arguments args) {}

          @Override
          public void onEvent(String event, Arguments args, Ack ack) {
            if (ack.requested()) {
              ack.send("any:" + event);
            }
          }
        };
    socket.onAny(answering);
    assertEquals(List.of(answering), socket.listenersAny());
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    server.command(Map.of("cmd", "emit", "to", id, "name", "news", "args", List.of("1")));
    server.command(Map.of("cmd", "emit", "to", id, "name", "news", "args", List.of("2")));
    log.await("on:2", WAIT);
    assertEquals(
        List.of("on:1", "once:1", "on:2"),
        log.lines().stream().filter(l -> !l.equals("connect")).toList());
    server.command(
        Map.of("cmd", "emitWithAck", "to", id, "name", "question", "args", List.of(), "tag", "q"));
    JsonNode ack = server.await("ack", n -> n.path("tag").asText().equals("q"), WAIT);
    assertEquals("any:question", ack.path("args").get(0).asText());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverDisconnectIsFinal(Mode mode) {
    SocketIoClient client = client(mode);
    LineLog managerLog = new LineLog();
    client.onClose(r -> managerLog.add("close:" + r.reason()));
    client.onReconnectAttempt(n -> managerLog.add("reconnect_attempt:" + n));
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    server.command(Map.of("cmd", "disconnectAll", "to", id));
    assertEquals("disconnect:io server disconnect", log.await("disconnect:", WAIT));
    assertFalse(socket.active());
    // The last active socket is gone: the client closes its connection and does not reconnect.
    assertEquals("close:forced close", managerLog.await("close:", WAIT));
    JsonNode d = server.await("disconnect", n -> n.path("id").asText().equals(id), WAIT);
    assertEquals("server namespace disconnect", d.path("reason").asText());
    assertTrue(managerLog.lines("reconnect_attempt").isEmpty());
    // It can be reconnected by hand.
    socket.connect();
    log.await("connect", WAIT);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverClosingTheConnectionIsTransportCloseAndReconnects(Mode mode) {
    SocketIoClient client = client(mode);
    LineLog managerLog = new LineLog();
    client.onReconnect(n -> managerLog.add("reconnect:" + n));
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    if (mode == Mode.UPGRADE) {
      awaitTransport(client, socket, TransportType.WEBSOCKET);
    }
    server.command(Map.of("cmd", "closeConnection", "to", id));
    assertEquals("disconnect:transport close", log.await("disconnect:", WAIT));
    assertTrue(socket.active());
    managerLog.await("reconnect:1", WAIT);
    log.await("connect", WAIT);
    assertFalse(socket.id().orElseThrow().equals(id));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void emitIsThreadSafe(Mode mode) throws Exception {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/");
    LineLog log = record(socket);
    log.await("connect", WAIT);
    List<CompletableFuture<Arguments>> acks =
        java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    int perThread = 25;
    for (int t = 0; t < 4; t++) {
      int thread = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  acks.add(socket.timeout(WAIT).emitWithAck("echo", thread, i));
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join(WAIT.toMillis());
    }
    assertEquals(4 * perThread, acks.size());
    for (CompletableFuture<Arguments> f : List.copyOf(acks)) {
      assertEquals(2, f.join().size());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retriesResendUnacknowledgedEmitsOneAtATime(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket =
        client.socket(
            "/admin",
            SocketOptions.builder().retries(2).ackTimeout(Duration.ofMillis(150)).build());
    LineLog log = record(socket);
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    // Never acknowledged: sent 1 + 2 times, then the ack fails.
    CompletableFuture<Arguments> lost = socket.emitWithAck("silent", "s");
    // Queued behind it, sent only once the first one is settled.
    CompletableFuture<Arguments> next = socket.emitWithAck("echo", "e");
    CompletionException e = assertThrows(CompletionException.class, lost::join);
    assertEquals("operation has timed out", e.getCause().getMessage());
    assertEquals("e", next.join().get(0, String.class));
    // The server's log line may trail its ack.
    serverEvent(id, "echo");
    List<String> names =
        server.events("event").stream()
            .filter(n -> n.path("id").asText().equals(id))
            .map(n -> n.path("name").asText() + ":" + n.path("ack").asBoolean())
            .toList();
    assertEquals(List.of("silent:true", "silent:true", "silent:true", "echo:true"), names);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void lookupMultiplexesUnlessForceNew(Mode mode) {
    java.util.function.Consumer<SocketIoClient.Builder> cfg =
        b -> mode.configure(clientDefaults(b));
    ClientSocket main = SocketIo.socket(URI.create(server.url()), cfg, SocketOptions.defaults());
    ClientSocket admin =
        SocketIo.socket(URI.create(server.url() + "/admin"), cfg, SocketOptions.defaults());
    ClientSocket separate =
        SocketIo.socket(
            URI.create(server.url() + "/admin"),
            b -> mode.configure(clientDefaults(b)).forceNew(true),
            SocketOptions.defaults());
    clients.add(main.client());
    clients.add(separate.client());
    assertTrue(main.client() == admin.client());
    assertTrue(separate.client() != admin.client());
    List<String> ids = new ArrayList<>();
    for (ClientSocket s : List.of(main, admin, separate)) {
      LineLog log = record(s);
      if (!s.connected()) {
        log.await("connect", WAIT);
      }
      ids.add(s.id().orElseThrow());
    }
    Map<String, JsonNode> conns = connections(ids);
    List<String> engines = ids.stream().map(i -> conns.get(i).path("engine").asText()).toList();
    assertEquals(engines.get(0), engines.get(1));
    assertFalse(engines.get(1).equals(engines.get(2)));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void reservedEventNamesAreRejected(Mode mode) {
    SocketIoClient client = client(mode, b -> b.autoConnect(false));
    ClientSocket socket = client.socket("/");
    assertThrows(IllegalArgumentException.class, () -> socket.emit("connect"));
    assertThrows(IllegalArgumentException.class, () -> socket.emit("disconnect"));
  }
}
