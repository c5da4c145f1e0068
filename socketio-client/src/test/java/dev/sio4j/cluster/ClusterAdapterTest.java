package dev.sio4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterTimeoutException;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.server.RemoteSocket;
import dev.sio4j.server.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three servers in one JVM whose {@code ClusterAdapter}s share an {@link InProcessBus}, with real
 * Java clients: broadcasts, acks, fetches, room changes, disconnections and server-side events
 * cross the nodes, and a node that stops answering makes requests fail in time.
 *
 * <p>These tests live in the client module because it is the one where both the server and the Java
 * client are on the test class path (the server's tests cannot use the client: the client's tests
 * already depend on the server).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterAdapterTest {
  private Cluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** a on node 0 in r1; b on node 1 in r1 and r2; c and d on node 2, c in r2. */
  private List<Peer> fourPeers() {
    return List.of(
        cluster.connect(0, "a", "r1"),
        cluster.connect(1, "b", "r1", "r2"),
        cluster.connect(2, "c", "r2"),
        cluster.connect(2, "d"));
  }

  /** What each peer received before {@code marker}. */
  private static Map<String, List<String>> received(List<Peer> peers, String marker) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Peer p : peers) {
      out.put(p.name, p.until(marker));
    }
    return out;
  }

  @Test
  void broadcastsReachEveryNodesTargetedClientsOnce() {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    cluster.io(0).emit("all", 1);
    cluster.io(0).to("r1").emit("r1");
    cluster.io(1).to("r1", "r2").emit("r1-or-r2");
    cluster.io(2).to("r1").except("r2").emit("r1-not-r2");
    cluster.io(0).except("r1").emit("not-r1");
    String marker = cluster.marker(1);
    // Sorted: broadcasts from different nodes are not ordered with each other.
    Map<String, List<String>> got = received(peers, marker);
    got.replaceAll((k, v) -> v.stream().sorted().toList());
    assertEquals(
        Map.of(
            "a", List.of("all[1]", "r1-not-r2[]", "r1-or-r2[]", "r1[]"),
            "b", List.of("all[1]", "r1-or-r2[]", "r1[]"),
            "c", List.of("all[1]", "not-r1[]", "r1-or-r2[]"),
            "d", List.of("all[1]", "not-r1[]")),
        got);
  }

  @Test
  void localBroadcastsStayOnTheirNode() {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    cluster.io(1).local().emit("local-1");
    cluster.io(2).local().to("r2").emit("local-2-r2");
    String marker = cluster.marker(0);
    assertEquals(
        Map.of(
            "a", List.of(),
            "b", List.of("local-1[]"),
            "c", List.of("local-2-r2[]"),
            "d", List.of()),
        received(peers, marker));
    assertTrue(
        cluster.bus.published.stream()
            .filter(m -> m instanceof ClusterMessage.Broadcast)
            .map(m -> ((ClusterMessage.Broadcast) m).data().packet().data().orElseThrow())
            .noneMatch(d -> d.get(0).asText().startsWith("local")),
        "a local broadcast was published");
  }

  @Test
  void volatileBroadcastsCarryTheirFlagToTheOtherNodes() {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    cluster.io(2).volatile_().to("r1").emit("v");
    String marker = cluster.marker(2);
    Map<String, List<String>> got = received(peers, marker);
    assertEquals(List.of("v[]"), got.get("a"));
    assertEquals(List.of("v[]"), got.get("b"));
    assertEquals(List.of(), got.get("c"));
    ClusterMessage.Broadcast sent =
        (ClusterMessage.Broadcast)
            cluster.bus.published.stream()
                .filter(m -> m instanceof ClusterMessage.Broadcast)
                .findFirst()
                .orElseThrow();
    assertTrue(sent.data().opts().flags().isVolatile());
    assertEquals(Set.of("r1"), sent.data().opts().rooms());
  }

  @Test
  void aSocketsBroadcastReachesEveryNodeButTheSender() throws Exception {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    for (int i = 0; i < 3; i++) {
      cluster
          .io(i)
          .onConnection(
              s -> {
                s.on(
                    "shout",
                    (args, ack) -> {
                      s.broadcast().emit("shout", args.toArray());
                      ack.send();
                    });
                s.on(
                    "to-r2",
                    (args, ack) -> {
                      s.to("r2").emit("to-r2", args.toArray());
                      ack.send();
                    });
              });
    }
    List<Peer> peers = fourPeers();
    // Acknowledged once the node published the broadcast: the marker comes after it.
    peers.get(0).socket.emitWithAck("shout", "from-a").get(10, TimeUnit.SECONDS);
    peers.get(1).socket.emitWithAck("to-r2", "from-b").get(10, TimeUnit.SECONDS);
    String marker = cluster.marker(0);
    assertEquals(
        Map.of(
            "a", List.of(),
            "b", List.of("shout[\"from-a\"]"),
            "c", List.of("shout[\"from-a\"]", "to-r2[\"from-b\"]"),
            "d", List.of("shout[\"from-a\"]")),
        received(peers, marker));
  }

  @Test
  void broadcastAcksAreCollectedFromEveryNode() throws Exception {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    peers.forEach(p -> p.answers("who"));
    // Completed only once every node's count and every client's ack arrived, or it would fail.
    List<Arguments> all =
        cluster.io(1).timeout(Duration.ofSeconds(3)).emitWithAck("who").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("a", "b", "c", "d"), names(all));
    List<Arguments> inR2 =
        cluster
            .io(0)
            .to("r2")
            .timeout(Duration.ofSeconds(3))
            .emitWithAck("who")
            .get(10, TimeUnit.SECONDS);
    assertEquals(List.of("b", "c"), names(inR2));
    // Nothing tells a node when the others' clients all answered: it forgets after the timeout.
    awaitCondition(() -> cluster.adapter(0).pendingRequests() == 0, "node 0 forgot its requests");
  }

  @Test
  void aBroadcastAckTimesOutWithTheAnswersOfEveryNode() {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    peers.get(0).answers("who");
    peers.get(1).answers("who");
    peers.get(2).answers("who");
    peers.get(3).ignores("who");
    CompletableFuture<List<Arguments>> f =
        cluster.io(0).timeout(Duration.ofMillis(1500)).emitWithAck("who");
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    AckTimeoutException t = assertInstanceOf(AckTimeoutException.class, e.getCause());
    assertEquals("operation has timed out", t.getMessage());
    assertEquals(List.of("a", "b", "c"), names(t.responses()));
    awaitCondition(() -> cluster.adapter(0).pendingRequests() == 0, "node 0 forgot its requests");
  }

  @Test
  void fetchSocketsReturnsTheSocketsOfEveryNode() throws Exception {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    List<RemoteSocket> all = cluster.io(1).fetchSockets().get(10, TimeUnit.SECONDS);
    Map<String, RemoteSocket> byName = new TreeMap<>();
    all.forEach(s -> byName.put(s.data().path("name").asText(), s));
    assertEquals(Set.of("a", "b", "c", "d"), byName.keySet());
    assertEquals(4, all.size());
    // This node's sockets come first.
    assertEquals("b", all.get(0).data().path("name").asText());
    RemoteSocket c = byName.get("c");
    assertEquals(peers.get(2).id(), c.id());
    assertEquals(Set.of(c.id(), "r2"), c.rooms());
    assertEquals("c", c.handshake().path("auth").path("name").asText());
    assertFalse(c.isLocal());
    assertTrue(byName.get("b").isLocal());
    assertEquals(
        List.of("b", "c"), names(cluster.io(0).in("r2").fetchSockets().get(10, TimeUnit.SECONDS)));
    assertEquals(
        List.of("a", "d"),
        names(cluster.io(2).except("r2").fetchSockets().get(10, TimeUnit.SECONDS)));
    assertEquals(
        List.of("c", "d"), names(cluster.io(2).local().fetchSockets().get(10, TimeUnit.SECONDS)));
  }

  @Test
  void aRemoteSocketsOperationsGoThroughTheCluster() throws Exception {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    Peer c = peers.get(2);
    c.answers("ping");
    RemoteSocket remote =
        cluster.io(0).in("r2").except("r1").fetchSockets().get(10, TimeUnit.SECONDS).get(0);
    assertEquals(c.id(), remote.id());
    remote.emit("direct", "hi");
    remote.join("vip");
    cluster.settle();
    cluster.io(1).to("vip").emit("to-vip");
    List<Arguments> answer =
        remote.timeout(Duration.ofSeconds(20)).emitWithAck("ping").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("c"), names(answer));
    remote.leave("vip");
    cluster.settle();
    cluster.io(1).to("vip").emit("to-vip-again");
    String marker = cluster.marker(0);
    assertEquals(
        Map.of(
            "a", List.of(),
            "b", List.of(),
            "c", List.of("direct[\"hi\"]", "to-vip[]", "ping[]"),
            "d", List.of()),
        received(peers, marker));
    remote.disconnect(false);
    assertEquals(List.of(), c.until("disconnect:io server disconnect"));
  }

  @Test
  void socketsJoinLeaveAndDisconnectReachEveryNode() {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    // Each step is applied by every node before the next (from another node) is sent.
    cluster.io(0).in("r2").socketsJoin("club");
    cluster.settle();
    cluster.io(2).to("club").emit("club-1");
    cluster.settle();
    cluster.io(2).in("r1").socketsLeave("club");
    cluster.settle();
    cluster.io(0).to("club").emit("club-2");
    String marker = cluster.marker(1);
    assertEquals(
        Map.of(
            "a", List.of(),
            "b", List.of("club-1[]"),
            "c", List.of("club-1[]", "club-2[]"),
            "d", List.of()),
        received(peers, marker));

    cluster.io(0).in("r2").disconnectSockets(false);
    assertEquals(List.of(), peers.get(1).until("disconnect:io server disconnect"));
    assertEquals(List.of(), peers.get(2).until("disconnect:io server disconnect"));
    String after = cluster.marker(2);
    assertEquals(
        Map.of("a", List.of(), "d", List.of()),
        received(List.of(peers.get(0), peers.get(3)), after));
    assertTrue(peers.get(0).socket.connected());
    assertTrue(peers.get(3).socket.connected());
  }

  @Test
  void serverSideEmitReachesTheOtherNodesOfItsNamespace() throws Exception {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 3; i++) {
      String node = "n" + i;
      SocketIoServer io = cluster.io(i);
      io.on("sync", (args, ack) -> heard.add(node + ":" + args.json()));
      io.on("who", (args, ack) -> ack.send(node, "ignored"));
      io.of("/other").on("sync", (args, ack) -> heard.add(node + "/other"));
    }
    cluster.io(0).serverSideEmit("sync", 42, "x");
    // Answered once every node ran its listeners for the earlier event (one bus, in order).
    List<Arguments> answers = cluster.io(0).serverSideEmitWithAck("who").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("n1", "n2"), names(answers));
    synchronized (heard) {
      assertEquals(List.of("n1:[42,\"x\"]", "n2:[42,\"x\"]"), heard.stream().sorted().toList());
    }
    assertEquals(3, cluster.io(1).sockets().adapter().serverCount().get(10, TimeUnit.SECONDS));
  }

  @Test
  void allRoomsListsTheRoomsOfEveryNode() throws Exception {
    cluster = Cluster.of(3, Duration.ofSeconds(5));
    List<Peer> peers = fourPeers();
    Set<String> expected = new java.util.HashSet<>(Set.of("r1", "r2"));
    peers.forEach(p -> expected.add(p.id()));
    assertEquals(expected, cluster.io(0).sockets().adapter().allRooms().get(10, TimeUnit.SECONDS));
  }

  @Test
  void aNodeThatStopsAnsweringMakesRequestsFailInTime() throws Exception {
    cluster = Cluster.of(3, Duration.ofMillis(1500));
    List<Peer> peers = fourPeers();
    peers.forEach(p -> p.answers("who"));
    for (int i = 0; i < 3; i++) {
      String node = "n" + i;
      cluster.io(i).on("who", (args, ack) -> ack.send(node));
    }
    cluster.bus.deafen(cluster.io(2).serverId());

    ExecutionException fetch =
        assertThrows(
            ExecutionException.class,
            () ->
                cluster
                    .io(0)
                    .timeout(Duration.ofMillis(1000))
                    .fetchSockets()
                    .get(10, TimeUnit.SECONDS));
    // One exception hierarchy: the adapter's timeout is a SocketIoException.
    SocketIoException fetchError = assertInstanceOf(SocketIoException.class, fetch.getCause());
    assertInstanceOf(ClusterTimeoutException.class, fetchError);
    assertEquals("timeout reached: only 1 responses received out of 2", fetchError.getMessage());

    ExecutionException emit =
        assertThrows(
            ExecutionException.class,
            () -> cluster.io(0).serverSideEmitWithAck("who").get(10, TimeUnit.SECONDS));
    AckTimeoutException emitError = assertInstanceOf(AckTimeoutException.class, emit.getCause());
    assertEquals("timeout reached: only 1 responses received out of 2", emitError.getMessage());
    assertEquals(List.of("n1"), names(emitError.responses()));

    ExecutionException acks =
        assertThrows(
            ExecutionException.class,
            () ->
                cluster
                    .io(0)
                    .timeout(Duration.ofMillis(1000))
                    .emitWithAck("who")
                    .get(10, TimeUnit.SECONDS));
    AckTimeoutException ackError = assertInstanceOf(AckTimeoutException.class, acks.getCause());
    assertEquals(List.of("a", "b"), names(ackError.responses()));
    awaitCondition(() -> cluster.adapter(0).pendingRequests() == 0, "node 0 forgot its requests");
  }

  @Test
  void heartbeatAdaptersCountTheNodesAndForgetOneThatCloses() throws Exception {
    cluster =
        new Cluster(
            3,
            bus ->
                bus.heartbeatAdapters(
                    Duration.ofMillis(1500), Duration.ofMillis(200), Duration.ofSeconds(30)));
    for (int i = 0; i < 3; i++) {
      String node = "n" + i;
      cluster.io(i).on("who", (args, ack) -> ack.send(node));
    }
    for (int i = 0; i < 3; i++) {
      int n = i;
      awaitCondition(
          () -> cluster.io(n).sockets().adapter().serverCount().join() == 3, "3 nodes known");
    }
    List<Peer> peers = fourPeers();
    assertEquals(
        List.of("a", "b", "c", "d"), names(cluster.io(0).fetchSockets().get(10, TimeUnit.SECONDS)));
    assertEquals(
        List.of("n0", "n2"),
        names(cluster.io(1).serverSideEmitWithAck("who").get(10, TimeUnit.SECONDS)));

    // Deaf, node 2 still sends heartbeats: it counts, and is missing from every answer.
    cluster.bus.deafen(cluster.io(2).serverId());
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> cluster.io(0).serverSideEmitWithAck("who").get(10, TimeUnit.SECONDS));
    assertEquals("timeout reached: missing 1 responses", e.getCause().getMessage());
    assertEquals(List.of("n1"), names(((AckTimeoutException) e.getCause()).responses()));

    // Closed, it says so: a request waiting for it alone completes with what it has.
    CompletableFuture<List<Arguments>> pending = cluster.io(0).serverSideEmitWithAck("who");
    cluster.io(2).close().get(10, TimeUnit.SECONDS);
    assertEquals(List.of("n1"), names(pending.get(10, TimeUnit.SECONDS)));
    awaitCondition(
        () -> cluster.io(0).sockets().adapter().serverCount().join() == 2, "node 2 forgotten");
    assertEquals(List.of("a", "b"), names(cluster.io(0).fetchSockets().get(10, TimeUnit.SECONDS)));
    assertTrue(peers.size() == 4);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The first argument of each answer, as text, sorted. */
  private static List<String> names(List<?> answers) {
    return answers.stream()
        .map(
            o ->
                o instanceof Arguments a
                    ? a.json().get(0).asText()
                    : ((RemoteSocket) o).data().path("name").asText())
        .sorted()
        .collect(Collectors.toList());
  }

  private static void awaitCondition(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Cluster.WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + Cluster.WAIT + ": " + what);
      }
      try {
        Thread.sleep(10); // the polling interval of a bounded wait on a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
