package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis killed and restarted on the same port under two sio4j nodes: while it is down a broadcast
 * reaches the local clients and nothing else, requests fail at once, nothing blocks; once it is
 * back the adapters reconnect and subscribe again by themselves (also a namespace created during
 * the outage), and broadcasts resume — without the messages of the outage arriving late.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisAdapterFaultTest {
  private static final Duration WAIT = TestClient.WAIT;

  @Test
  void redisRestartedMidRun() throws Exception {
    try (Resources opened = new Resources()) {
      RedisServer redis = opened.track(RedisServer.start());
      SioNode node1 = opened.track(SioNode.start(RedisAdapter.factory(redis.uri()), false));
      SioNode node2 = opened.track(SioNode.start(RedisAdapter.factory(redis.uri()), false));
      Await.until(() -> subscribers(redis, "socket.io-request#/#") == 2, WAIT, "both subscribed");
      TestClient c1 = opened.track(JavaTestClient.connect(node1.port()));
      TestClient c2 = opened.track(JavaTestClient.connect(node2.port()));
      c1.emit("pubAll", "before");
      assertEquals("before", c1.await("tick").get(0).asText());
      assertEquals("before", c2.await("tick").get(0).asText());

      redis.kill();
      Await.until(
          () -> !factory(node1).connected() && !factory(node2).connected(),
          WAIT,
          "the adapters saw Redis go");

      // Down: delivered here, dropped for the others; no call waits for Redis.
      long start = System.nanoTime();
      node1.server.emit("tick", "down-server");
      // Received before the next emit: this thread's emit is queued on c1's loop, which reads its
      // socket (and would deliver a "down" sent meanwhile at once) before it runs its queue.
      assertEquals("down-server", c1.await("tick").get(0).asText());
      c1.emit("pubAll", "down");
      assertEquals("down", c1.await("tick").get(0).asText());
      String count = c1.call("count", (Object) null).asText();
      assertTrue(count.startsWith("error: "), count);
      assertTrue(
          System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3),
          "a server thread waited for Redis");
      // A namespace opened during the outage subscribes once Redis is back.
      node1.server.of("/late");
      node2.server.of("/late");

      redis.restart();
      Await.until(
          () ->
              subscribers(redis, "socket.io-request#/#") == 2
                  && subscribers(redis, "socket.io-request#/late#") == 2
                  && patternSubscribers(redis) == 4
                  // the publishing connections reconnect on their own schedule: a PUBLISH sent
                  // while one is still away is dropped (REJECT_COMMANDS), as documented
                  && factory(node1).connected()
                  && factory(node2).connected(),
          WAIT,
          "both nodes subscribed and connected again");

      // Back: broadcasts resume both ways, and "down" never reached c2.
      c1.emit("pubAll", "after");
      assertEquals("after", c2.await("tick").get(0).asText());
      assertEquals("after", c1.await("tick").get(0).asText());
      c2.emit("pubAll", "back");
      assertEquals("back", c1.await("tick").get(0).asText());
      assertEquals("back", c2.await("tick").get(0).asText());
      assertEquals(2, c1.call("count", (Object) null).asInt());
    }
  }

  private static ClassicAdapterFactory factory(SioNode node) {
    return (ClassicAdapterFactory) node.factory;
  }

  /** The subscribers of {@code channel}: for a request channel, the nodes a request counts. */
  static int subscribers(RedisServer redis, String channel) {
    Object reply = redis.command("PUBSUB", "NUMSUB", channel);
    return Integer.parseInt(String.valueOf(((List<?>) reply).get(1)));
  }

  /** Pattern subscriptions over every connection (two namespaces on each of two nodes). */
  private static int patternSubscribers(RedisServer redis) {
    int total = 0;
    for (String line : String.valueOf(redis.command("CLIENT", "LIST")).split("\n")) {
      for (String field : line.split(" ")) {
        if (field.startsWith("psub=")) {
          total += Integer.parseInt(field.substring(5).trim());
        }
      }
    }
    return total;
  }
}
