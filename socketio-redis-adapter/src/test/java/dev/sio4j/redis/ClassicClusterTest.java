package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.adapter.ClusterTimeoutException;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.FreePort;
import dev.sio4j.redis.internal.LettuceSupport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The classic Redis adapter ({@code createAdapter}) on two sio4j nodes: every cluster operation of
 * {@link TwoSioNodesTests}, and what only the classic adapter has: requests time out with what the
 * living answered when a node is silent; foreign messages on the channels are dropped; the classic
 * wire's own requests (ALL_ROOMS, SOCKETS, single-socket join) are answered; a factory on the
 * caller's Lettuce client leaves it open. Node A replies on the common response channel, node B, on
 * a client the test owns, on the requester's own ({@code publishOnSpecificResponseChannel}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassicClusterTest extends TwoSioNodesTests {
  private static final Duration WAIT = TestClient.WAIT;
  private static final Duration REQUESTS_TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RedisClient lettuce;

  @Override
  RedisAdapterFactory factory() {
    return RedisAdapter.factory(
        redis.uri(), RedisAdapterOptions.builder().requestsTimeout(REQUESTS_TIMEOUT).build());
  }

  @Override
  RedisAdapterFactory factoryB() {
    lettuce = RedisClient.create(redis.uri());
    lettuce.setOptions(LettuceSupport.clientOptions());
    // Closed after node B, which is tracked after this.
    track(() -> lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
    return RedisAdapter.factory(
        lettuce,
        RedisAdapterOptions.builder()
            .requestsTimeout(REQUESTS_TIMEOUT)
            .publishOnSpecificResponseChannel(true)
            .build());
  }

  private RedisAdapter adapter(SioNode node) {
    return (RedisAdapter) node.server.sockets().adapter();
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private void awaitServers(int count) {
    Await.until(
        () -> RedisAdapterFaultTest.subscribers(redis, "socket.io-request#/#") == count,
        WAIT,
        count + " servers");
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

  /** ALL_ROOMS, a classic-only request: the rooms of every node. */
  @Test
  void allRoomsSeesEveryNode() {
    assertEquals("ok", a1.call("join", "all-rooms").asText());
    assertEquals("ok", b1.call("join", "all-rooms").asText());
    Set<String> rooms = Await.join(adapter(nodeA).allRooms(), WAIT);
    assertTrue(
        rooms.containsAll(Set.of("all-rooms", a1.id(), a2.id(), b1.id(), b2.id())),
        rooms.toString());
  }

  @Test
  void aSilentNodeTimesRequestsOutWithWhatTheLivingSent() {
    // A node that subscribed and then hung: counted by PUBSUB NUMSUB, never answering.
    try (StatefulRedisPubSubConnection<String, String> silent = lettuce.connectPubSub()) {
      silent.sync().subscribe("socket.io-request#/#");
      awaitServers(3);
      // The three requests wait side by side: one requests timeout in all.
      long start = System.nanoTime();
      var emitted =
          nodeA.server.sockets().serverSideEmitWithAck("sse-ack", "t").handle((ok, e) -> e);
      var rooms = adapter(nodeA).allRooms().handle((ok, e) -> e);
      assertEquals(
          "error: timeout reached: only 1 responses received out of 2",
          a1.call("count", (Object) null).asText());
      Throwable error = Await.join(emitted, WAIT);
      assertTrue(System.nanoTime() - start >= REQUESTS_TIMEOUT.toNanos() - 50_000_000L);
      AckTimeoutException timeout =
          assertInstanceOf(
              AckTimeoutException.class,
              error instanceof CompletionException ? error.getCause() : error);
      assertEquals("timeout reached: only 1 responses received out of 2", timeout.getMessage());
      List<Arguments> living = timeout.responses();
      assertEquals(1, living.size());
      assertEquals(nodeB.port(), living.get(0).json(0).path("port").asInt());
      Throwable roomsError = Await.join(rooms, WAIT);
      assertInstanceOf(
          ClusterTimeoutException.class,
          roomsError instanceof CompletionException ? roomsError.getCause() : roomsError);
    }
    awaitServers(2);
    assertEquals(4, a1.call("count", (Object) null).asInt());
    awaitNothingPending();
  }

  /**
   * Every request of the nodes ended: the timed-out ones were forgotten (a broadcast with acks is
   * kept for its own timeout, so this may wait for one of another test).
   */
  private void awaitNothingPending() {
    Await.until(
        () -> adapter(nodeA).pendingRequests() == 0 && adapter(nodeB).pendingRequests() == 0,
        WAIT,
        "no pending request");
  }

  @Test
  void foreignMessagesOnTheChannelsAreDroppedAndTheNodesKeepWorking() {
    // b1 in room "junk", whose own channel gets junk too.
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
            "socket.io-response#/#" + nodeA.server.serverId() + "#");
    try (StatefulRedisConnection<byte[], byte[]> raw = lettuce.connect(ByteArrayCodec.INSTANCE)) {
      for (String channel : channels) {
        for (byte[] message : junk) {
          raw.sync().publish(channel.getBytes(StandardCharsets.UTF_8), message);
        }
      }
    }
    // Still one cluster: broadcasts, requests and acks work both ways.
    cluster.broadcastToRoom(a1, "junk", List.of(b1));
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
      JsonNode rooms = MAPPER.readTree(fromNode1.substring(fromNode1.indexOf(' ') + 1));
      assertEquals("R1", rooms.path("requestId").asText());
      assertTrue(strings(rooms.path("rooms")).containsAll(List.of("legacy-src", "legacy-joined")));
    }
  }
}
