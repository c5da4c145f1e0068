package dev.sio4j.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterMessage.BroadcastData;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The offset hook of {@link ClusterAdapter} (connection state recovery over a bus that numbers its
 * messages, as a Redis stream does): which broadcasts get an offset, when the local sockets get
 * them, and that nothing changes without recovery or without offsets.
 */
@Timeout(20)
class ClusterAdapterOffsetTest {
  private static final String OTHER = "bbbbbbbbbbbbbbbb";

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final FakeHost host = new FakeHost("/", "aaaaaaaaaaaaaaaa", scheduler);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void withRecoveryAnOwnBroadcastEventReachesLocalSocketsWithTheBusOffsetOnceItIsKnown() {
    host.recovery = Optional.of(Duration.ofMinutes(2));
    OffsetBus adapter = new OffsetBus(host, Duration.ofSeconds(5));
    FakeHost.FakeSocket s = host.connect("s1");
    CompletableFuture<Optional<String>> offset = new CompletableFuture<>();
    adapter.nextOffset = offset;

    adapter.broadcast(event("hello", 1), BroadcastOptions.ALL);
    assertEquals(List.of(), args(s), "delivered before the bus gave the offset");
    assertEquals(1, adapter.withOffset.size());
    assertEquals(List.of(), adapter.published, "published twice");

    offset.complete(Optional.of("1700000000000-0"));
    assertEquals(List.of("[\"hello\",1,\"1700000000000-0\"]"), args(s));
    assertEquals(List.of(Optional.of("1700000000000-0")), adapter.localOffsets);
    // The message on the bus carries the event as it was emitted, without the offset.
    Broadcast sent = (Broadcast) adapter.withOffset.get(0);
    assertEquals("[\"hello\",1]", sent.data().packet().data().orElseThrow().toString());
  }

  @Test
  void eventsWithAckVolatileOrLocalGetNoOffsetAndGoOutAtOnce() {
    host.recovery = Optional.of(Duration.ofMinutes(2));
    OffsetBus adapter = new OffsetBus(host, Duration.ofSeconds(5));
    FakeHost.FakeSocket s = host.connect("s1");
    adapter.nextOffset = new CompletableFuture<>(); // never completes: must not be used

    adapter.broadcast(
        event("volatile", 1),
        BroadcastOptions.ALL.withFlags(BroadcastFlags.DEFAULT.withVolatile(true)));
    adapter.broadcast(
        event("local", 1), BroadcastOptions.ALL.withFlags(BroadcastFlags.DEFAULT.withLocal(true)));
    adapter.broadcastWithAck(
        SioPacket.event("/", array("acked"), 7), BroadcastOptions.ALL, n -> {}, a -> {});
    assertEquals(List.of("[\"volatile\",1]", "[\"local\",1]", "[\"acked\"]"), args(s));
    assertEquals(List.of(), adapter.withOffset);
    assertEquals(2, adapter.published.size());
  }

  @Test
  void aBusThatFailsOrGivesNoOffsetStillDeliversLocallyWithoutOne() {
    host.recovery = Optional.of(Duration.ofMinutes(2));
    OffsetBus adapter = new OffsetBus(host, Duration.ofSeconds(5));
    FakeHost.FakeSocket s = host.connect("s1");

    adapter.nextOffset = CompletableFuture.failedFuture(new IllegalStateException("bus down"));
    adapter.broadcast(event("failed", 1), BroadcastOptions.ALL);
    adapter.nextOffset = CompletableFuture.completedFuture(Optional.empty());
    adapter.broadcast(event("no-offset", 1), BroadcastOptions.ALL);
    assertEquals(List.of("[\"failed\",1]", "[\"no-offset\",1]"), args(s));
  }

  @Test
  void aBusThatNeverAnswersDeliversLocallyAfterTheRequestsTimeout() throws Exception {
    host.recovery = Optional.of(Duration.ofMinutes(2));
    OffsetBus adapter = new OffsetBus(host, Duration.ofMillis(200));
    FakeHost.FakeSocket s = host.connect("s1");
    adapter.nextOffset = new CompletableFuture<>();
    adapter.broadcast(event("late", 1), BroadcastOptions.ALL);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (args(s).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of("[\"late\",1]"), args(s));
  }

