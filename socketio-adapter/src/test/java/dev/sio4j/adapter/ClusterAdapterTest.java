package dev.sio4j.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterMessage.BroadcastData;
import dev.sio4j.adapter.ClusterMessage.FetchSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSocketsData;
import dev.sio4j.adapter.ClusterMessage.RoomsData;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmit;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmitData;
import dev.sio4j.adapter.ClusterMessage.SocketsJoin;
import dev.sio4j.adapter.ClusterResponse.AckData;
import dev.sio4j.adapter.ClusterResponse.BroadcastAck;
import dev.sio4j.adapter.ClusterResponse.BroadcastClientCount;
import dev.sio4j.adapter.ClusterResponse.ClientCountData;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponse;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponseData;
import dev.sio4j.adapter.ClusterResponse.ServerSideEmitResponse;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of {@link ClusterAdapter} on one node, with a fake bus: what it publishes, what it does
 * with what it receives, how its requests end.
 */
@Timeout(20)
class ClusterAdapterTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final FakeHost host = new FakeHost("/", "aaaaaaaaaaaaaaaa", scheduler);
  private final Recording adapter = new Recording(host, SHORT);

  @AfterEach
  void stop() {
    adapter.close();
    scheduler.shutdownNow();
  }

  @Test
  void ownMessagesAndOtherNamespacesAreIgnored() {
    FakeHost.FakeSocket s = host.connect("s1");
    adapter.receive(broadcast(host.serverId, "/", "mine"));
    adapter.receive(broadcast("bbbbbbbbbbbbbbbb", "/other", "other-nsp"));
    adapter.receive(broadcast("bbbbbbbbbbbbbbbb", "/", "theirs"));
    assertEquals(List.of("theirs"), s.events());
  }

  @Test
  void operationsArePublishedUnlessLocalAndAlwaysDoneHere() {
    FakeHost.FakeSocket s = host.connect("s1", "r");
    BroadcastOptions toR = new BroadcastOptions(Set.of("r"), Set.of("x"), BroadcastFlags.DEFAULT);
    adapter.broadcast(event("hello"), toR);
    adapter.broadcast(event("local"), toR.withFlags(BroadcastFlags.DEFAULT.withLocal(true)));
    adapter.addSockets(toR, Set.of("joined"));
    assertEquals(List.of("hello", "local"), s.events());
    assertTrue(host.adapter.socketRooms("s1").orElseThrow().contains("joined"));

    assertEquals(2, adapter.published.size());
    Broadcast b = (Broadcast) adapter.published.get(0);
    assertEquals(host.serverId, b.uid());
    assertEquals("/", b.nsp());
    assertEquals(MessageType.BROADCAST, b.type());
    assertEquals(new BroadcastData(toR, event("hello"), Optional.empty()), b.data());
    assertEquals(
        new SocketsJoin(host.serverId, "/", new RoomsData(toR, List.of("joined"))),
        adapter.published.get(1));
  }

  @Test
  void aBroadcastWithAckFromAnotherNodeIsAnsweredWithTheClientCountThenEachAck() {
    FakeHost.FakeSocket a = host.connect("a");
    FakeHost.FakeSocket b = host.connect("b");
    SioPacket theirs = SioPacket.event("/", args("q"), 4242);
    adapter.receive(
        new Broadcast(
            "bbbbbbbbbbbbbbbb",
            "/",
            new BroadcastData(BroadcastOptions.ALL, theirs, Optional.of("req1"))));
    // Delivered with an ack id of this node, not the sender's.
    long ackId = a.packets.get(0).ackId();
    assertEquals(100, ackId);
    assertEquals(ackId, b.packets.get(0).ackId());
    a.answer(ackId, "from-a");
    b.answer(ackId, "from-b");
    assertEquals(
        List.of(
            new Sent(
                "bbbbbbbbbbbbbbbb",
                new BroadcastClientCount(host.serverId, "/", new ClientCountData("req1", 2))),
            new Sent(
                "bbbbbbbbbbbbbbbb",
                new BroadcastAck(host.serverId, "/", new AckData("req1", text("from-a")))),
            new Sent(
                "bbbbbbbbbbbbbbbb",
                new BroadcastAck(host.serverId, "/", new AckData("req1", text("from-b"))))),
        adapter.responses);
  }

  @Test
  void broadcastAckBookkeepingIsDroppedAfterTheTimeout() {
    List<String> acks = new CopyOnWriteArrayList<>();
    List<Integer> counts = new CopyOnWriteArrayList<>();
    BroadcastOptions options =
        BroadcastOptions.ALL.withFlags(BroadcastFlags.DEFAULT.withTimeout(SHORT));
    adapter.broadcastWithAck(
        SioPacket.event("/", args("q"), 1), options, counts::add, a -> acks.add(a.asText()));
    String requestId = ((Broadcast) adapter.published.get(0)).data().requestId().orElseThrow();
    adapter.receive(
        new BroadcastClientCount("bbbbbbbbbbbbbbbb", "/", new ClientCountData(requestId, 1)));
    adapter.receive(new BroadcastAck("bbbbbbbbbbbbbbbb", "/", new AckData(requestId, text("1"))));
    assertEquals(List.of(0, 1), counts);
    assertEquals(List.of("1"), acks);
    assertEquals(1, adapter.pendingRequests());
    awaitNoPendingRequest(adapter);
    adapter.receive(new BroadcastAck("bbbbbbbbbbbbbbbb", "/", new AckData(requestId, text("2"))));
    assertEquals(List.of("1"), acks);
  }

  @Test
  void fetchSocketsCollectsEveryNodeLocalFirst() {
    adapter.servers = 3;
    host.connect("mine", "r");
    CompletableFuture<List<SocketDetails>> f =
        adapter.fetchSockets(new BroadcastOptions(Set.of("r"), Set.of(), BroadcastFlags.DEFAULT));
    FetchSockets request = (FetchSockets) adapter.published.get(0);
    String id = request.data().requestId();
    adapter.receive(fetchResponse("bbbbbbbbbbbbbbbb", id, "theirs"));
    assertTrue(!f.isDone());
    adapter.receive(fetchResponse("cccccccccccccccc", id, "others"));
    List<String> ids = new ArrayList<>();
    f.join().forEach(d -> ids.add(d.id()));
    assertEquals(List.of("mine", "theirs", "others"), ids);
  }

  @Test
  void fetchSocketsFailsWithTheReferenceMessageWhenANodeIsSilent() {
    adapter.servers = 3;
    CompletableFuture<List<SocketDetails>> f =
        adapter.fetchSockets(
            BroadcastOptions.ALL.withFlags(
                BroadcastFlags.DEFAULT.withTimeout(Duration.ofMillis(200))));
    String id = ((FetchSockets) adapter.published.get(0)).data().requestId();
    adapter.receive(fetchResponse("bbbbbbbbbbbbbbbb", id, "theirs"));
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertInstanceOf(ClusterTimeoutException.class, e.getCause());
    assertEquals("timeout reached: only 1 responses received out of 2", e.getCause().getMessage());
    assertEquals(0, adapter.pendingRequests());
  }

  @Test
  void aSingleNodeAnswersAtOnce() {
    host.connect("mine");
    assertEquals(1, adapter.fetchSockets(BroadcastOptions.ALL).join().size());
    assertEquals(List.of(), adapter.serverSideEmitWithAck(args("ping")).join());
    // Nobody to ask: nothing published.
    assertEquals(0, adapter.published.size());
  }

  @Test
  void serverSideEmitWithAckTimesOutWithThePartialAnswers() {
    adapter.servers = 3;
    CompletableFuture<List<JsonNode>> f = adapter.serverSideEmitWithAck(args("ping"));
    ServerSideEmit request = (ServerSideEmit) adapter.published.get(0);
    String id = request.data().requestId().orElseThrow();
    assertEquals("[\"ping\"]", request.data().packet().toString());
    adapter.receive(
        new ServerSideEmitResponse("bbbbbbbbbbbbbbbb", "/", new AckData(id, text("pong"))));
    CompletionException e = assertThrows(CompletionException.class, f::join);
    ClusterTimeoutException t = assertInstanceOf(ClusterTimeoutException.class, e.getCause());
    assertEquals("timeout reached: only 1 responses received out of 2", t.getMessage());
    assertEquals(List.of(text("pong")), t.responses());
  }

  @Test
  void serverSideEmitFromAnotherNodeIsAnsweredOnce() {
    host.serverSideAnswers = List.of("first", "second");
    adapter.receive(
        new ServerSideEmit(
            "bbbbbbbbbbbbbbbb", "/", new ServerSideEmitData(Optional.of("r9"), args("ping"))));
    adapter.receive(
        new ServerSideEmit(
            "bbbbbbbbbbbbbbbb", "/", new ServerSideEmitData(Optional.empty(), args("note"))));
    assertEquals(List.of("[\"ping\"]+ack", "[\"note\"]"), host.serverSideEvents);
    assertEquals(
        List.of(
            new Sent(
                "bbbbbbbbbbbbbbbb",
                new ServerSideEmitResponse(host.serverId, "/", new AckData("r9", text("first"))))),
        adapter.responses);
  }

  @Test
  void aFetchFromAnotherNodeIsAnsweredWithTheLocalSockets() {
    host.connect("a", "r");
    host.connect("b");
    adapter.receive(
        new FetchSockets(
            "bbbbbbbbbbbbbbbb",
            "/",
            new FetchSocketsData(
                new BroadcastOptions(Set.of("r"), Set.of(), BroadcastFlags.DEFAULT), "f1")));
    assertEquals(1, adapter.responses.size());
    Sent sent = adapter.responses.get(0);
    assertEquals("bbbbbbbbbbbbbbbb", sent.to());
    FetchSocketsResponse r = (FetchSocketsResponse) sent.response();
    assertEquals("f1", r.requestId());
    assertEquals(1, r.data().sockets().size());
    assertEquals("a", r.data().sockets().get(0).id());
    assertEquals(Set.of("a", "r"), r.data().sockets().get(0).rooms());
  }

  @Test
  void closeFailsPendingRequests() {
    adapter.servers = 2;
    CompletableFuture<List<JsonNode>> f = adapter.serverSideEmitWithAck(args("ping"));
    adapter.close();
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void aFailedPublishFailsTheRequestAtOnce() {
    adapter.servers = 2;
    adapter.failPublish = true;
    CompletableFuture<List<SocketDetails>> f = adapter.fetchSockets(BroadcastOptions.ALL);
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    assertEquals("bus down", e.getCause().getMessage());
  }

  // ---- helpers -------------------------------------------------------------------------------

  static void awaitNoPendingRequest(ClusterAdapter adapter) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (adapter.pendingRequests() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still pending: " + adapter.pendingRequests());
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  record Sent(String to, ClusterResponse response) {}

  static final class Recording extends ClusterAdapter {
    final List<ClusterMessage> published = new CopyOnWriteArrayList<>();
    final List<Sent> responses = Collections.synchronizedList(new ArrayList<>());
    volatile int servers = 1;
    volatile boolean failPublish;

    Recording(FakeHost host, Duration requestsTimeout) {
      super(host, requestsTimeout);
      host.adapter = this;
    }

    @Override
    protected CompletionStage<Void> publish(ClusterMessage message) {
      if (failPublish) {
        return CompletableFuture.failedFuture(new IllegalStateException("bus down"));
      }
      published.add(message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse r) {
      responses.add(new Sent(requesterUid, r));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
      return CompletableFuture.completedFuture(servers);
    }

    void receive(ClusterMessage message) {
      onMessage(message);
    }
  }

  private static FetchSocketsResponse fetchResponse(String from, String requestId, String id) {
    SocketDetails d =
        new SocketDetails(
            id,
            JsonNodeFactory.instance.objectNode(),
            Set.of(id),
            JsonNodeFactory.instance.nullNode());
    return new FetchSocketsResponse(from, "/", new FetchSocketsResponseData(requestId, List.of(d)));
  }

  private static Broadcast broadcast(String uid, String nsp, String event) {
    return new Broadcast(
        uid,
        nsp,
        new BroadcastData(
            BroadcastOptions.ALL, SioPacket.event(nsp, args(event)), Optional.empty()));
  }

  private static SioPacket event(String name) {
    return SioPacket.event("/", args(name));
  }

  static ArrayNode args(String event) {
    return JsonNodeFactory.instance.arrayNode().add(event);
  }

  private static JsonNode text(String s) {
    return TextNode.valueOf(s);
  }
}
