package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.adapter.ClusterTimeoutException;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.redis.Peer.Bin;
import dev.sio4j.redis.TestCluster.SioNode;
import dev.sio4j.redis.internal.LettuceSupport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two sio4j nodes with the classic Redis adapter on one real Redis, Java clients on both: every
 * cluster operation reaches exactly the clients it targets, once; requests time out with what the
 * living answered when a node is silent; foreign messages on the channels are dropped; the classic
 * wire's own requests (ALL_ROOMS, SOCKETS, single-socket join) are answered. Node 1 replies on the
 * common response channel, node 2 on the requester's own ({@code
 * publishOnSpecificResponseChannel}).
 *
 * <p>One Redis, two nodes and three clients serve the whole class; each test uses rooms of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisAdapterClusterTest {
  private static final Duration WAIT = TestCluster.WAIT;
  private static final Duration REQUESTS_TIMEOUT = Duration.ofSeconds(2);
  private static final AtomicInteger FENCES = new AtomicInteger();

  private static RedisServer redis;
  private static TestCluster cluster;
  private static SioNode node1;
  private static SioNode node2;
  private static Peer a1;
  private static Peer a2;
  private static Peer b1;
  private static RedisClient lettuce;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    cluster = new TestCluster(redis);
    node1 = cluster.sio(RedisAdapterOptions.builder().requestsTimeout(REQUESTS_TIMEOUT).build());
    // Node 2 on a client the test owns, with the options the adapter documents.
    lettuce = RedisClient.create(redis.uri());
    lettuce.setOptions(LettuceSupport.clientOptions());
    node2 =
        cluster.sio(
            "socket.io",
            () ->
                RedisAdapter.factory(
                    lettuce,
                    RedisAdapterOptions.builder()
                        .requestsTimeout(REQUESTS_TIMEOUT)
                        .publishOnSpecificResponseChannel(true)
                        .build()));
    a1 = cluster.java("a1", node1.url());
    a2 = cluster.java("a2", node1.url());
    b1 = cluster.java("b1", node2.url());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (lettuce != null) {
      lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static List<String> sorted(String... values) {
    List<String> list = new ArrayList<>(Arrays.asList(values));
    list.sort(null);
    return list;
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  /**
   * Sends a fence (a broadcast to everyone) from {@code driver} after what it asked for, then reads
   * each peer's ticks up to the fence: messages from one node arrive in order, so what a peer got
   * before the fence is everything the operation sent it.
   */
  static void assertTicks(Peer driver, Map<Peer, List<JsonNode>> expected) {
    String fence = "fence-" + FENCES.incrementAndGet();
    driver.emit("pubAll", fence);
    for (Map.Entry<Peer, List<JsonNode>> e : expected.entrySet()) {
      List<JsonNode> got = new ArrayList<>();
      for (ArrayNode tick = e.getKey().next("tick");
          !tick.path(0).asText().equals(fence);
          tick = e.getKey().next("tick")) {
        got.add(tick.size() == 1 ? tick.get(0) : tick);
      }
      assertEquals(e.getValue(), got, e.getKey() + " before " + fence);
    }
  }

  private static JsonNode text(String s) {
    return Peer.MAPPER.getNodeFactory().textNode(s);
  }

  private static Map<Peer, List<JsonNode>> ticks(Object... peerAndTicks) {
    Map<Peer, List<JsonNode>> map = new LinkedHashMap<>();
    for (int i = 0; i < peerAndTicks.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<JsonNode> list = (List<JsonNode>) peerAndTicks[i + 1];
      map.put((Peer) peerAndTicks[i], list);
    }
    return map;
  }

  @Test
  void aFactoryLeavesTheCallersClientOpenAndFailsFastWithoutRedis() {
    RedisAdapter.factory(lettuce, RedisAdapterOptions.defaults()).close();
    try (StatefulRedisConnection<String, String> still = lettuce.connect()) {
      assertEquals("PONG", still.sync().ping());
    }
    String nowhere = "redis://127.0.0.1:" + FreePort.find();
    long start = System.nanoTime();
    assertThrows(SocketIoException.class, () -> RedisAdapter.factory(nowhere));
    assertThrows(SocketIoException.class, () -> RedisAdapter.factory("no:uri at all"));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8));
  }

  @Test
  void broadcastsReachExactlyTheTargetedClientsOnce() {
    assertEquals("ok", a1.call("join", "red").asText());
    assertEquals("ok", b1.call("join", "red").asText());
    assertEquals("ok", a2.call("join", "blue").asText());
    List<JsonNode> none = List.of();

    a1.emit("pub", "red", "r");
    assertTicks(a1, ticks(a1, List.of(text("r")), a2, none, b1, List.of(text("r"))));
    a1.emit("pubAll", "all");
    assertTicks(
        a1, ticks(a1, List.of(text("all")), a2, List.of(text("all")), b1, List.of(text("all"))));
    a1.emit("pubExcept", null, "red", "not-red");
    assertTicks(a1, ticks(a1, none, a2, List.of(text("not-red")), b1, none));
    a1.emit("pubExcept", "red", a1.id(), "red-but-a1");
    assertTicks(a1, ticks(a1, none, a2, none, b1, List.of(text("red-but-a1"))));
    a1.emit("bcast", "from-a1");
    assertTicks(a1, ticks(a1, none, a2, List.of(text("from-a1")), b1, List.of(text("from-a1"))));
    b1.emit("pub", "blue", "to-blue");
    assertTicks(b1, ticks(a1, none, a2, List.of(text("to-blue")), b1, none));
    b1.emit("pub", a1.id(), "to-a1");
    assertTicks(b1, ticks(a1, List.of(text("to-a1")), a2, none, b1, none));

    // Binary arguments, top level and nested, survive the trip through Redis.
    Bin bytes = new Bin(new byte[] {0, 1, 2, (byte) 0xff});
    a1.emit("pub", "red", bytes, Map.of("nested", new Bin(new byte[] {42})));
    JsonNode binary =
        Peer.MAPPER.valueToTree(
            List.of(bytes.json(), Map.of("nested", new Bin(new byte[] {42}).json())));
    assertTicks(a1, ticks(a1, List.of(binary), a2, none, b1, List.of(binary)));
  }

  @Test
  void broadcastWithAcksCollectsEveryNodesClients() {
    assertEquals("ok", a2.call("join", "acks").asText());
    assertEquals("ok", b1.call("join", "acks").asText());
    assertEquals(sorted(a2.id(), b1.id()), strings(a1.call("pubAck", "acks", 3000)));
    assertEquals(sorted(a1.id(), a2.id(), b1.id()), strings(b1.call("pubAck", null, 3000)));
  }

  @Test
  void fetchSocketsSeesEveryNode() {
    assertEquals("ok", a1.call("join", "fetch").asText());
    assertEquals("ok", b1.call("join", "fetch").asText());
    assertEquals(sorted(a1.id(), b1.id()), strings(a2.call("ids", "fetch")));
    assertEquals(3, b1.call("count", null).asInt());
    assertEquals(List.of(b1.id()), strings(a1.call("ids", b1.id())));
    Set<String> rooms = Await.join(node1.adapter().allRooms(), WAIT);
    assertTrue(rooms.containsAll(Set.of("fetch", a1.id(), a2.id(), b1.id())), rooms.toString());
  }

  @Test
  void socketsJoinAndLeaveAcrossNodes() {
    assertEquals("ok", a1.call("join", "j1").asText());
    assertEquals("ok", b1.call("join", "j1").asText());
    assertEquals("ok", a2.call("socketsJoin", "j1", "green").asText());
    awaitIds(a2, "green", sorted(a1.id(), b1.id()));
    assertTrue(strings(b1.call("rooms")).contains("green"));
    assertEquals("ok", b1.call("socketsLeave", null, "green").asText());
    awaitIds(a2, "green", List.of());
  }

  static void awaitIds(Peer asker, String room, List<String> expected) {
    Await.until(
        () -> strings(asker.call("ids", room)).equals(expected), WAIT, room + " = " + expected);
  }

  @Test
  void disconnectSocketsAcrossNodes() {
    try (Peer d1 = Peer.java("d1", node1.url());
        Peer d2 = Peer.java("d2", node2.url())) {
      assertEquals("ok", d1.call("join", "doomed").asText());
      assertEquals("ok", d2.call("join", "doomed").asText());
      assertEquals("ok", a1.call("kick", "doomed").asText());
      d1.awaitDisconnect();
      d2.awaitDisconnect();
      assertEquals(3, b1.call("count", null).asInt());
    }
  }

  @Test
  void serverSideEmitWithAndWithoutAck() {
    a1.emit("sse", "x1");
    assertEquals("x1", b1.next("sse-got").get(0).asText());
    // The other way; a1's next sse-got is this one: x1 never reached its own node.
    b1.emit("sse", "x2");
    assertEquals("x2", a1.next("sse-got").get(0).asText());
    assertEquals("x2", a2.next("sse-got").get(0).asText());

    JsonNode answers = a1.call("sseAck", Map.of("q", 1));
    assertEquals(1, answers.size(), answers.toString());
    assertEquals(node2.server().port(), answers.get(0).path("port").asInt());
    assertEquals(1, answers.get(0).path("x").path("q").asInt());
    JsonNode back = b1.call("sseAck", "back");
    assertEquals(node1.server().port(), back.get(0).path("port").asInt());
  }

  @Test
  void aSilentNodeTimesRequestsOutWithWhatTheLivingSent() {
    // A node that subscribed and then hung: counted by PUBSUB NUMSUB, never answering.
    try (StatefulRedisPubSubConnection<String, String> silent = lettuce.connectPubSub()) {
      silent.sync().subscribe("socket.io-request#/#");
      cluster.awaitServers(3);
      // The three requests wait side by side: one requests timeout in all.
      long start = System.nanoTime();
      var emitted =
          node1.server().sockets().serverSideEmitWithAck("sse-ack", "t").handle((ok, e) -> e);
      var rooms = node1.adapter().allRooms().handle((ok, e) -> e);
      assertEquals(
          "error: timeout reached: only 1 responses received out of 2",
          a1.call("count", null).asText());
      Throwable error = Await.join(emitted, WAIT);
      assertTrue(System.nanoTime() - start >= REQUESTS_TIMEOUT.toNanos() - 50_000_000L);
      AckTimeoutException timeout =
          assertInstanceOf(
              AckTimeoutException.class,
              error instanceof CompletionException ? error.getCause() : error);
      assertEquals("timeout reached: only 1 responses received out of 2", timeout.getMessage());
      List<Arguments> living = timeout.responses();
      assertEquals(1, living.size());
      assertEquals(node2.server().port(), living.get(0).json(0).path("port").asInt());
      Throwable roomsError = Await.join(rooms, WAIT);
      assertInstanceOf(
          ClusterTimeoutException.class,
          roomsError instanceof CompletionException ? roomsError.getCause() : roomsError);
    }
    cluster.awaitServers(2);
    assertEquals(3, a1.call("count", null).asInt());
    awaitNothingPending();
  }

  /**
   * Every request of the nodes ended: the timed-out ones were forgotten (a broadcast with acks is
   * kept for its own timeout, so this may wait for one of another test).
   */
  private static void awaitNothingPending() {
    Await.until(
        () -> node1.adapter().pendingRequests() == 0 && node2.adapter().pendingRequests() == 0,
        WAIT,
        "no pending request");
  }

  @Test
  void foreignMessagesOnTheChannelsAreDroppedAndTheNodesKeepWorking() {
    assertEquals("ok", b1.call("join", "junk").asText());
    Random random = new Random(12);
    List<byte[]> junk = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] bytes = new byte[1 + random.nextInt(64)];
      random.nextBytes(bytes);
      junk.add(bytes);
    }
    for (String text :
        List.of(
            "{",
            "{}",
            "{\"type\":2}",
            "{\"type\":\"2\",\"opts\":{}}",
            "{\"uid\":\"x\",\"type\":6,\"data\":\"not an array\"}",
            "{\"uid\":\"x\",\"type\":6,\"data\":[1,2]}",
            "{\"uid\":\"x\",\"type\":5,\"opts\":{\"rooms\":[{}]}}",
            "{\"uid\":\"x\",\"type\":99}",
            "{\"requestId\":\"nope\",\"type\":8,\"clientCount\":-1}",
            "{\"requestId\":\"nope\",\"sockets\":[{\"id\":1}]}",
            "{\"type\":4,\"opts\":{\"rooms\":[]},\"close\":true} trailing",
            "hello")) {
      junk.add(text.getBytes(StandardCharsets.UTF_8));
    }
    // msgpack that is well-formed but not a message: a string, a short array, a bad packet type.
    junk.add(new byte[] {(byte) 0xa3, 'a', 'b', 'c'});
    junk.add(new byte[] {(byte) 0x92, 1, 2});
    junk.add(
        new byte[] {
          (byte) 0x93,
          (byte) 0xa1,
          'x',
          (byte) 0x81,
          (byte) 0xa4,
          't',
          'y',
          'p',
          'e',
          99,
          (byte) 0x80
        });
    List<String> channels =
        List.of(
            "socket.io#/#",
            "socket.io#/#junk#",
            "socket.io-request#/#",
            "socket.io-response#/#",
            "socket.io-response#/#" + node1.server().serverId() + "#");
    try (StatefulRedisConnection<byte[], byte[]> raw = lettuce.connect(ByteArrayCodec.INSTANCE)) {
      for (String channel : channels) {
        for (byte[] message : junk) {
          raw.sync().publish(channel.getBytes(StandardCharsets.UTF_8), message);
        }
      }
    }
    // Still one cluster: broadcasts, requests and acks work both ways.
    a1.emit("pub", "junk", "after");
    assertTicks(a1, ticks(a1, List.of(), a2, List.of(), b1, List.of(text("after"))));
    assertEquals(List.of(b1.id()), strings(a1.call("ids", "junk")));
    awaitNothingPending();
    assertEquals(List.of(b1.id()), strings(a2.call("pubAck", "junk", 3000)));
  }

  @Test
  void theClassicOnlyRequestsAreAnswered() throws Exception {
    assertEquals("ok", a1.call("join", "legacy-src").asText());
    assertEquals("ok", b1.call("join", "legacy-src").asText());
    BlockingQueue<String> responses = new LinkedBlockingQueue<>();
    try (StatefulRedisPubSubConnection<String, String> listener = lettuce.connectPubSub();
        StatefulRedisConnection<String, String> publisher = lettuce.connect()) {
      listener.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
              responses.add(channel + " " + message);
            }
          });
      listener.sync().psubscribe("socket.io-response#/#*");
      // SOCKETS (adapters before 7.x): each node answers with its sockets' ids; node 2 on the
      // requester's own channel.
      publisher
          .sync()
          .publish(
              "socket.io-request#/#",
              "{\"uid\":\"old\",\"requestId\":\"S1\",\"type\":0,\"rooms\":[\"legacy-src\"]}");
      Set<String> answers =
          Set.of(
              responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS),
              responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals(
          Set.of(
              "socket.io-response#/# {\"requestId\":\"S1\",\"sockets\":[\"" + a1.id() + "\"]}",
              "socket.io-response#/#old# {\"requestId\":\"S1\",\"sockets\":[\"" + b1.id() + "\"]}"),
          answers);
      // The single-socket join: the node holding the socket joins it and answers.
      publisher
          .sync()
          .publish(
              "socket.io-request#/#",
              "{\"uid\":\"old\",\"requestId\":\"L1\",\"type\":2,\"sid\":\""
                  + a2.id()
                  + "\",\"room\":\"legacy-joined\"}");
      assertEquals(
          "socket.io-response#/# {\"requestId\":\"L1\"}",
          responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertTrue(strings(a2.call("rooms")).contains("legacy-joined"));
      // ALL_ROOMS from another node: answered with the node's rooms.
      publisher
          .sync()
          .publish("socket.io-request#/#", "{\"uid\":\"old\",\"requestId\":\"R1\",\"type\":1}");
      String first = responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      String second = responses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      String fromNode1 = first.startsWith("socket.io-response#/# ") ? first : second;
      JsonNode rooms = Peer.MAPPER.readTree(fromNode1.substring(fromNode1.indexOf(' ') + 1));
      assertEquals("R1", rooms.path("requestId").asText());
      assertTrue(strings(rooms.path("rooms")).containsAll(List.of("legacy-src", "legacy-joined")));
    }
  }
}