  @Test
  void aReceivedBroadcastGetsTheOffsetItCameWithOnlyWithRecovery() {
    host.recovery = Optional.of(Duration.ofMinutes(2));
    OffsetBus adapter = new OffsetBus(host, Duration.ofSeconds(5));
    FakeHost.FakeSocket s = host.connect("s1");
    adapter.inbound(theirs("a", false), "1-1");
    adapter.inbound(theirs("vol", true), "1-2");
    adapter.inbound(theirs("plain", false), null);
    assertEquals(List.of("[\"a\",\"1-1\"]", "[\"vol\"]", "[\"plain\"]"), args(s));
    assertEquals(
        List.of(Optional.of("1-1"), Optional.empty(), Optional.empty()), adapter.localOffsets);
  }

  @Test
  void withoutRecoveryNothingChanges() {
    OffsetBus adapter = new OffsetBus(host, Duration.ofSeconds(5));
    FakeHost.FakeSocket s = host.connect("s1");
    adapter.nextOffset = new CompletableFuture<>(); // never completes: must not be used
    adapter.broadcast(event("mine", 1), BroadcastOptions.ALL);
    adapter.inbound(theirs("theirs", false), "1-1");
    assertEquals(List.of("[\"mine\",1]", "[\"theirs\"]"), args(s));
    assertEquals(1, adapter.published.size());
    assertEquals(List.of(), adapter.withOffset);
  }

  @Test
  void aBusWithoutOffsetsIsPublishedAsBeforeUnderRecovery() {
    host.recovery = Optional.of(Duration.ofMinutes(2));
    ClusterAdapterTest.Recording adapter =
        new ClusterAdapterTest.Recording(host, Duration.ofSeconds(5));
    FakeHost.FakeSocket s = host.connect("s1", "r");
    adapter.broadcast(
        event("x", 2), new BroadcastOptions(Set.of("r"), Set.of(), BroadcastFlags.DEFAULT));
    assertEquals(List.of("[\"x\",2]"), args(s));
    assertEquals(1, adapter.published.size());
    assertTrue(adapter.published.get(0) instanceof Broadcast);
  }

  private static Broadcast theirs(String name, boolean isVolatile) {
    BroadcastOptions options =
        isVolatile
            ? BroadcastOptions.ALL.withFlags(BroadcastFlags.DEFAULT.withVolatile(true))
            : BroadcastOptions.ALL;
    return new Broadcast(
        OTHER,
        "/",
        new BroadcastData(options, SioPacket.event("/", array(name)), Optional.empty()));
  }

  private static SioPacket event(String name, int arg) {
    return SioPacket.event("/", array(name).add(arg));
  }

  private static ArrayNode array(String name) {
    return JsonNodeFactory.instance.arrayNode().add(name);
  }

  private static List<String> args(FakeHost.FakeSocket s) {
    synchronized (s) {
      List<String> out = new ArrayList<>();
      s.packets.forEach(p -> out.add(p.data().orElseThrow().toString()));
      return out;
    }
  }

  /** A bus that numbers its messages: the offset of the next one is set by the test. */
  static final class OffsetBus extends ClusterAdapter {
    final List<ClusterMessage> published = new CopyOnWriteArrayList<>();
    final List<ClusterMessage> withOffset = new CopyOnWriteArrayList<>();
    final List<Optional<String>> localOffsets = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<Optional<String>> nextOffset =
        CompletableFuture.completedFuture(Optional.empty());

    OffsetBus(FakeHost host, Duration requestsTimeout) {
      super(host, requestsTimeout);
      host.adapter = this;
    }

    @Override
    protected CompletionStage<Void> publish(ClusterMessage message) {
      published.add(message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    protected CompletionStage<Optional<String>> publishAndReturnOffset(ClusterMessage message) {
      withOffset.add(message);
      return nextOffset;
    }

    @Override
    protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse r) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    protected void broadcastLocally(
        SioPacket packet, BroadcastOptions options, Optional<String> offset) {
      localOffsets.add(offset);
      super.broadcastLocally(packet, options, offset);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
      return CompletableFuture.completedFuture(1);
    }

    void inbound(ClusterMessage message, String offset) {
      if (offset == null) {
        onMessage(message);
      } else {
        onMessage(message, offset);
      }
    }
  }
}
