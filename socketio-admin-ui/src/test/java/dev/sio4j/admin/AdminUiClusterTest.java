package dev.sio4j.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.common.ConnectErrorException;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.redis.RedisAdapter;
import dev.sio4j.redis.RedisAdapterFactory;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.testing.EventRecorder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes on the classic Redis adapter, both instrumented: the UI connected to node A sees node
 * B's stats, sockets and room events, and its commands reach B's sockets, all through the adapter,
 * as with the reference.
 */
@Timeout(120)
class AdminUiClusterTest {
  private RedisServer redis;
  private final List<RedisAdapterFactory> factories = new ArrayList<>();
  private final List<SocketIoServer> servers = new ArrayList<>();
  private final List<Instrumentation> instrumentations = new ArrayList<>();
  private final List<SocketIoClient> clients = new ArrayList<>();

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
  }

  @AfterEach
  void stopAll() {
    clients.forEach(SocketIoClient::close);
    instrumentations.forEach(Instrumentation::close);
    servers.forEach(s -> Await.join(s.close(), Duration.ofSeconds(15)));
    factories.forEach(RedisAdapterFactory::close);
    redis.close();
  }

  private SocketIoServer node(String serverId) {
    RedisAdapterFactory factory = RedisAdapter.factory(redis.uri());
    factories.add(factory);
    SocketIoServer io =
        SocketIoServer.builder()
            .options(SocketIoOptions.builder().adapter(factory).build())
            .build();
    servers.add(io);
    io.onConnection(s -> s.join("lobby"));
    instrumentations.add(
        AdminUi.builder()
            .auth("admin", AdminUiProtocolTest.HASH)
            .serverId(serverId)
            .statsInterval(Duration.ofMillis(300))
            .build()
            .instrument(io));
    Await.join(io.start());
    return io;
  }

  /** A socket on {@code nsp} of {@code io}, its events recorded from before it connects. */
  private AdminClient connect(SocketIoServer io, String nsp, Map<String, Object> auth) {
    SocketIoClient client =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + io.port()))
            .autoConnect(false)
            .build();
    clients.add(client);
    ClientSocket socket = client.socket(nsp, SocketOptions.builder().auth(auth).build());
    EventRecorder events = EventRecorder.of(socket);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.onConnect(() -> connected.complete(null));
    socket.onConnectError((ConnectErrorException e) -> connected.completeExceptionally(e));
    socket.connect();
    Await.join(connected);
    return new AdminClient(socket, events);
  }

  @Test
  void theUiOnOneNodeSeesAndCommandsTheOther() {
    SocketIoServer a = node("node-a");
    SocketIoServer b = node("node-b");
    ClientSocket app = connect(b, "/", Map.of()).socket();
    String appId = app.id().orElseThrow();

    AdminClient admin = connect(a, "/admin", AdminUiProtocolTest.LOGIN);

    // Both nodes' stats reach the admin socket on A.
    Set<String> serverIds = new HashSet<>();
    for (int i = 0; i < 40 && serverIds.size() < 2; i++) {
      serverIds.add(admin.events().await("server_stats").args().json(0).get("serverId").asText());
    }
    assertEquals(Set.of("node-a", "node-b"), serverIds);

    // all_sockets asks every node (fetchSockets): B's application socket is there.
    JsonNode all = admin.events().await("all_sockets").args().json(0);
    boolean found = false;
    for (JsonNode s : all) {
      if (s.get("id").asText().equals(appId)) {
        found = true;
        assertEquals(Set.of(appId, "lobby"), new HashSet<>(texts(s.get("rooms"))));
        assertEquals(12, s.get("clientId").asText().length());
      }
    }
    assertTrue(found, all.toString());

    // A command sent to A acts on B's socket; B reports the room event to A's admin socket.
    admin.socket().emit("join", "/", "vip", appId);
    Await.until(
        () -> b.sockets().sockets().get(appId).rooms().contains("vip"), "B's socket joined vip");
    JsonNode joined = awaitAbout(admin, "room_joined", 2, appId);
    assertEquals("vip", joined.get(1).asText());

    admin.socket().emit("_disconnect", "/", false, appId);
    Await.until(() -> !b.sockets().sockets().containsKey(appId), "B's socket gone");
    JsonNode gone = awaitAbout(admin, "socket_disconnected", 1, appId);
    assertEquals("server namespace disconnect", gone.get(2).asText());
  }

  private static JsonNode awaitAbout(AdminClient admin, String event, int idIndex, String id) {
    for (int i = 0; i < 10; i++) {
      JsonNode args = admin.events().await(event).args().json();
      if (args.get(idIndex).asText().equals(id)) {
        return args;
      }
    }
    throw new AssertionError("no " + event + " about " + id);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
