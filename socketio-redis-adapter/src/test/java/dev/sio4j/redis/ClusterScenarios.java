package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The operations of issue 12's cluster tests, written once and run against any cluster (sio4j
 * nodes, Node nodes, or both) through {@link TestClient}s: each is started by one client (so on its
 * node) and checked on every client of every node. Deliveries are checked exactly: every expected
 * client gets the event, and once a fence (a later broadcast from the same node, which a bus
 * delivers after the first) has arrived everywhere, nobody has it twice and nobody else has it.
 */
final class ClusterScenarios {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final AtomicInteger TAGS = new AtomicInteger();

  private final List<TestClient> clients;
  private final BiConsumer<String, Integer> roomReady;

  ClusterScenarios(List<TestClient> clients) {
    this(clients, (room, nodes) -> {});
  }

  /**
   * With {@code roomReady(room, nodes)}, called after members joined a room on {@code nodes}
   * distinct nodes, before anything is sent to it: a bus that subscribes per room (the sharded
   * adapter's dynamic mode) waits there for its subscriptions, which a join starts but does not
   * wait for (as in the reference: a broadcast from another node right after a join may miss it).
   */
  ClusterScenarios(List<TestClient> clients, BiConsumer<String, Integer> roomReady) {
    this.clients = List.copyOf(clients);
    this.roomReady = roomReady;
  }

  private void joined(String room, List<TestClient> members) {
    Set<Integer> nodes = new TreeSet<>();
    members.forEach(m -> nodes.add(m.port()));
    roomReady.accept(room, nodes.size());
  }

  List<TestClient> clients() {
    return clients;
  }

  private static String tag(String what) {
    return what + "-" + TAGS.incrementAndGet();
  }

  // ---- broadcasts ----------------------------------------------------------------------------

  /** {@code io.emit}: every client once. */
  void broadcastToAll(TestClient from) {
    String tag = tag("all");
    from.emit("pubAll", tag);
    expect(from, tag, c -> true);
  }

  /** {@code io.to(room)}: the room's members once, nobody else. */
  void broadcastToRoom(TestClient from, List<TestClient> members) {
    broadcastToRoom(from, tag("room"), members);
  }

  /** {@code io.to(room)} of a room the caller names. */
  void broadcastToRoom(TestClient from, String room, List<TestClient> members) {
    for (TestClient m : members) {
      assertEquals("ok", m.call("join", room).asText());
    }
    joined(room, members);
    String tag = tag("to-room");
    from.emit("pub", room, tag);
    expect(from, tag, members::contains);
  }

  /** {@code io.except(room)} and {@code io.to(a).except(b)}. */
  void broadcastExcept(TestClient from, List<TestClient> inA, List<TestClient> inB) {
    String a = tag("a");
    String b = tag("b");
    inA.forEach(m -> assertEquals("ok", m.call("join", a).asText()));
    inB.forEach(m -> assertEquals("ok", m.call("join", b).asText()));
    joined(a, inA);
    joined(b, inB);
    String tag = tag("except");
    from.emit("pubExcept", null, b, tag);
    expect(from, tag, c -> !inB.contains(c));
    String tag2 = tag("to-except");
    from.emit("pubExcept", a, b, tag2);
    expect(from, tag2, c -> inA.contains(c) && !inB.contains(c));
  }

  /** {@code socket.broadcast.emit}: everyone but the sender. */
  void broadcastFromSocket(TestClient from) {
    String tag = tag("bcast");
    from.emit("bcast", tag);
    expect(from, tag, c -> c != from);
  }

  /** {@code io.to(<socket id>)} and {@code io.except(<socket id>)}: a socket's own room. */
  void broadcastToOneSocket(TestClient from, TestClient target) {
    String tag = tag("to-socket");
    from.emit("pub", target.id(), tag);
    expect(from, tag, c -> c == target);
    String tag2 = tag("except-socket");
    from.emit("pubExcept", null, target.id(), tag2);
    expect(from, tag2, c -> c != target);
    assertEquals(F.arrayNode().add(target.id()), from.call("ids", target.id()));
  }

