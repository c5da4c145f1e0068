package dev.sio4j.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.examples.chat.ChatServer.Settings;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.testing.EventRecorder;
import dev.sio4j.testing.RecordedEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chat nodes on one real {@code redis-server}, driven with the Java client: what a user sees does
 * not depend on the node the load balancer picked. With the in-memory adapter the nodes share the
 * store only (nicknames, rooms, history); with a Redis adapter they are one chat (members, private
 * messages, broadcasts) — those tests run once the adapter is available in {@link ClusterAdapters}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static RedisServer redis;

  private final List<ChatServer> nodes = new ArrayList<>();
  private final List<SocketIoClient> clients = new ArrayList<>();
  private final String prefix = "chat-cluster-" + PREFIXES.incrementAndGet();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> Await.join(c.close(), WAIT));
    nodes.forEach(ChatServer::close);
  }

  private ChatServer node(String adapter) {
    ChatServer node =
        ChatServer.start(
            Settings.parse(
                "--port",
                "0",
                "--redis",
                redis.uri(),
                "--adapter",
                adapter,
                "--redis-prefix",
                prefix));
    nodes.add(node);
    return node;
  }

  /** A page's socket, not connected yet, recording what it receives. */
  private ClientSocket page(ChatServer node, String nick, String token) {
    SocketIoClient client =
        SocketIoClient.builder().uri(URI.create("http://127.0.0.1:" + node.port())).build();
    clients.add(client);
    return client.socket(
        "/", SocketOptions.builder().auth(Map.of("nick", nick, "token", token)).build());
  }

  private static EventRecorder connect(ClientSocket socket) {
    EventRecorder seen = EventRecorder.of(socket);
    socket.connect();
    seen.await("connect", WAIT);
    return seen;
  }

  private static JsonNode ask(ClientSocket socket, String event, Object data) {
    JsonNode answer =
        Await.join(socket.timeout(WAIT).emitWithAck(event, data), WAIT.plusSeconds(1)).json(0);
    assertTrue(answer.path("ok").asBoolean(), event + " refused: " + answer);
    return answer;
  }

  @Test
  void nicknamesRoomsAndHistoryAreTheSameOnEveryNode() {
    ChatServer one = node("memory");
    ChatServer two = node("memory");
    ClientSocket alice = page(one, "alice", "tab-a");
    connect(alice);

    ClientSocket impostor = page(two, "Alice", "tab-x");
    EventRecorder refused = EventRecorder.of(impostor);
    impostor.connect();
    RecordedEvent error = refused.await("connect_error", WAIT);
    assertTrue(error.args().string(0).contains("is taken"), error.toString());

    ask(alice, "join", Map.of("room", "ops"));
    JsonNode posted = ask(alice, "message", Map.of("room", "ops", "text", "deploy at noon"));

    ClientSocket bob = page(two, "bob", "tab-b");
    EventRecorder bobSees = connect(bob);
    // The room list comes from the shared store: node two knows the room node one created.
    JsonNode rooms = bobSees.await("rooms", WAIT).args().json(0);
    assertTrue(rooms.toString().contains("\"name\":\"ops\""), rooms.toString());
    JsonNode joined = ask(bob, "join", Map.of("room", "ops"));
    assertEquals(1, joined.path("history").size(), joined.toString());
    assertEquals(posted.path("message"), joined.path("history").get(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-sharded", "redis-streams"})
  void onARedisAdapterMembersAndPrivateMessagesSpanTheNodes(String adapter) {
    ChatServer one = node(adapter);
    ChatServer two = node(adapter);
    ClientSocket alice = page(one, "alice", "tab-a");
    EventRecorder aliceSees = connect(alice);
    ask(alice, "join", Map.of("room", "general"));
    ClientSocket bob = page(two, "bob", "tab-b");
    connect(bob);

    JsonNode joined = ask(bob, "join", Map.of("room", "general"));
    assertEquals("[\"alice\",\"bob\"]", joined.path("members").toString());
    RecordedEvent notice = aliceSees.await("system", WAIT);
    assertEquals("bob joined #general", notice.args().json(0).path("text").asText());

    ask(bob, "message", Map.of("room", "general", "text", "hi from node two"));
    assertEquals(
        "hi from node two", aliceSees.await("message", WAIT).args().json(0).path("text").asText());
    ask(bob, "private", Map.of("to", "alice", "text", "psst"));
    assertEquals("psst", aliceSees.await("private", WAIT).args().json(0).path("text").asText());
  }

  @Test
  void theCommandLineDefaultsToStreamsWithRedisAndToMemoryWithout() {
    assertEquals(Settings.inMemory("127.0.0.1", 3000), Settings.parse());
    Settings cluster = Settings.parse("--port", "3001", "--redis", "redis://127.0.0.1:6379");
    assertEquals(Optional.of("redis://127.0.0.1:6379"), cluster.redis());
    assertEquals("redis-streams", cluster.adapter());
    assertEquals(3001, cluster.port());
    assertEquals("sio4j-chat", cluster.redisPrefix());
    assertEquals(
        "redis-sharded",
        Settings.parse("--redis", "redis://r:1", "--adapter", "redis-sharded").adapter());
    assertThrows(IllegalArgumentException.class, () -> Settings.parse("--adapter", "redis"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Settings.parse("--redis", "redis://r:1", "--adapter", "kafka"));
    assertThrows(IllegalArgumentException.class, () -> Settings.parse("--port"));
  }
}
