package dev.sio4j.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.server.Socket;
import dev.sio4j.testing.EventRecorder;
import dev.sio4j.testing.SocketIoServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The admin namespace's protocol as {@code @socket.io/admin-ui} 0.5.1 speaks it, against a real
 * server on port 0 with Java clients: authentication, {@code config}, {@code all_sockets}, the
 * commands, read-only and production modes, the live reports and {@code server_stats}.
 */
@Timeout(60)
class AdminUiProtocolTest {
  static final String PASSWORD = "s3cret-pass";

  /** Cost 4: the check runs once per login, and tests log in often. */
  static final String HASH = BCrypt.hashpw(PASSWORD, BCrypt.gensalt(4));

  static final Map<String, Object> LOGIN = Map.of("username", "admin", "password", PASSWORD);
  static final Duration QUIET = Duration.ofMillis(700);

  @RegisterExtension final SocketIoServerExtension server = SocketIoServerExtension.create();

  private final List<Instrumentation> instrumentations = new ArrayList<>();

  @AfterEach
  void stop() {
    instrumentations.forEach(Instrumentation::close);
  }

  private Instrumentation instrument(Consumer<AdminUi.Builder> settings) {
    AdminUi.Builder b = AdminUi.builder().auth("admin", HASH).serverId("node-a");
    settings.accept(b);
    Instrumentation i = b.build().instrument(server.io());
    instrumentations.add(i);
    return i;
  }

  /** An application socket on {@code /} that the server put in {@code room1}. */
  private ClientSocket appSocket() {
    return server.client();
  }

  private Socket serverSide(ClientSocket client) {
    String id = client.id().orElseThrow();
    Await.until(() -> server.io().sockets().sockets().containsKey(id), "server socket " + id);
    return server.io().sockets().sockets().get(id);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void loginSendsSessionConfigAndEverySocketWithItsRooms() {
    server.io().onConnection(s -> s.join("room1"));
    instrument(b -> {});
    ClientSocket app = appSocket();
    String appId = app.id().orElseThrow();

    AdminClient admin = AdminClient.login(server, LOGIN);

    String session = admin.events().await("session").args().string(0);
    assertTrue(session.matches("[0-9a-f]{16}"), session);
    JsonNode config = admin.events().await("config").args().json(0);
    assertEquals(
        List.of(
            "EMIT",
            "JOIN",
            "LEAVE",
            "DISCONNECT",
            "MJOIN",
            "MLEAVE",
            "MDISCONNECT",
            "AGGREGATED_EVENTS",
            "ALL_EVENTS"),
        texts(config.get("supportedFeatures")));
    JsonNode all = admin.events().await("all_sockets").args().json(0);
    JsonNode appJson = null;
    Set<String> nsps = new HashSet<>();
    for (JsonNode s : all) {
      nsps.add(s.get("nsp").asText());
      if (s.get("id").asText().equals(appId)) {
        appJson = s;
      }
      // The admin socket's auth holds the password: it must never be shown.
      assertFalse(s.get("handshake").has("auth"), s.toString());
    }
    assertEquals(Set.of("/", "/admin"), nsps);
    assertTrue(appJson != null, all.toString());
    assertEquals("/", appJson.get("nsp").asText());
    assertEquals(Set.of(appId, "room1"), new HashSet<>(texts(appJson.get("rooms"))));
    assertEquals(12, appJson.get("clientId").asText().length());
    assertTrue(Set.of("polling", "websocket").contains(appJson.get("transport").asText()));
    assertEquals("127.0.0.1", appJson.at("/handshake/address").asText());
    assertTrue(appJson.at("/handshake/headers").isObject());
    assertFalse(appJson.get("data").has("_admin"), appJson.toString());
  }

  @Test
  void aSessionIdLogsInAgainWithoutThePassword() {
    instrument(b -> {});
    AdminClient first = AdminClient.login(server, LOGIN);
    String session = first.events().await("session").args().string(0);

    AdminClient again = AdminClient.login(server, Map.of("sessionId", session));
    again.events().await("config");
    // No new session for a login by session.
    again.events().assertNoEvent("session", QUIET);

    assertEquals(
        "invalid credentials",
        AdminClient.refusal(server, Map.of("sessionId", "0123456789abcdef")).getMessage());
  }

  @Test
  void aWrongPasswordOrUsernameIsRefused() {
    instrument(b -> {});
    assertEquals(
        "invalid credentials",
        AdminClient.refusal(server, Map.of("username", "admin", "password", "wrong")).getMessage());
    assertEquals(
        "invalid credentials",
        AdminClient.refusal(server, Map.of("username", "root", "password", PASSWORD)).getMessage());
    assertEquals("invalid credentials", AdminClient.refusal(server, Map.of()).getMessage());
  }

  @Test
  void withoutAuthTheNamespaceIsOpen() {
    AdminUi ui = AdminUi.builder().build();
    instrumentations.add(ui.instrument(server.io()));
    AdminClient admin = AdminClient.login(server, Map.of());
    admin.events().await("config");
    admin.events().assertNoEvent("session", QUIET);
  }

  @Test
  void aPasswordMustBeGivenAsABcryptHash() {
    assertThrows(IllegalArgumentException.class, () -> AdminUi.builder().auth("admin", PASSWORD));
  }

  @Test
  void joinLeaveAndDisconnectCommandsActOnTheSockets() {
    instrument(b -> {});
    ClientSocket app = appSocket();
    String appId = app.id().orElseThrow();
    Socket appServer = serverSide(app);
    EventRecorder appEvents = EventRecorder.of(app);
    AdminClient admin = AdminClient.login(server, LOGIN);
    admin.events().await("all_sockets");

    // As the UI sends them: a room, and the socket's id as the filter.
    admin.socket().emit("join", "/", "vip", appId);
    Await.until(() -> appServer.rooms().contains("vip"), "the socket joined vip");
    JsonNode joined = awaitAbout(admin, "room_joined", appId);
    assertEquals("/", joined.get(0).asText());
    assertEquals("vip", joined.get(1).asText());
    assertEquals(appId, joined.get(2).asText());
    assertTrue(
        joined.get(3).asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));

    admin.socket().emit("leave", "/", "vip", appId);
    Await.until(() -> !appServer.rooms().contains("vip"), "the socket left vip");
    JsonNode left = awaitAbout(admin, "room_left", appId);
    assertEquals("vip", left.get(1).asText());

    admin.socket().emit("emit", "/", appId, "notice", "from the admin");
    assertEquals("from the admin", appEvents.await("notice").args().string(0));

    admin.socket().emit("_disconnect", "/", false, appId);
    Await.until(
        () -> !server.io().sockets().sockets().containsKey(appId), "the socket is gone (server)");
    JsonNode gone = awaitAbout(admin, "socket_disconnected", appId);
    assertEquals("/", gone.get(0).asText());
    assertEquals(appId, gone.get(1).asText());
    assertEquals("server namespace disconnect", gone.get(2).asText());
  }

