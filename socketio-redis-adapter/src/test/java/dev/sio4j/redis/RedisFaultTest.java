package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults, for the streams and the sharded adapter: Redis killed and restarted under a running
 * cluster (nothing blocks meanwhile, broadcasts stay local, everything resumes by itself); a node
 * that hangs (its connections open, answering nothing: requests end after the requests timeout with
 * what the living nodes sent, and the others are not slowed down); a node killed (requests complete
 * with the living ones at once).
 */
@Timeout(120)
class RedisFaultTest {
  private static final Duration REQUESTS_TIMEOUT = Duration.ofSeconds(2);

  private final Resources opened = new Resources();
  private final AtomicInteger tags = new AtomicInteger();

  @AfterEach
  void closeAll() throws Exception {
    opened.close();
  }

  private <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
  }

  private SioNode node(String kind, RedisServer redis) {
    RedisAdapterFactory factory =
        kind.equals("streams")
            ? RedisStreamsAdapter.factory(
                redis.uri(),
                RedisStreamsAdapterOptions.builder().requestsTimeout(REQUESTS_TIMEOUT).build())
            : ShardedRedisAdapter.factory(
                redis.uri(),
                ShardedRedisAdapterOptions.builder().requestsTimeout(REQUESTS_TIMEOUT).build());
    return track(SioNode.start(factory, kind.equals("streams")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"streams", "sharded"})
  void redisKilledAndRestartedUnderARunningCluster(String kind) {
    RedisServer redis = track(RedisServer.start());
    SioNode a = node(kind, redis);
    SioNode b = node(kind, redis);
    TestClient a1 = track(JavaTestClient.connect(a.port()));
    TestClient a2 = track(JavaTestClient.connect(a.port()));
    TestClient b1 = track(JavaTestClient.connect(b.port()));
    ClusterScenarios cluster = new ClusterScenarios(List.of(a1, a2, b1));
    ClusterScenariosSupport.awaitClusterFormed(cluster, a1, b1);
    cluster.broadcastToAll(a1);

    redis.kill();
    // A broadcast reaches this node's clients at once, and only them; the node stays responsive;
    // a cluster request fails within the requests timeout. (A number last: the Java client takes
    // a trailing string for a recovery offset when the server runs recovery.)
    long start = System.nanoTime();
    a1.emit("pubAll", "while-down", 0);
    awaitTick(a1, "while-down");
    awaitTick(a2, "while-down");
    assertEquals(a.port(), a1.call("whoami").asInt());
    JsonNode count = a1.call("count", (Object) null);
    assertTrue(count.asText().startsWith("error: "), "count while Redis is down: " + count);
    assertTrue(
        System.nanoTime() - start < REQUESTS_TIMEOUT.plusSeconds(2).toNanos(),
        "the node waited on Redis");

    redis.restart();
    // Everything resumes by itself: subscriptions, the stream reader, the command connections.
    awaitAcross(a1, b1);
    awaitAcross(b1, a1);
    ClusterScenariosSupport.awaitClusterFormed(cluster, a1, b1);
    cluster.broadcastToAll(a1);
    cluster.broadcastToAll(b1);
    cluster.broadcastWithAcks(b1, List.of(a2, b1));
    cluster.serverSideEmitWithAck(a2);
    // The broadcast made while Redis was down never reached the other node.
    assertTrue(
        b1.all("tick").stream().noneMatch(t -> t.get(0).asText().equals("while-down")),
        "the other node got a broadcast made while Redis was down");
  }

  @ParameterizedTest
  @ValueSource(strings = {"streams", "sharded"})
  void aHungNodeCostsRequestsTheirTimeoutAndSlowsNothingElse(String kind) throws Exception {
    RedisServer redis = track(RedisServer.start());
    SioNode a = node(kind, redis);
    SioNode b = node(kind, redis);
    ChildNode c = track(ChildNode.start(kind, redis.uri()));
    TestClient a1 = track(JavaTestClient.connect(a.port()));
    TestClient b1 = track(JavaTestClient.connect(b.port()));
    TestClient c1 = track(JavaTestClient.connect(c.port));
    ClusterScenarios cluster = new ClusterScenarios(List.of(a1, b1, c1));
    ClusterScenariosSupport.awaitClusterFormed(cluster, a1, b1, c1);

    c.freeze();
    // Broadcasts between the living are not slowed down by it.
    a1.emit("pubAll", "while-hung", 0);
    awaitTick(b1, "while-hung");

    // serverSideEmitWithAck: after the requests timeout, with the living node's answer.
    long start = System.nanoTime();
    ExecutionException e =
        expectFailure(a.server.serverSideEmitWithAck("sse-ack", "x"), Duration.ofSeconds(10));
    long elapsed = System.nanoTime() - start;
    assertTrue(elapsed >= REQUESTS_TIMEOUT.minusMillis(200).toNanos(), "ended before the timeout");
    assertTrue(elapsed < REQUESTS_TIMEOUT.plusSeconds(3).toNanos(), "ended long after the timeout");
    AckTimeoutException timeout = assertInstanceOf(AckTimeoutException.class, e.getCause());
    List<JsonNode> answers = new ArrayList<>();
    timeout.responses().forEach(r -> answers.add(r.json(0)));
    assertEquals(1, answers.size(), "answers " + answers);
    assertEquals(b.port(), answers.get(0).get("port").asInt());
    assertTrue(timeout.getMessage().startsWith("timeout reached"), timeout.getMessage());

    // fetchSockets: fails after the timeout, as the reference (no partial list).
    ExecutionException f = expectFailure(a.server.fetchSockets(), Duration.ofSeconds(10));
    assertTrue(
        f.getCause().getMessage().contains("timeout reached: only 1 responses received out of 2"),
        f.getCause().getMessage());

    // A broadcast with acks: fails after its timeout with the living clients' answers.
    ExecutionException g =
        expectFailure(
            a.server.timeout(REQUESTS_TIMEOUT).emitWithAck("ask", "q"), Duration.ofSeconds(10));
    AckTimeoutException acks = assertInstanceOf(AckTimeoutException.class, g.getCause());
    List<String> ids = new ArrayList<>();
    for (Arguments r : acks.responses()) {
      ids.add(r.string(0));
    }
    ids.sort(null);
    List<String> living = new ArrayList<>(List.of(a1.id(), b1.id()));
    living.sort(null);
    assertEquals(living, ids);

    // Killed: Redis drops its subscriptions, and requests complete with the living at once.
    c.kill();
    List<TestClient> alive = List.of(a1, b1);
    Await.until(
        () -> ClusterScenarios.sortedIds(alive).equals(a1.call("ids", (Object) null)),
        Duration.ofSeconds(10),
        "the cluster without the killed node");
    long t = System.nanoTime();
    assertEquals(ClusterScenarios.sortedIds(alive), b1.call("ids", (Object) null));
    assertTrue(System.nanoTime() - t < REQUESTS_TIMEOUT.toNanos(), "waited for the dead node");
  }

  private static <T> ExecutionException expectFailure(CompletableFuture<T> f, Duration bound)
      throws Exception {
    try {
      T value = f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e;
    } catch (CompletionException e) {
      return new ExecutionException(e.getCause());
    }
  }

  /** Emits from {@code from} until {@code to} gets one: the path between two nodes works. */
  private void awaitAcross(TestClient from, TestClient to) {
    Await.until(
        () -> {
          String tag = "probe-" + tags.incrementAndGet();
          from.emit("pubAll", tag, 0);
          long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
          while (System.nanoTime() < deadline) {
            if (to.all("tick").stream().anyMatch(t -> t.get(0).asText().equals(tag))) {
              return true;
            }
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
          }
          return false;
        },
        Duration.ofSeconds(20),
        "a broadcast from " + from + " reaching " + to);
  }

  private static JsonNode awaitTick(TestClient c, String tag) {
    for (int i = 0; i < 10_000; i++) {
      JsonNode args = c.await("tick");
      if (tag.equals(args.get(0).asText())) {
        return args;
      }
    }
    throw new AssertionError("no tick " + tag);
  }
}
