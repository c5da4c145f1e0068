package dev.sio4j.redis;

import static dev.sio4j.redis.RedisAdapterClusterTest.assertTicks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.redis.Peer.Bin;
import dev.sio4j.redis.TestCluster.SioNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One cluster of two sio4j nodes and one Node {@code socket.io} 4.8 node with the official {@code
 * @socket.io/redis-adapter} ({@code createAdapter}) on the same Redis, with official JS clients and
 * Java clients on the nodes. Every operation is started once from a sio4j node and once from the
 * Node node (each test loops over the two drivers), and must reach exactly the right clients of
 * every node, once.
 *
 * <pre>
 * node   sio1: jv1 (Java, red), js1 (JS, blue)   sio2: jv2 (Java, red)   node: jsN (JS, red), jvN (Java, blue)
 * </pre>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedClusterTest {
  private static final Duration WAIT = TestCluster.WAIT;

  private static RedisServer redis;
  private static TestCluster cluster;
  private static SioNode sio1;
  private static SioNode sio2;
  private static NodeClusterNode node;
  private static Peer jv1;
  private static Peer js1;
  private static Peer jv2;
  private static Peer jsN;
  private static Peer jvN;
  private static List<Peer> all;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    cluster = new TestCluster(redis);
    sio1 = cluster.sio();
    sio2 = cluster.sio();
    node = cluster.node("{}");
    cluster.awaitServers(3);
    jv1 = cluster.java("jv1", sio1.url());
    js1 = cluster.js("js1", sio1.url());
    jv2 = cluster.java("jv2", sio2.url());
    jsN = cluster.js("jsN", node.url());
    jvN = cluster.java("jvN", node.url());
    all = List.of(jv1, js1, jv2, jsN, jvN);
    for (Peer p : List.of(jv1, jv2, jsN)) {
      assertEquals("ok", p.call("join", "red").asText());
    }
    for (Peer p : List.of(js1, jvN)) {
      assertEquals("ok", p.call("join", "blue").asText());
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** The drivers: a Java client of a sio4j node, a JS client of the Node node. */
  private static List<Peer> drivers() {
    return List.of(jv1, jsN);
  }

  private static int portOf(Peer p) {
    if (p == jv1 || p == js1) {
      return sio1.server().port();
    }
    return p == jv2 ? sio2.server().port() : node.port();
  }

  private static List<String> ids(Peer... peers) {
    List<String> ids = new ArrayList<>();
    for (Peer p : peers) {
      ids.add(p.id());
    }
    ids.sort(null);
    return ids;
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  /** What each client must get: {@code value} for those {@code targeted} selects, nothing else. */
  private static Map<Peer, List<JsonNode>> expect(
      JsonNode value, Function<Peer, Boolean> targeted) {
    Map<Peer, List<JsonNode>> map = new LinkedHashMap<>();
    for (Peer p : all) {
      map.put(p, targeted.apply(p) ? List.of(value) : List.of());
    }
    return map;
  }

  private static JsonNode text(String s) {
    return Peer.MAPPER.getNodeFactory().textNode(s);
  }

  @Test
  void broadcastsReachExactlyTheTargetedClientsOnce() {
    Set<Peer> red = Set.of(jv1, jv2, jsN);
    for (Peer d : drivers()) {
      String tag = d.name;
      d.emit("pubAll", "all-" + tag);
      assertTicks(d, expect(text("all-" + tag), p -> true));
      d.emit("pub", "red", "red-" + tag);
      assertTicks(d, expect(text("red-" + tag), red::contains));
      d.emit("pub", "blue", "blue-" + tag);
      assertTicks(d, expect(text("blue-" + tag), p -> !red.contains(p)));
      d.emit("pubExcept", null, "red", "not-red-" + tag);
      assertTicks(d, expect(text("not-red-" + tag), p -> !red.contains(p)));
      d.emit("pubExcept", "red", d.id(), "red-not-me-" + tag);
      assertTicks(d, expect(text("red-not-me-" + tag), p -> red.contains(p) && p != d));
      d.emit("bcast", "bcast-" + tag);
      assertTicks(d, expect(text("bcast-" + tag), p -> p != d));
      // One socket's own room, on another node.
      Peer target = d == jv1 ? jvN : jv2;
      d.emit("pub", target.id(), "mine-" + tag);
      assertTicks(d, expect(text("mine-" + tag), p -> p == target));
    }
  }

  @Test
  void binaryArgumentsSurviveEveryHop() {
    for (Peer d : drivers()) {
      Bin top = new Bin(new byte[] {1, 2, 3, (byte) 0xfe, (byte) d.name.length()});
      Bin nested = new Bin(new byte[] {(byte) 0x80, 0, 127});
      d.emit("pubAll", top, Map.of("k", nested, "s", d.name));
      JsonNode expected =
          Peer.MAPPER.valueToTree(List.of(top.json(), Map.of("k", nested.json(), "s", d.name)));
      assertTicks(d, expect(expected, p -> true));
    }
  }

  @Test
  void broadcastWithAcksCollectsEveryNode() {
    for (Peer d : drivers()) {
      assertEquals(ids(jv1, jv2, jsN), strings(d.call("pubAck", "red", 3000)), d.name);
      assertEquals(ids(jv1, js1, jv2, jsN, jvN), strings(d.call("pubAck", null, 3000)), d.name);
    }
  }

  @Test
  void fetchSocketsSeesEveryNode() {
    for (Peer d : drivers()) {
      assertEquals(ids(jv1, jv2, jsN), strings(d.call("ids", "red")), d.name);
      assertEquals(ids(js1, jvN), strings(d.call("ids", "blue")), d.name);
      assertEquals(5, d.call("count", null).asInt(), d.name);
    }
    // ALL_ROOMS, which the Node node answers too.
    Set<String> rooms = Await.join(sio1.adapter().allRooms(), WAIT);
    assertTrue(
        rooms.containsAll(Set.of("red", "blue", jsN.id(), jvN.id(), jv2.id())), rooms.toString());
  }

  @Test
  void socketsJoinAndLeaveAcrossNodes() {
    for (Peer d : drivers()) {
      String room = "green-" + d.name;
      assertEquals("ok", d.call("socketsJoin", "blue", room).asText());
      awaitIds(d, room, ids(js1, jvN));
      assertTrue(strings(jvN.call("rooms")).contains(room));
      assertTrue(strings(js1.call("rooms")).contains(room));
      assertEquals("ok", d.call("socketsLeave", null, room).asText());
      awaitIds(d, room, List.of());
    }
  }

  private static void awaitIds(Peer asker, String room, List<String> expected) {
    Await.until(
        () -> strings(asker.call("ids", room)).equals(expected), WAIT, room + " = " + expected);
  }

  @Test
  void disconnectSocketsAcrossNodes() {
    for (Peer d : drivers()) {
      String room = "doomed-" + d.name;
      try (Peer d1 = Peer.java("d1", sio1.url());
          Peer d2 = Peer.js("d2", sio2.url());
          Peer d3 = Peer.java("d3", node.url())) {
        for (Peer p : List.of(d1, d2, d3)) {
          assertEquals("ok", p.call("join", room).asText());
        }
        assertEquals("ok", d.call("kick", room).asText());
        d1.awaitDisconnect();
        d2.awaitDisconnect();
        d3.awaitDisconnect();
        assertEquals(5, d.call("count", null).asInt());
      }
    }
  }

  @Test
  void serverSideEmitWithAndWithoutAck() {
    for (Peer d : drivers()) {
      String x = "sse-" + d.name;
      d.emit("sse", x);
      // Every node but the sender's emits sse-got to its own clients.
      for (Peer p : all) {
        if (portOf(p) != portOf(d)) {
          assertEquals(x, p.next("sse-got").get(0).asText(), p.name);
        }
      }
      // A marker from sio2: the next sse-got of the sender's node's clients is this one.
      String marker = "marker-" + d.name;
      jv2.emit("sse", marker);
      for (Peer p : all) {
        if (portOf(p) != portOf(jv2)) {
          assertEquals(marker, p.next("sse-got").get(0).asText(), p.name);
        }
      }

      JsonNode answers = d.call("sseAck", x);
      List<Integer> ports = new ArrayList<>();
      for (JsonNode a : answers) {
        assertEquals(x, a.path("x").asText());
        ports.add(a.path("port").asInt());
      }
      ports.sort(null);
      List<Integer> others = new ArrayList<>();
      for (int port : List.of(sio1.server().port(), sio2.server().port(), node.port())) {
        if (port != portOf(d)) {
          others.add(port);
        }
      }
      others.sort(null);
      assertEquals(others, ports, d.name);
    }
  }
}