  @Test
  void readonlyRefusesEveryCommand() {
    instrument(b -> b.readonly(true));
    ClientSocket app = appSocket();
    String appId = app.id().orElseThrow();
    Socket appServer = serverSide(app);
    EventRecorder appEvents = EventRecorder.of(app);
    AdminClient admin = AdminClient.login(server, LOGIN);
    JsonNode config = admin.events().await("config").args().json(0);
    assertEquals(
        List.of("AGGREGATED_EVENTS", "ALL_EVENTS"), texts(config.get("supportedFeatures")));

    admin.socket().emit("join", "/", "vip", appId);
    admin.socket().emit("emit", "/", appId, "notice", "x");
    admin.socket().emit("_disconnect", "/", true, appId);
    appEvents.assertNoEvent("notice", QUIET);
    assertTrue(app.connected());
    assertTrue(server.io().sockets().sockets().containsKey(appId));
    assertFalse(appServer.rooms().contains("vip"));
  }

  @Test
  void commandsNeverCreateANamespace() {
    instrument(b -> {});
    AdminClient admin = AdminClient.login(server, LOGIN);
    admin.events().await("config");
    admin.socket().emit("join", "/nowhere", "room");
    admin.socket().emit("emit", "/nowhere", null, "x");
    // A later command is handled after them: once it acted, they were handled.
    ClientSocket app = appSocket();
    Socket appServer = serverSide(app);
    admin.socket().emit("join", "/", "marker", app.id().orElseThrow());
    Await.until(() -> appServer.rooms().contains("marker"), "the marker command ran");
    assertTrue(
        server.io().namespaces().stream().noneMatch(n -> n.name().equals("/nowhere")),
        "namespace created");
  }

