package dev.sio4j.adapter;

import static dev.sio4j.adapter.ClusterAdapterTest.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sio4j.adapter.ClusterMessage.AdapterClose;
import dev.sio4j.adapter.ClusterMessage.Heartbeat;
import dev.sio4j.adapter.ClusterMessage.InitialHeartbeat;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmit;
import dev.sio4j.adapter.ClusterResponse.AckData;
import dev.sio4j.adapter.ClusterResponse.ServerSideEmitResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The heartbeat variant on one node: who counts as a node, and how requests end. */
@Timeout(20)
class ClusterAdapterWithHeartbeatTest {
  private static final String B = "bbbbbbbbbbbbbbbb";
  private static final String C = "cccccccccccccccc";

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final FakeHost host = new FakeHost("/", "aaaaaaaaaaaaaaaa", scheduler);
  private Recording adapter;

  @AfterEach
  void stop() {
    if (adapter != null) {
      adapter.close();
    }
    scheduler.shutdownNow();
  }

  private Recording start(Duration requests, Duration interval, Duration timeout) {
    adapter = new Recording(host, requests, interval, timeout);
    adapter.init();
    return adapter;
  }

  @Test
  void nodesAreCountedFromTheirMessagesEmittersNot() {
    start(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
    assertEquals(new InitialHeartbeat(host.serverId, "/"), adapter.published.get(0));
    adapter.receive(new InitialHeartbeat(B, "/"));
    assertEquals(new Heartbeat(host.serverId, "/"), adapter.published.get(1));
    adapter.receive(new Heartbeat(C, "/"));
    adapter.receive(new Heartbeat(ClusterMessage.EMITTER_UID, "/"));
    adapter.receive(new Heartbeat("dddddddddddddddd", "/elsewhere"));
    adapter.receive(new Heartbeat(host.serverId, "/"));
    assertEquals(3, adapter.serverCount().join());
    adapter.receive(new AdapterClose(C, "/"));
    assertEquals(2, adapter.serverCount().join());
  }

  @Test
  void anIdleNodePublishesHeartbeats() {
    start(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(10));
    await(() -> adapter.published.stream().filter(m -> m instanceof Heartbeat).count() >= 2);
  }

  @Test
  void aSilentNodeIsForgottenAfterTheHeartbeatTimeout() {
    start(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(300));
    adapter.receive(new Heartbeat(B, "/"));
    assertEquals(2, adapter.serverCount().join());
    await(() -> adapter.serverCount().join() == 1);
  }

  @Test
  void aRequestTimesOutWithTheNumberOfMissingNodes() {
    start(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(10));
    adapter.receive(new Heartbeat(B, "/"));
    adapter.receive(new Heartbeat(C, "/"));
    CompletableFuture<List<JsonNode>> f = adapter.serverSideEmitWithAck(args("ping"));
    String id = lastServerSideEmit().data().requestId().orElseThrow();
    adapter.receive(new ServerSideEmitResponse(B, "/", new AckData(id, TextNode.valueOf("b"))));
    // A second answer from the same node does not count for the missing one.
    adapter.receive(new ServerSideEmitResponse(B, "/", new AckData(id, TextNode.valueOf("b2"))));
    CompletionException e = assertThrows(CompletionException.class, f::join);
    ClusterTimeoutException t = assertInstanceOf(ClusterTimeoutException.class, e.getCause());
    assertEquals("timeout reached: missing 1 responses", t.getMessage());
    assertEquals(List.of(TextNode.valueOf("b")), t.responses());
  }

  @Test
  void aNodeThatClosesNoLongerHoldsUpARequest() {
    start(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(10));
    adapter.receive(new Heartbeat(B, "/"));
    adapter.receive(new Heartbeat(C, "/"));
    CompletableFuture<List<JsonNode>> f = adapter.serverSideEmitWithAck(args("ping"));
    String id = lastServerSideEmit().data().requestId().orElseThrow();
    adapter.receive(new ServerSideEmitResponse(B, "/", new AckData(id, TextNode.valueOf("b"))));
    assertFalse(f.isDone());
    adapter.receive(new AdapterClose(C, "/"));
    assertEquals(List.of(TextNode.valueOf("b")), f.join());
  }

  @Test
  void closeAnnouncesIt() {
    start(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
    adapter.close();
    assertEquals(new AdapterClose(host.serverId, "/"), adapter.published.get(1));
  }

  private ServerSideEmit lastServerSideEmit() {
    for (int i = adapter.published.size() - 1; i >= 0; i--) {
      if (adapter.published.get(i) instanceof ServerSideEmit s) {
        return s;
      }
    }
    throw new AssertionError("no SERVER_SIDE_EMIT in " + adapter.published);
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      try {
        Thread.sleep(10); // polling interval of a bounded wait on a condition
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  static final class Recording extends ClusterAdapterWithHeartbeat {
    final List<ClusterMessage> published = new CopyOnWriteArrayList<>();

    Recording(FakeHost host, Duration requests, Duration interval, Duration timeout) {
      super(host, requests, interval, timeout);
      host.adapter = this;
    }

    @Override
    protected CompletionStage<Void> publish(ClusterMessage message) {
      published.add(message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse r) {
      return CompletableFuture.completedFuture(null);
    }

    void receive(ClusterMessage message) {
      onMessage(message);
    }
  }
}
