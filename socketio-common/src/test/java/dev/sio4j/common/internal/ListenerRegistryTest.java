package dev.sio4j.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AckEventListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.EventListener;
import dev.sio4j.common.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ListenerRegistryTest {
  private static final Arguments ARGS = Arguments.of(new ObjectMapper(), "x");

  /** What a socket does: every listener of the event, in order. */
  private static void dispatch(ListenerRegistry registry, String event, Ack ack) {
    Listeners<AckEventListener> list = registry.listeners(event);
    if (list != null) {
      for (AckEventListener l : list) {
        l.onEvent(ARGS, ack);
      }
    }
  }

  @Test
  void bothLambdaShapesAreListeners() {
    ListenerRegistry r = new ListenerRegistry();
    List<String> seen = new ArrayList<>();
    r.on("e", args -> seen.add("plain:" + args.string(0)));
    r.on("e", (args, ack) -> seen.add("ack:" + ack.requested()));
    dispatch(r, "e", Ack.NONE);
    assertEquals(List.of("plain:x", "ack:false"), seen);
  }

  @Test
  void onceIsCalledOnceAndThenGone() {
    ListenerRegistry r = new ListenerRegistry();
    List<String> seen = new ArrayList<>();
    r.once("e", args -> seen.add("once"));
    r.once("e", (args, ack) -> seen.add("once-ack"));
    r.on("e", args -> seen.add("on"));
    dispatch(r, "e", Ack.NONE);
    dispatch(r, "e", Ack.NONE);
    assertEquals(List.of("once", "once-ack", "on", "on"), seen);
  }

  @Test
  void anEventWithoutListenersLeavesNoEntry() {
    ListenerRegistry r = new ListenerRegistry();
    r.once("e", args -> {});
    assertTrue(r.hasListeners("e"));
    dispatch(r, "e", Ack.NONE);
    assertFalse(r.hasListeners("e"), "once per request must not grow the map");
    assertNull(r.listeners("e"));
  }

  @Test
  void offRemovesTheUsersObjectWhateverItWasWrappedIn() {
    ListenerRegistry r = new ListenerRegistry();
    List<String> seen = new ArrayList<>();
    EventListener plain = args -> seen.add("plain");
    EventListener once = args -> seen.add("once");
    AckEventListener withAck = (args, ack) -> seen.add("ack");
    r.on("e", plain);
    r.once("e", once);
    r.on("e", withAck);
    assertTrue(r.off("e", plain));
    assertTrue(r.off("e", once));
    assertFalse(r.off("e", plain), "only one registration was made");
    dispatch(r, "e", Ack.NONE);
    assertEquals(List.of("ack"), seen);
    r.off("e");
    assertFalse(r.hasListeners("e"));
  }

  @Test
  void aSubscriptionRemovesExactlyItsRegistration() {
    ListenerRegistry r = new ListenerRegistry();
    List<String> seen = new ArrayList<>();
    EventListener l = args -> seen.add("l");
    Subscription first = r.on("e", l);
    r.on("e", l);
    Subscription once = r.once("e", args -> seen.add("once"));
    first.cancel();
    first.cancel();
    once.cancel();
    dispatch(r, "e", Ack.NONE);
    assertEquals(List.of("l"), seen);
  }

  @Test
  void catchAllListsAreSeparate() {
    ListenerRegistry r = new ListenerRegistry();
    r.any().add((event, args) -> {});
    assertEquals(1, r.any().size());
    assertTrue(r.anyOutgoing().isEmpty());
    r.offAll();
    assertEquals(1, r.any().size(), "offAll removes event listeners only");
  }

  @Test
  void aRegistrationRacingWithTheLastRemovalIsKept() throws Exception {
    ListenerRegistry r = new ListenerRegistry();
    int rounds = 2000;
    CountDownLatch start = new CountDownLatch(1);
    List<EventListener> kept = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      kept.add(args -> {});
    }
    Thread adder =
        new Thread(
            () -> {
              await(start);
              kept.forEach(l -> r.on("e", l));
            });
    Thread churn =
        new Thread(
            () -> {
              await(start);
              for (int i = 0; i < rounds; i++) {
                EventListener temp = args -> {};
                r.on("e", temp);
                r.off("e", temp);
              }
            });
    adder.start();
    churn.start();
    start.countDown();
    adder.join(10_000);
    churn.join(10_000);
    assertEquals(rounds, r.listeners("e").size());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
