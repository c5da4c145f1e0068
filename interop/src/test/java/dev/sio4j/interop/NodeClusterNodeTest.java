package dev.sio4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Node cluster nodes (socket.io + the official Redis adapters) and the Node emitter on real Redis:
 * the cluster test app's commands work across two nodes for every adapter kind. One standalone
 * Redis and one three-master Redis Cluster serve the whole class.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeClusterNodeTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CLIENT_OPTIONS = "{\"transports\":[\"websocket\"]}";
  private static final AtomicInteger TAGS = new AtomicInteger();

  private static RedisServer redis;
  private static RedisCluster redisCluster;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    redisCluster = RedisCluster.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
    if (redisCluster != null) {
      redisCluster.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-sharded", "redis-streams"})
  void theClusterAppWorksAcrossTwoNodes(String adapter) {
    List<String> uris =
        adapter.equals(NodeClusterNode.REDIS_SHARDED) ? redisCluster.uris() : List.of(redis.uri());
    List<AutoCloseable> open = new ArrayList<>();
    try {
      NodeClusterNode nodeA = track(open, NodeClusterNode.start(adapter, uris, "{}"));
      NodeClusterNode nodeB = track(open, NodeClusterNode.start(adapter, uris, "{}"));
      NodeScript a =
          track(open, NodeScript.start("socketio-client.mjs", nodeA.url(), CLIENT_OPTIONS));
      NodeScript b =
          track(open, NodeScript.start("socketio-client.mjs", nodeB.url(), CLIENT_OPTIONS));
      String idA = a.await("connect", WAIT).path("id").asText();
      String idB = b.await("connect", WAIT).path("id").asText();
      a.send("{\"cmd\":\"onAck\",\"name\":\"ask\",\"reply\":[\"" + idA + "\"]}");
      b.send("{\"cmd\":\"onAck\",\"name\":\"ask\",\"reply\":[\"" + idB + "\"]}");

      assertEquals(nodeA.port(), ask(a, "whoami").asInt());
      assertEquals(nodeB.port(), ask(b, "whoami").asInt());

      assertEquals("ok", ask(a, "join", "r").asText());
      if (adapter.equals(NodeClusterNode.REDIS_SHARDED)) {
        // Dynamic mode subscribes to the room's channel when the first socket joins, without
        // waiting for Redis; a publish before that is lost (the reference behaves so too).
        awaitShardSubscribers("socket.io#/#r#");
      }
      b.send("{\"cmd\":\"emit\",\"name\":\"pub\",\"args\":[\"r\",1,{\"$binary\":\"AQI=\"}]}");
      JsonNode tick = a.await("event", e -> e.path("name").asText().equals("tick"), WAIT);
      assertEquals("[1,{\"$binary\":\"AQI=\"}]", withoutOffset(adapter, tick).toString());
      // Exactly once: the next tick A sees is the next one published.
      b.send("{\"cmd\":\"emit\",\"name\":\"pub\",\"args\":[\"r\",2]}");
      tick = a.await("event", e -> e.path("name").asText().equals("tick"), WAIT);
      assertEquals("[2]", withoutOffset(adapter, tick).toString());

      assertEquals(1, ask(b, "count", "r").asInt());
      assertEquals(2, ask(b, "count", (Object) null).asInt());
      assertEquals(sorted(idA, idB), ask(b, "ids", (Object) null));
      assertEquals(sorted("r", idA), ask(a, "rooms"));
      assertEquals(sorted(idA, idB), ask(a, "pubAck", null, 5000));

      a.send("{\"cmd\":\"emit\",\"name\":\"sse\",\"args\":[\"hello\"]}");
      JsonNode got = b.await("event", e -> e.path("name").asText().equals("sse-got"), WAIT);
      assertEquals("[\"hello\"]", got.path("args").toString());
      JsonNode answers = ask(a, "sseAck", "x");
      assertEquals("[{\"port\":" + nodeB.port() + ",\"x\":\"x\"}]", answers.toString());

      assertTrue(
          a.events("event").stream().noneMatch(e -> e.path("name").asText().equals("sse-got")),
          "serverSideEmit does not reach the sender's own node");
      assertTrue(
          b.events("event").stream().noneMatch(e -> e.path("name").asText().equals("tick")),
          "B is not in room r");

      nodeB.kill();
      assertFalse(nodeB.isAlive());
      b.await("disconnect", WAIT);
    } finally {
      closeAll(open);
    }
  }

  @Test
  void theNodeEmitterReachesAClientOfANodeClusterNode() {
    List<AutoCloseable> open = new ArrayList<>();
    try {
      NodeClusterNode node = track(open, NodeClusterNode.start(NodeClusterNode.REDIS, redis.uri()));
      NodeScript client =
          track(open, NodeScript.start("socketio-client.mjs", node.url(), CLIENT_OPTIONS));
      client.await("connect", WAIT);
      assertEquals("ok", ask(client, "join", "room1").asText());
      NodeRedisEmitter emitter = track(open, NodeRedisEmitter.start(redis.uri()));

      long receivers =
          emitter.command(
              Map.of(
                  "cmd",
                  "emit",
                  "to",
                  List.of("room1"),
                  "event",
                  "tick",
                  "args",
                  List.of(7, NodeRedisEmitter.binary(new byte[] {1, 2}))));
      assertEquals(1, receivers, "the node's subscriber heard the PUBLISH");
      JsonNode tick = client.await("event", e -> e.path("name").asText().equals("tick"), WAIT);
      assertEquals("[7,{\"$binary\":\"AQI=\"}]", tick.path("args").toString());

      emitter.command(Map.of("cmd", "socketsJoin", "rooms", "room2"));
      assertEquals(sorted("room1", "room2", idOf(client)), awaitRooms(client, 3));
    } finally {
      closeAll(open);
    }
  }

  /**
   * The event's arguments; with connection state recovery (streams) the server appends the event's
   * offset, a stream entry id, which the official client hands to the application too.
   */
  private static JsonNode withoutOffset(String adapter, JsonNode event) {
    ArrayNode args = ((ArrayNode) event.path("args")).deepCopy();
    if (adapter.equals(NodeClusterNode.REDIS_STREAMS)) {
      String offset = args.remove(args.size() - 1).asText();
      assertTrue(offset.matches("[0-9]+-[0-9]+"), "a stream entry id: " + offset);
    }
    return args;
  }

  private static String idOf(NodeScript client) {
    return client.events("connect").get(0).path("id").asText();
  }

  /** The client's rooms once it has {@code size} of them (remote joins arrive asynchronously). */
  private static JsonNode awaitRooms(NodeScript client, int size) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode rooms = ask(client, "rooms");
      if (rooms.size() == size || System.nanoTime() > deadline) {
        return rooms;
      }
    }
  }

  /** Waits until a shard channel has a subscriber somewhere in the cluster. */
  private static void awaitShardSubscribers(String channel) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long count = 0;
      for (RedisServer node : redisCluster.nodes()) {
        List<?> reply = (List<?>) node.command("PUBSUB", "SHARDNUMSUB", channel);
        count += (Long) reply.get(1);
      }
      if (count > 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no subscriber for " + channel + " within " + WAIT);
      }
      // Poll interval: Redis announces no subscription.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** Emits {@code name(args)} with an ack and returns the ack's single argument. */
  private static JsonNode ask(NodeScript client, String name, Object... args) {
    String tag = "t" + TAGS.incrementAndGet();
    ArrayNode json = MAPPER.createArrayNode();
    for (Object arg : args) {
      json.add(MAPPER.valueToTree(arg));
    }
    client.sendJson(
        Map.of("cmd", "emitWithAck", "name", name, "args", json, "timeout", 8000, "tag", tag));
    JsonNode ack = client.await("ack", e -> e.path("tag").asText().equals(tag), WAIT);
    return ack.path("args").path(0);
  }

  private static ArrayNode sorted(String... items) {
    ArrayNode array = MAPPER.createArrayNode();
    List.of(items).stream().sorted().forEach(array::add);
    return array;
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> open, T resource) {
    open.add(resource);
    return resource;
  }

  private static void closeAll(List<AutoCloseable> open) {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        // Keep closing the rest; the test's own failure, if any, is the one that matters.
      }
    }
  }
}