  /** Binary arguments, top level and nested in an object, arrive as binary, on every node. */
  void binarySurvives(TestClient from) {
    String tag = tag("bin");
    byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff, 42};
    ObjectNode nested = F.objectNode().put("s", tag);
    nested.set(
        "k",
        F.objectNode()
            .put("$binary", Base64.getEncoder().encodeToString(new byte[] {-128, 0, 127})));
    from.emit("pubAll", tag, bytes, nested);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    for (TestClient c : clients) {
      JsonNode args = awaitTick(c, tag);
      assertEquals(b64, args.get(1).path("$binary").asText(), c + " got " + args);
      assertEquals(nested, args.get(2), c + " got " + args);
    }
    fence(from);
  }

  /** {@code io.timeout(t).emitWithAck}: one answer per client of the cluster (or of the room). */
  void broadcastWithAcks(TestClient from, List<TestClient> members) {
    JsonNode all = from.call("pubAck", null, 5000);
    assertEquals(sortedIds(clients), all, "answers to a broadcast with acks to all");
    String room = tag("ack-room");
    members.forEach(m -> assertEquals("ok", m.call("join", room).asText()));
    JsonNode some = from.call("pubAck", room, 5000);
    assertEquals(sortedIds(members), some, "answers to a broadcast with acks to " + room);
  }

  // ---- server-wide operations ----------------------------------------------------------------

  /** {@code fetchSockets}: every socket of the cluster, or of a room. */
  void fetchSockets(TestClient from, List<TestClient> members) {
    assertEquals(sortedIds(clients), from.call("ids", (Object) null));
    String room = tag("fetch");
    members.forEach(m -> assertEquals("ok", m.call("join", room).asText()));
    assertEquals(sortedIds(members), from.call("ids", room));
    assertEquals(members.size(), from.call("count", room).asInt());
    assertEquals(clients.size(), from.call("count", (Object) null).asInt());
  }

  /** {@code socketsJoin} and {@code socketsLeave}, seen in every socket's own rooms. */
  void socketsJoinAndLeave(TestClient from, List<TestClient> members) {
    String room = tag("sj");
    String added = tag("added");
    members.forEach(m -> assertEquals("ok", m.call("join", room).asText()));
    assertEquals("ok", from.call("socketsJoin", room, added).asText());
    // The join travels through the bus: wait until every node applied it.
    awaitTrue(() -> sortedIds(members).equals(from.call("ids", added)), "socketsJoin " + added);
    for (TestClient c : clients) {
      assertEquals(members.contains(c), rooms(c).contains(added), c + " rooms");
    }
    assertEquals("ok", from.call("socketsLeave", (Object) null, added).asText());
    awaitTrue(() -> from.call("ids", added).isEmpty(), "socketsLeave " + added);
    for (TestClient c : clients) {
      assertFalse(rooms(c).contains(added), c + " still in " + added);
    }
  }

  /**
   * {@code serverSideEmit}: the other nodes' listeners, not this node's. They answer with {@code
   * io.local().emit("sse-got", x)}, a broadcast that never gets a recovery offset (it does not go
   * through the bus, as in the reference); the sio4j Java client, when the server runs recovery,
   * takes the last string argument of any event for an offset and strips it, so its {@code sse-got}
   * may come without {@code x}: counted, and checked where present.
   */
  void serverSideEmit(TestClient from) {
    String tag = tag("sse");
    List<Integer> before = new ArrayList<>();
    clients.forEach(c -> before.add(c.all("sse-got").size()));
    from.emit("sse", tag);
    for (int i = 0; i < clients.size(); i++) {
      TestClient c = clients.get(i);
      if (c.port() != from.port()) {
        int n = before.get(i);
        awaitTrue(() -> c.all("sse-got").size() > n, c + " sse-got " + tag);
        JsonNode got = c.all("sse-got").get(n);
        assertTrue(got.isEmpty() || tag.equals(got.get(0).asText()), c + " sse-got " + got);
      }
    }
    fence(from);
    for (int i = 0; i < clients.size(); i++) {
      TestClient c = clients.get(i);
      assertEquals(
          before.get(i) + (c.port() == from.port() ? 0 : 1),
          c.all("sse-got").size(),
          c + " sse-got " + tag);
    }
  }

  /** {@code serverSideEmitWithAck} of an object: one answer per other node. */
  void serverSideEmitWithAck(TestClient from) {
    ObjectNode tag = F.objectNode().put("q", tag("sse-ack"));
    JsonNode answers = from.call("sseAck", tag);
    Set<Integer> others = new TreeSet<>();
    clients.forEach(c -> others.add(c.port()));
    others.remove(from.port());
    ArrayNode expected = F.arrayNode();
    List<JsonNode> list = new ArrayList<>();
    others.forEach(
        p -> {
          ObjectNode answer = F.objectNode().put("port", p);
          answer.set("x", tag);
          list.add(answer);
        });
    list.sort(Comparator.comparing(JsonNode::toString));
    list.forEach(expected::add);
    assertEquals(expected, answers);
  }

  /**
   * {@code disconnectSockets(true)} of a room of {@code members}, clients connected for this alone
   * (not of the cluster's list): they leave, every client of the cluster stays.
   */
  void disconnectSockets(TestClient from, List<TestClient> members) {
    String room = tag("kick");
    members.forEach(m -> assertEquals("ok", m.call("join", room).asText()));
    assertEquals("ok", from.call("kick", room).asText());
    for (TestClient m : members) {
      assertEquals("io server disconnect", m.awaitDisconnect(), m.toString());
    }
    awaitTrue(() -> sortedIds(clients).equals(from.call("ids", (Object) null)), "disconnected");
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** The clients {@code expected} selects get the tick once; after the fence nobody else has it. */
  private void expect(TestClient from, String tag, Predicate<TestClient> expected) {
    for (TestClient c : clients) {
      if (expected.test(c)) {
        awaitTick(c, tag);
      }
    }
    fence(from);
    for (TestClient c : clients) {
      assertEquals(expected.test(c) ? 1 : 0, ticks(c, tag), c + " got " + tag);
    }
  }

  /** A broadcast to all from the same node, awaited everywhere. */
  private void fence(TestClient from) {
    String fence = tag("fence");
    from.emit("pubAll", fence);
    for (TestClient c : clients) {
      awaitTick(c, fence);
    }
  }

  private static JsonNode awaitTick(TestClient c, String tag) {
    return awaitEvent(c, "tick", a -> tag.equals(a.get(0).asText()));
  }

  private static JsonNode awaitEvent(TestClient c, String event, Predicate<JsonNode> match) {
    for (int i = 0; i < 10_000; i++) {
      JsonNode args = c.await(event);
      if (match.test(args)) {
        return args;
      }
    }
    throw new AssertionError("no matching " + event + " on " + c);
  }

  private static long ticks(TestClient c, String tag) {
    return c.all("tick").stream().filter(a -> tag.equals(a.get(0).asText())).count();
  }

  private static Set<String> rooms(TestClient c) {
    Set<String> rooms = new TreeSet<>();
    c.call("rooms").forEach(r -> rooms.add(r.asText()));
    assertTrue(rooms.contains(c.id()), c + " is not in its own room: " + rooms);
    return rooms;
  }

  static JsonNode sortedIds(List<TestClient> clients) {
    List<String> ids = new ArrayList<>();
    clients.forEach(c -> ids.add(c.id()));
    ids.sort(Comparator.comparing(id -> F.textNode(id).toString()));
    ArrayNode a = F.arrayNode();
    ids.forEach(a::add);
    return a;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    dev.sio4j.engineio.testing.Await.until(condition, TestClient.WAIT, what);
  }
}