  @Test
  void developmentModeReportsSocketsAndEventsAsTheyHappen() {
    server.io().onConnection(s -> s.on("hello", args -> s.emit("welcome", "you")));
    instrument(b -> {});
    AdminClient admin = AdminClient.login(server, LOGIN);
    admin.events().await("all_sockets");

    ClientSocket app = appSocket();
    String appId = app.id().orElseThrow();
    JsonNode connected = findSocketConnected(admin, appId);
    assertEquals("/", connected.get("nsp").asText());

    app.emit("hello", "world", 42);
    JsonNode received = awaitAbout(admin, "event_received", appId);
    assertEquals("/", received.get(0).asText());
    assertEquals(appId, received.get(1).asText());
    assertEquals("[\"hello\",\"world\",42]", received.get(2).toString());
    JsonNode sent = awaitAbout(admin, "event_sent", appId);
    assertEquals("[\"welcome\",\"you\"]", sent.get(2).toString());
  }

  /**
   * The next report of this kind about the application socket (reports about the admin sockets
   * themselves come in between): a room event's socket id is its third argument, other reports'
   * their second.
   */
  private static JsonNode awaitAbout(AdminClient admin, String event, String socketId) {
    int idIndex = event.startsWith("room_") ? 2 : 1;
    for (int i = 0; i < 10; i++) {
      JsonNode args = admin.events().await(event).args().json();
      if (args.get(idIndex).asText().equals(socketId)) {
        return args;
      }
    }
    throw new AssertionError("no " + event + " about " + socketId);
  }

  private static JsonNode findSocketConnected(AdminClient admin, String id) {
    for (int i = 0; i < 5; i++) {
      JsonNode s = admin.events().await("socket_connected").args().json(0);
      if (s.get("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no socket_connected for " + id);
  }

  @Test
  void productionModeSendsStatsOnly() {
    instrument(b -> b.mode(AdminUi.Mode.PRODUCTION).statsInterval(Duration.ofMillis(200)));
    AdminClient admin = AdminClient.login(server, LOGIN);
    JsonNode config = admin.events().await("config").args().json(0);
    assertFalse(texts(config.get("supportedFeatures")).contains("ALL_EVENTS"));
    assertTrue(texts(config.get("supportedFeatures")).contains("AGGREGATED_EVENTS"));
    ClientSocket app = appSocket();
    app.emit("hello");
    admin.events().await("server_stats");
    admin.events().assertNoEvent("all_sockets", QUIET);
    assertTrue(admin.events().events("socket_connected").isEmpty());
    assertTrue(admin.events().events("event_received").isEmpty());
  }

  @Test
  void serverStatsDescribeThisNode() {
    instrument(b -> b.statsInterval(Duration.ofMillis(200)));
    AdminClient admin = AdminClient.login(server, LOGIN);
    // The stats before this one may have counted the admin's own connection: sent to nobody.
    admin.events().await("server_stats");
    ClientSocket app = appSocket();
    app.emit("hello", "x".repeat(100));

    JsonNode stats = null;
    long rawConnections = 0;
    long bytesIn = 0;
    for (int i = 0; i < 50; i++) {
      stats = admin.events().await("server_stats").args().json(0);
      for (JsonNode e : stats.get("aggregatedEvents")) {
        if (e.get("type").asText().equals("rawConnection")) {
          rawConnections += e.get("count").asLong();
        }
        if (e.get("type").asText().equals("bytesIn")) {
          bytesIn += e.get("count").asLong();
        }
      }
      if (namespaceCount(stats, "/") == 1 && rawConnections >= 1 && bytesIn >= 100) {
        break;
      }
    }
    assertEquals("node-a", stats.get("serverId").asText());
    assertEquals(ProcessHandle.current().pid(), stats.get("pid").asLong());
    assertFalse(stats.get("hostname").asText().isEmpty());
    assertTrue(stats.get("uptime").asDouble() > 0);
    assertEquals(2, stats.get("clientsCount").asInt(), stats.toString());
    assertTrue(stats.get("pollingClientsCount").asInt() >= 0);
    assertEquals(1, namespaceCount(stats, "/"), stats.toString());
    assertEquals(1, namespaceCount(stats, "/admin"), stats.toString());
    assertEquals(1, rawConnections, stats.toString());
    assertTrue(bytesIn >= 100, "bytesIn " + bytesIn);
  }

  private static int namespaceCount(JsonNode stats, String name) {
    for (JsonNode n : stats.get("namespaces")) {
      if (n.get("name").asText().equals(name)) {
        return n.get("socketsCount").asInt();
      }
    }
    return -1;
  }
}
