package dev.sio4j.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryAdapterTest {
  /** Records the periodic tasks it is given. */
  private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    final List<String> periodic = new ArrayList<>();
    final List<ScheduledFuture<?>> futures = new ArrayList<>();

    RecordingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      periodic.add(unit.toSeconds(initialDelay) + "s/" + unit.toSeconds(delay) + "s");
      ScheduledFuture<?> f = super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
      futures.add(f);
      return f;
    }
  }

  private final RecordingScheduler scheduler = new RecordingScheduler();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void withRecoveryExpiredSessionsArePurgedEveryMinuteUntilClosed() {
    FakeHost host = new FakeHost("/", "aaaaaaaaaaaaaaaa", scheduler);
    InMemoryAdapter adapter = new InMemoryAdapter(host, Duration.ofMinutes(2), 100);
    host.adapter = adapter;
    adapter.init();
    assertEquals(List.of("60s/60s"), scheduler.periodic);
    assertTrue(adapter.sessionStore().isPresent());
    adapter.close();
    assertTrue(scheduler.futures.get(0).isCancelled());
  }

  @Test
  void withoutRecoveryNoTimerAndNoStore() {
    FakeHost host = new FakeHost("/", "aaaaaaaaaaaaaaaa", scheduler);
    InMemoryAdapter adapter = new InMemoryAdapter(host);
    host.adapter = adapter;
    adapter.init();
    assertEquals(List.of(), scheduler.periodic);
    assertTrue(adapter.sessionStore().isEmpty());
  }

  @Test
  void aBroadcastReachesTheTargetedConnectedSocketsOnce() {
    FakeHost host = new FakeHost("/", "aaaaaaaaaaaaaaaa", scheduler);
    InMemoryAdapter adapter = new InMemoryAdapter(host);
    host.adapter = adapter;
    FakeHost.FakeSocket a = host.connect("a", "r1", "r2");
    FakeHost.FakeSocket b = host.connect("b", "r2");
    FakeHost.FakeSocket c = host.connect("c");
    // In a room but not (or no longer) connected: skipped.
    adapter.addAll("ghost", Set.of("r1"));
    adapter.broadcast(
        SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("e")),
        new BroadcastOptions(Set.of("r1", "r2"), Set.of("c"), BroadcastFlags.DEFAULT));
    assertEquals(List.of("e"), a.events());
    assertEquals(List.of("e"), b.events());
    assertEquals(List.of(), c.events());
    assertEquals(Set.of("a", "b"), adapter.sockets(Set.of("r1", "r2")));
    assertEquals(1, adapter.serverCount().join());
    assertEquals(adapter.rooms(), adapter.allRooms().join());
  }
}
