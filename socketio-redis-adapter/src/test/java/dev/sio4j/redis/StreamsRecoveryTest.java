package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.server.RemoteSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection state recovery across nodes with the streams adapter: a client of node A, A goes away,
 * events are broadcast meanwhile from another node, the client reconnects (through a proxy, as
 * behind a load balancer) to node B: same id, rooms and data, every missed event once and in order,
 * then the live ones.
 */
@Timeout(120)
class StreamsRecoveryTest {
  private static final byte[] BYTES = {1, 2, 3, (byte) 0xff};

  static RedisServer redis;
  private final Resources opened = new Resources();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    opened.close();
  }

  private <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
  }

  /** {@code setData(name)} sets {@code socket.data.name}: the data a recovery must bring back. */
  static void dataHandler(SioNode node) {
    node.server.onConnection(
        s ->
            s.on(
                "setData",
                (args, ack) -> {
                  s.data().put("name", args.string(0));
                  ack.send("ok");
                }));
  }

  private SioNode node() {
    SioNode node = track(SioNode.start(RedisStreamsAdapter.factory(redis.uri()), true));
    dataHandler(node);
    return node;
  }

  private static JavaTestClient reconnecting(int port) {
    return JavaTestClient.connect(
        port,
        b ->
            b.reconnectionDelay(Duration.ofMillis(50))
                .reconnectionDelayMax(Duration.ofMillis(200))
                .randomizationFactor(0));
  }

  @Test
  void aClientOfAStoppedNodeRecoversOnAnotherNodeWithEverythingItMissed() {
    SioNode a = node();
    SioNode b = node();
    SwitchingProxy proxy = track(new SwitchingProxy(a.port()));
    JavaTestClient client = track(reconnecting(proxy.port()));
    TestClient other = track(JavaTestClient.connect(b.port()));
    Lost lost = new Lost(client, other, "r");
    proxy.switchTo(0);
    a.close();
    lost.whileAway();
    proxy.switchTo(b.port());
    lost.recovered(b);
  }

  @Test
  void aClientOfANodeWhoseJvmGotSigtermRecoversOnAnotherNode() throws Exception {
    ChildNode a = track(ChildNode.start(redis.uri()));
    SioNode b = node();
    SwitchingProxy proxy = track(new SwitchingProxy(a.port));
    JavaTestClient client = track(reconnecting(proxy.port()));
    TestClient other = track(JavaTestClient.connect(b.port()));
    Lost lost = new Lost(client, other, "r");
    proxy.switchTo(0);
    a.terminate();
    lost.whileAway();
    proxy.switchTo(b.port());
    lost.recovered(b);
  }

  /**
   * A node that dies without running anything (SIGKILL) saves no session, as in the reference
   * (sessions are saved when a socket disconnects): its clients get new sessions elsewhere.
   */
  @Test
  void aClientOfAKilledNodeGetsANewSessionAsWithTheReference() throws Exception {
    ChildNode a = track(ChildNode.start(redis.uri()));
    SioNode b = node();
    SwitchingProxy proxy = track(new SwitchingProxy(a.port));
    JavaTestClient client = track(reconnecting(proxy.port()));
    TestClient other = track(JavaTestClient.connect(b.port()));
    Lost lost = new Lost(client, other, "r");
    proxy.switchTo(0);
    a.kill();
    lost.whileAway();
    proxy.switchTo(b.port());
    client.events.await("connect", TestClient.WAIT);
    assertFalse(client.socket.recovered());
    assertNotEquals(lost.id, client.id());
    assertFalse(client.call("rooms").toString().contains("\"r\""));
  }

  /**
   * Events broadcast without pause while the client comes back, from the node it comes back to
   * (delivered as soon as Redis numbered them) and from a third node (read from the stream): each
   * sequence arrives whole, in order, once, whether an event was replayed, held back during the
   * restore, or live.
   */
  @Test
  void eventsBroadcastDuringTheRestoreAreNeitherLostNorDoubled() throws Exception {
    SioNode a = node();
    SioNode b = node();
    SioNode c = node();
    SwitchingProxy proxy = track(new SwitchingProxy(a.port()));
    JavaTestClient client = track(reconnecting(proxy.port()));
    TestClient other = track(JavaTestClient.connect(b.port()));
    Lost lost = new Lost(client, other, "r");
    proxy.switchTo(0);
    a.close();
    int n = 400;
    AtomicInteger sentB = new AtomicInteger();
    AtomicInteger sentC = new AtomicInteger();
    CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> sequence(b, "seqB", n, sentB));
    CompletableFuture<Void> fromC = CompletableFuture.runAsync(() -> sequence(c, "seqC", n, sentC));
    Await.until(() -> sentB.get() > n / 4, "a quarter sent");
    proxy.switchTo(b.port());
    Await.join(fromB, Duration.ofSeconds(30));
    Await.join(fromC, Duration.ofSeconds(30));
    client.events.await("connect", TestClient.WAIT);
    assertTrue(client.socket.recovered(), "not recovered");
    assertEquals(lost.id, client.id());
    for (String name : List.of("seqB", "seqC")) {
      Await.until(() -> client.all(name).size() >= n, "all of " + name);
    }
    // A fence from each sender, then nothing more may come.
    other.emit("pub", "r", "fence");
    awaitTick(client, "fence");
    c.server.to("r").emit("tick", "fence-c");
    awaitTick(client, "fence-c");
    for (String name : List.of("seqB", "seqC")) {
      List<Integer> got = new ArrayList<>();
      client.all(name).forEach(args -> got.add(args.get(0).asInt()));
      List<Integer> expected = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        expected.add(i);
      }
      assertEquals(expected, got, name);
    }
  }

  /** Broadcasts {@code event(i)} to room r for i = 1..n, a few milliseconds apart. */
  private static void sequence(SioNode node, String event, int n, AtomicInteger sent) {
    for (int i = 1; i <= n; i++) {
      node.server.to("r").emit(event, i);
      sent.set(i);
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
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

  /**
   * A client in a room with data, that got one event (so it has an offset), about to be cut off.
   */
  static final class Lost {
    final JavaTestClient client;
    final TestClient other;
    final String room;
    final String id;

    Lost(JavaTestClient client, TestClient other, String room) {
      this.client = client;
      this.other = other;
      this.room = room;
      this.id = client.id();
      assertEquals("ok", client.call("join", room).asText());
      assertEquals("ok", client.call("setData", "alice").asText());
      // Both nodes see each other, then one event gives the client its offset.
      Await.until(
          () -> other.call("ids", (Object) null).size() == 2, Duration.ofSeconds(10), "cluster");
      other.emit("pub", room, "before");
      awaitTick(client, "before");
    }

    /** Broadcasts from the other node while the client is away; all in the stream on return. */
    void whileAway() {
      assertEquals("transport close", client.awaitDisconnect());
      other.emit("pub", room, "m1");
      other.emit("pubAll", "m2");
      other.emit("pub", "elsewhere", "not-for-it");
      other.emit("pubExcept", null, room, "not-for-it-either");
      other.emit("pub", room, "m3", BYTES);
      other.emit("pubAll", "m4");
      awaitTick(other, "m4");
    }

    /** Back on {@code node}: the session, the missed events, then the live ones. */
    void recovered(SioNode node) {
      client.events.await("connect", TestClient.WAIT);
      assertTrue(client.socket.recovered(), "not recovered");
      assertEquals(id, client.id());
      List<String> ticks = new ArrayList<>();
      List<JsonNode> args = new ArrayList<>();
      for (String expected : List.of("m1", "m2", "m3", "m4")) {
        JsonNode a = awaitTick(client, expected);
        ticks.add(a.get(0).asText());
        args.add(a);
      }
      assertEquals(
          Base64.getEncoder().encodeToString(BYTES), args.get(2).get(1).path("$binary").asText());
      assertTrue(client.call("rooms").toString().contains("\"" + room + "\""));
      RemoteSocket remote =
          Await.join(node.server.fetchSockets()).stream()
              .filter(s -> s.id().equals(id))
              .findFirst()
              .orElseThrow();
      assertEquals("alice", remote.data().path("name").asText());
      other.emit("pub", room, "after");
      awaitTick(client, "after");
      List<String> all = new ArrayList<>();
      client.all("tick").forEach(a -> all.add(a.get(0).asText()));
      assertEquals(List.of("before", "m1", "m2", "m3", "m4", "after"), all);
    }
  }
}
