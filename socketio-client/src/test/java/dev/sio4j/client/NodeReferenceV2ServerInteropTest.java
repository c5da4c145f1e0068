package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.interop.NodeServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client with {@code engineIoVersion(3)} against the Node socket.io 2.5.1 server (Engine.IO v3,
 * Socket.IO protocol v4), over polling, WebSocket and polling with upgrade.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeReferenceV2ServerInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Three namespaces besides "/", one refusing everyone, one checking a query token. The default
   * heartbeat (25 s): what happens within a test is not helped by a periodic ping.
   */
  private static final String OPTIONS =
      "{\"namespaces\":[\"/admin\",\"/private\",\"/secure\"],"
          + "\"rejectWith\":{\"nsp\":\"/private\",\"message\":\"not allowed\","
          + "\"data\":{\"code\":42}},"
          + "\"requireQuery\":{\"nsp\":\"/secure\",\"key\":\"token\",\"value\":\"s3cret\"}}";

  private TestServer server;
  private final List<SocketIoClient> clients = new ArrayList<>();

  @BeforeAll
  void start() {
    server = new NodeTestServer(NodeServer.SOCKET_IO_V2, OPTIONS);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    CompletableFuture.allOf(
            clients.stream().map(SocketIoClient::close).toArray(CompletableFuture[]::new))
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    clients.clear();
  }

  private SocketIoClient client(Mode mode) {
    return client(mode, b -> b);
  }

  private SocketIoClient client(Mode mode, UnaryOperator<SocketIoClient.Builder> custom) {
    SocketIoClient c =
        custom
            .apply(
                mode.configure(
                    SocketIoClient.builder()
                        .uri(URI.create(server.url()))
                        .engineIoVersion(3)
                        // Sockets connect once the test listens (a 2.x server may connect "/"
                        // before a listener registered after socket() would hear it).
                        .autoConnect(false)
                        .reconnectionDelay(Duration.ofMillis(100))
                        .reconnectionDelayMax(Duration.ofMillis(300))))
            .build();
    clients.add(c);
    return c;
  }

  private JsonNode connection(String id) {
    return server.await("connection", n -> n.path("id").asText().equals(id), WAIT);
  }

  private JsonNode serverEvent(String id, String name) {
    return server.await(
        "event",
        n -> n.path("id").asText().equals(id) && n.path("name").asText().equals(name),
        WAIT);
  }

  private static Map<String, String> binary(byte[] bytes) {
    return Map.of("$binary", Base64.getEncoder().encodeToString(bytes));
  }

  private static byte[] bytesOf(JsonNode node) {
    return Base64.getDecoder().decode(node.path("$binary").asText());
  }

  // ---------------------------------------------------------------- tests

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectsTheMainAndACustomNamespaceWithQueryAuth(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket main = client.socket("/");
    ClientSocket secure =
        client.socket("/secure", SocketOptions.builder().auth(Map.of("token", "s3cret")).build());
    LineLog mainLog = AbstractClientInteropTest.record(main);
    main.connect();
    LineLog secureLog = AbstractClientInteropTest.record(secure);
    secure.connect();
    mainLog.await("connect", WAIT);
    secureLog.await("connect", WAIT);
    String mainId = main.id().orElseThrow();
    String secureId = secure.id().orElseThrow();
    // 2.x ids: the engine id for "/", "<nsp>#<engine id>" for a namespace.
    assertEquals("/secure#" + mainId, secureId);
    JsonNode c1 = connection(mainId);
    JsonNode c2 = connection(secureId);
    assertEquals(mainId, c1.path("engine").asText());
    assertEquals(mainId, c2.path("engine").asText());
    assertEquals("s3cret", c2.path("query").path("token").asText());
    assertEquals(mode.handshakeTransport, c1.path("transport").asText());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void middlewareErrorsAreConnectErrors(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket wrongToken =
        client.socket("/secure", SocketOptions.builder().auth(Map.of("token", "nope")).build());
    ClientSocket refused = client.socket("/private");
    LineLog wrongLog = AbstractClientInteropTest.record(wrongToken);
    wrongToken.connect();
    LineLog refusedLog = AbstractClientInteropTest.record(refused);
    refused.connect();
    // A plain-string error is the message; 2.x sends err.data in place of the message if set.
    assertEquals("connect_error:bad token:null", wrongLog.await("connect_error:", WAIT));
    assertEquals(
        "connect_error:{\"code\":42}:{\"code\":42}", refusedLog.await("connect_error:", WAIT));
    assertFalse(wrongToken.active());
    assertFalse(refused.connected());
    // The connection itself is fine: the main namespace works.
    ClientSocket main = client.socket("/").connect();
    assertEquals(List.of(), main.timeout(WAIT).emitWithAck("echo").join().toList());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eventsAndAcksBothWaysWithBinary(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket socket = client.socket("/admin");
    LineLog log = AbstractClientInteropTest.record(socket);
    socket.connect();
    log.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    // Non-BMP text: v3 polling payloads count UTF-16 units.
    String text = "h\u00e9llo \uD83D\uDE00 2";
    byte[] bytes = {0, 1, 2, (byte) 0xff};

    socket.emit("upload", text, bytes);
    JsonNode ev = serverEvent(id, "upload");
    assertEquals(text, ev.path("args").get(0).asText());
    assertArrayEquals(bytes, bytesOf(ev.path("args").get(1)));
    assertFalse(ev.path("ack").asBoolean());

    // Client -> server with ack; the reply carries binary (a BINARY_ACK from the server).
    Arguments reply = socket.timeout(WAIT).emitWithAck("echo", 7, text, bytes).join();
    assertEquals(7, reply.get(0, Integer.class));
    assertEquals(text, reply.get(1, String.class));
    assertArrayEquals(bytes, reply.bytes(2));

    // Server -> client with binary, the client acks with binary (a BINARY_ACK to the server).
    socket.on(
        "question",
        (args, ack) -> {
          log.add("question:" + args.string(0) + ":" + args.bytes(1).length);
          ack.send("answer", new byte[] {9, 8});
        });
    server.command(
        Map.of(
            "cmd",
            "emitWithAck",
            "nsp",
            "/admin",
            "to",
            id,
            "name",
            "question",
            "args",
            List.of(text, binary(bytes)),
            "tag",
            "q"));
    assertEquals("question:" + text + ":4", log.await("question:", WAIT));
    JsonNode ack = server.await("ack", n -> n.path("tag").asText().equals("q"), WAIT);
    assertEquals("answer", ack.path("args").get(0).asText());
    assertArrayEquals(new byte[] {9, 8}, bytesOf(ack.path("args").get(1)));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void roomsBroadcastReachOnlyTheirMembers(Mode mode) {
    ClientSocket a = client(mode).socket("/");
    ClientSocket b = client(mode).socket("/");
    LineLog logA = AbstractClientInteropTest.record(a);
    a.connect();
    LineLog logB = AbstractClientInteropTest.record(b);
    b.connect();
    logA.await("connect", WAIT);
    logB.await("connect", WAIT);
    a.on("news", args -> logA.add("news:" + args.string(0)));
    b.on("news", args -> logB.add("news:" + args.string(0)));
    server.command(Map.of("cmd", "join", "to", a.id().orElseThrow(), "room", "r-" + mode));
    server.await("joined", n -> n.path("room").asText().equals("r-" + mode), WAIT);
    // The join is applied once the server answered an event sent after it.
    a.timeout(WAIT).emitWithAck("echo").join();
    server.command(Map.of("cmd", "emit", "to", "r-" + mode, "name", "news", "args", List.of("x")));
    server.command(Map.of("cmd", "emit", "name", "news", "args", List.of("all")));
    assertEquals("news:x", logA.await("news:", WAIT));
    assertEquals("news:all", logA.await("news:", WAIT));
    assertEquals("news:all", logB.await("news:", WAIT));
    assertEquals(List.of(), logB.lines("news:x"));
    // Client-side broadcast through the server's handler reaches both.
    a.emit("broadcast", "hey");
    b.on("broadcast", args -> logB.add("broadcast:" + args.string(0)));
    assertEquals("broadcast:hey", logB.await("broadcast:", WAIT));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void reconnectsAfterTheServerDropsTheConnection(Mode mode) {
    SocketIoClient client = client(mode);
    LineLog managerLog = new LineLog();
    client.onReconnect(n -> managerLog.add("reconnect:" + n));
    ClientSocket main = client.socket("/");
    ClientSocket admin = client.socket("/admin");
    LineLog log = AbstractClientInteropTest.record(main);
    main.connect();
    LineLog adminLog = AbstractClientInteropTest.record(admin);
    admin.connect();
    log.await("connect", WAIT);
    adminLog.await("connect", WAIT);
    String id = main.id().orElseThrow();
    if (mode == Mode.UPGRADE) {
      AbstractClientInteropTest.awaitTransport(client, main, TransportType.WEBSOCKET);
    }
    server.command(Map.of("cmd", "closeConnection", "to", id));
    assertEquals("disconnect:transport close", log.await("disconnect:", WAIT));
    managerLog.await("reconnect:1", WAIT);
    log.await("connect", WAIT);
    adminLog.await("connect", WAIT);
    String newId = main.id().orElseThrow();
    assertFalse(newId.equals(id));
    assertEquals("/admin#" + newId, admin.id().orElseThrow());
    assertEquals(List.of(1), main.timeout(WAIT).emitWithAck("echo", 1).join().toList());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theClientPingsSoTheServerKeepsTheConnection(Mode mode) {
    // A short heartbeat: the server drops a client that did not ping within 1.5 s.
    try (TestServer shortHeartbeat =
        new NodeTestServer(
            NodeServer.SOCKET_IO_V2, "{\"pingInterval\":500,\"pingTimeout\":1000}")) {
      SocketIoClient client = client(mode, b -> b.uri(URI.create(shortHeartbeat.url())));
      LineLog managerLog = new LineLog();
      client.onClose(r -> managerLog.add("close:" + r.reason()));
      ClientSocket socket = client.socket("/");
      LineLog log = AbstractClientInteropTest.record(socket);
      socket.connect();
      log.await("connect", WAIT);
      managerLog.assertNoLine("close:", Duration.ofMillis(3500));
      assertTrue(socket.connected());
      assertEquals(List.of("ok"), socket.timeout(WAIT).emitWithAck("echo", "ok").join().toList());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theMainNamespaceReconnectsByHandWithAConnectOfItsOwn(Mode mode) {
    SocketIoClient client = client(mode);
    ClientSocket main = client.socket("/");
    ClientSocket admin = client.socket("/admin"); // keeps the connection open meanwhile
    LineLog log = AbstractClientInteropTest.record(main);
    main.connect();
    LineLog adminLog = AbstractClientInteropTest.record(admin);
    admin.connect();
    adminLog.await("connect", WAIT);
    log.await("connect", WAIT);
    String engineId = main.id().orElseThrow();
    main.disconnect();
    assertEquals("disconnect:io client disconnect", log.await("disconnect:", WAIT));
    server.await(
        "disconnect",
        n -> n.path("id").asText().equals(engineId) && n.path("nsp").asText().equals("/"),
        WAIT);
    // The server's implicit "/" is gone: the socket sends its own CONNECT.
    main.connect();
    log.await("connect", WAIT);
    assertEquals(engineId, main.id().orElseThrow());
    assertEquals(List.of(2), main.timeout(WAIT).emitWithAck("echo", 2).join().toList());
    // And after a server-side disconnect too.
    server.command(Map.of("cmd", "disconnectAll", "to", engineId));
    assertEquals("disconnect:io server disconnect", log.await("disconnect:", WAIT));
    main.connect();
    log.await("connect", WAIT);
    assertEquals(List.of(3), main.timeout(WAIT).emitWithAck("echo", 3).join().toList());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRefusalOfTheMainNamespaceReachesEveryNamespace(Mode mode) {
    try (TestServer refusing =
        new NodeTestServer(
            NodeServer.SOCKET_IO_V2,
            "{\"namespaces\":[\"/admin\"],\"rejectWith\":{\"nsp\":\"/\",\"message\":\"go away\"}}")) {
      SocketIoClient client =
          client(mode, b -> b.uri(URI.create(refusing.url())).reconnection(false));
      ClientSocket main = client.socket("/");
      ClientSocket admin = client.socket("/admin");
      LineLog mainLog = AbstractClientInteropTest.record(main);
      main.connect();
      LineLog adminLog = AbstractClientInteropTest.record(admin);
      admin.connect();
      assertEquals("connect_error:go away:null", mainLog.await("connect_error:", WAIT));
      assertEquals("connect_error:go away:null", adminLog.await("connect_error:", WAIT));
      assertFalse(main.active());
      assertFalse(admin.active());
    }
  }
}
