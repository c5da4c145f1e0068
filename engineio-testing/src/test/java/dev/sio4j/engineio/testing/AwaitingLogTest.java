package dev.sio4j.engineio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AwaitingLogTest {
  private static final Duration SHORT = Duration.ofMillis(100);
  private static final Duration LONG = Duration.ofSeconds(10);

  @Test
  void awaitTakesTheFirstMatchNotTakenAndLeavesTheOthers() {
    AwaitingLog<String> log = new AwaitingLog<>();
    log.add("a1");
    log.add("b1");
    log.add("a2");
    assertEquals("a1", log.await(s -> s.startsWith("a"), SHORT, "a"));
    assertEquals("a2", log.await(s -> s.startsWith("a"), SHORT, "a"));
    assertEquals("b1", log.await(s -> s.startsWith("b"), SHORT, "b"));
    assertEquals(List.of("a1", "b1", "a2"), log.entries());
  }

  @Test
  void awaitWaitsForAnEntryAddedLaterFromAnotherThread() {
    AwaitingLog<String> log = new AwaitingLog<>();
    CompletableFuture.runAsync(
        () -> {
          Await.until(() -> true, "now");
          log.add("late");
        });
    assertEquals("late", log.await("late"::equals, LONG, "late"));
  }

  @Test
  void aTimeoutNamesWhatWasAwaitedAndWhatWasRecorded() {
    AwaitingLog<String> log = new AwaitingLog<>();
    log.add("other");
    AssertionError e =
        assertThrows(AssertionError.class, () -> log.await("news"::equals, SHORT, "news"));
    assertEquals("no news within PT0.1S; recorded [other]", e.getMessage());
  }

  @Test
  void aFailureShowsOnlyTheLastEntries() {
    AwaitingLog<Integer> log = new AwaitingLog<>();
    for (int i = 0; i < 25; i++) {
      log.add(i);
    }
    AssertionError e = assertThrows(AssertionError.class, () -> log.await(i -> i < 0, SHORT, "x"));
    assertTrue(e.getMessage().contains("(5 earlier entries not shown) [5, 6,"), e.getMessage());
  }

  @Test
  void awaitCountTakesAllOrNone() {
    AwaitingLog<String> log = new AwaitingLog<>();
    log.add("e");
    AssertionError e =
        assertThrows(AssertionError.class, () -> log.awaitCount("e"::equals, 2, SHORT, "e"));
    assertEquals("only 1 of 2 e within PT0.1S; recorded [e]", e.getMessage());
    log.add("e");
    assertEquals(List.of("e", "e"), log.awaitCount("e"::equals, 2, SHORT, "e"));
    assertEquals(Optional.empty(), log.poll("e"::equals));
  }

  @Test
  void awaitSeenDoesNotTake() {
    AwaitingLog<String> log = new AwaitingLog<>();
    log.add("closed");
    assertEquals("closed", log.awaitSeen("closed"::equals, SHORT, "close"));
    assertEquals("closed", log.await("closed"::equals, SHORT, "close"));
    // Taken, still seen.
    assertEquals("closed", log.awaitSeen("closed"::equals, SHORT, "close"));
    assertTrue(log.contains("closed"::equals));
  }

  @Test
  void awaitThroughTakesEverythingUpToTheMatch() {
    AwaitingLog<String> log = new AwaitingLog<>();
    log.add("a");
    log.add("b");
    log.add("mark");
    log.add("c");
    assertEquals("a", log.await("a"::equals, SHORT, "a"));
    assertEquals(List.of("b", "mark"), log.awaitThrough("mark"::equals, SHORT, "mark"));
    assertThrows(AssertionError.class, () -> log.awaitThrough("mark"::equals, SHORT, "mark"));
    assertEquals(List.of("c"), log.awaitThrough("c"::equals, SHORT, "c"));
  }

  @Test
  void assertNoneFailsAsSoonAsAMatchComes() {
    AwaitingLog<String> log = new AwaitingLog<>();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Void> adder =
        CompletableFuture.runAsync(
            () -> {
              try {
                waiting.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              log.add("x");
            });
    long start = System.nanoTime();
    waiting.countDown();
    AssertionError e =
        assertThrows(AssertionError.class, () -> log.assertNone("x"::equals, LONG, "x"));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    assertEquals("unexpected x: x; recorded [x]", e.getMessage());
    Await.join(adder);
  }

  @Test
  void assertNoneIgnoresTakenEntries() {
    AwaitingLog<String> log = new AwaitingLog<>();
    log.add("x");
    log.await("x"::equals, SHORT, "x");
    log.assertNone("x"::equals, Duration.ofMillis(20), "x");
  }

  @Test
  void aFullLogDropsAndFailsAtOnceInsteadOfWaiting() {
    AwaitingLog<String> log = new AwaitingLog<>(2);
    assertTrue(log.add("a"));
    assertTrue(log.add("b"));
    assertFalse(log.add("c"));
    assertEquals(1, log.dropped());
    assertEquals(2, log.size());
    long start = System.nanoTime();
    AssertionError e = assertThrows(AssertionError.class, () -> log.await("c"::equals, LONG, "c"));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    assertTrue(e.getMessage().contains("the log is full (capacity 2, 1 dropped)"), e.getMessage());
    // What was kept is still there.
    assertEquals("a", log.await("a"::equals, SHORT, "a"));
    assertThrows(AssertionError.class, () -> log.assertNone("z"::equals, SHORT, "z"));
  }

  @Test
  void everyEntryAddedConcurrentlyIsTakenExactlyOnce() throws Exception {
    AwaitingLog<Integer> log = new AwaitingLog<>();
    int threads = 8;
    int each = 500;
    List<Thread> adders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  log.add(base + i);
                }
              });
      adders.add(thread);
      thread.start();
    }
    List<CompletableFuture<List<Integer>>> takers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      takers.add(
          CompletableFuture.supplyAsync(
              () -> log.awaitCount(i -> true, threads * each / 4, LONG, "entries")));
    }
    HashSet<Integer> seen = new HashSet<>();
    for (CompletableFuture<List<Integer>> f : takers) {
      for (int i : Await.join(f, LONG)) {
        assertTrue(seen.add(i), "taken twice: " + i);
      }
    }
    for (Thread thread : adders) {
      thread.join(10_000);
    }
    assertEquals(threads * each, seen.size());
  }

  @Test
  void argumentsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new AwaitingLog<>(0));
    AwaitingLog<String> log = new AwaitingLog<>();
    assertThrows(NullPointerException.class, () -> log.add(null));
    assertThrows(
        IllegalArgumentException.class, () -> log.await(s -> true, Duration.ofMillis(-1), "x"));
    assertThrows(IllegalArgumentException.class, () -> log.awaitCount(s -> true, 0, SHORT, "x"));
  }
}
