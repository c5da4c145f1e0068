package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.redis.TestCluster.SioNode;
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
  private static final Duration WAIT = TestCluster.WAIT;

  @Test
  void redisRestartedMidRun() {
    try (RedisServer redis = RedisServer.start();
        TestCluster cluster = new TestCluster(redis)) {
      SioNode node1 = cluster.sio();
      SioNode node2 = cluster.sio();
      Peer c1 = cluster.java("c1", node1.url());
      Peer c2 = cluster.java("c2", node2.url());
      c1.emit("pubAll", "before");
      assertEquals("before", c1.next("tick").get(0).asText());
      assertEquals("before", c2.next("tick").get(0).asText());

      redis.kill();
      Await.until(
          () -> !factory(node1).connected() && !factory(node2).connected(),
          WAIT,
          "the adapters saw Redis go");

      // Down: delivered here, dropped for the others; no call waits for Redis.
      long start = System.nanoTime();
      node1.server().emit("tick", "down-server");
      c1.emit("pubAll", "down");
      assertEquals("down-server", c1.next("tick").get(0).asText());
      assertEquals("down", c1.next("tick").get(0).asText());
      String count = c1.call("count", null).asText();
      assertTrue(count.startsWith("error: "), count);
      assertTrue(
          System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3),
          "a server thread waited for Redis");
      // A namespace opened during the outage subscribes once Redis is back.
      node1.server().of("/late");
      node2.server().of("/late");

      redis.restart();
      Await.until(
          () ->
              cluster.subscribers("socket.io") == 2
                  && lateSubscribers(redis) == 2
                  && patternSubscribers(redis) == 4,
          WAIT,
          "both nodes subscribed again");

      // Back: broadcasts resume both ways, and "down" never reached c2.
      c1.emit("pubAll", "after");
      assertEquals("after", c2.next("tick").get(0).asText());
      assertEquals("after", c1.next("tick").get(0).asText());
      c2.emit("pubAll", "back");
      assertEquals("back", c1.next("tick").get(0).asText());
      assertEquals("back", c2.next("tick").get(0).asText());
      assertEquals(2, c1.call("count", null).asInt());
    }
  }

  private static ClassicAdapterFactory factory(SioNode node) {
    return (ClassicAdapterFactory) node.factory();
  }

  private static int lateSubscribers(RedisServer redis) {
    Object reply = redis.command("PUBSUB", "NUMSUB", "socket.io-request#/late#");
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
