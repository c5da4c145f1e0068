package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reconnection delay formula of the reference client (backo2), value for value. */
class BackoffTest {

  private static Backoff withRandoms(long min, long max, double jitter, Double... randoms) {
    ArrayDeque<Double> queue = new ArrayDeque<>(List.of(randoms));
    return new Backoff(min, max, jitter, queue::removeFirst);
  }

  @Test
  void withoutJitterDoublesFromMinUpToMax() {
    Backoff b = new Backoff(1000, 5000, 0);
    assertEquals(1000, b.duration());
    assertEquals(2000, b.duration());
    assertEquals(4000, b.duration());
    assertEquals(5000, b.duration());
    assertEquals(5000, b.duration());
    assertEquals(5, b.attempts());
  }

  @Test
  void evenTenthOfTheRandomSubtractsTheDeviation() {
    // r = 0.25: floor(2.5) = 2 is even -> ms - floor(0.25 * 0.5 * 1000) = 1000 - 125
    assertEquals(875, withRandoms(1000, 5000, 0.5, 0.25).duration());
  }

  @Test
  void oddTenthOfTheRandomAddsTheDeviation() {
    // r = 0.35: floor(3.5) = 3 is odd -> 1000 + floor(0.35 * 0.5 * 1000) = 1175
    assertEquals(1175, withRandoms(1000, 5000, 0.5, 0.35).duration());
    // second attempt: 2000 + floor(0.19 * 0.5 * 2000) = 2000 + 190 (floor(1.9) = 1 is odd)
    Backoff b = withRandoms(1000, 5000, 0.5, 0.0, 0.19);
    assertEquals(1000, b.duration());
    assertEquals(2190, b.duration());
  }

  @Test
  void jitteredValueIsStillCappedAtMax() {
    Backoff b = withRandoms(1000, 5000, 0.5, 0.9, 0.9, 0.9, 0.9);
    b.duration();
    b.duration();
    b.duration();
    // 8000 + 3600 capped at 5000.
    assertEquals(5000, b.duration());
  }

  @Test
  void jitterOutsideZeroToOneIsIgnored() {
    assertEquals(1000, withRandoms(1000, 5000, 1.5, 0.35).duration());
    assertEquals(1000, withRandoms(1000, 5000, -1, 0.35).duration());
  }

  @Test
  void resetStartsOver() {
    Backoff b = new Backoff(100, 10_000, 0);
    b.duration();
    b.duration();
    b.reset();
    assertEquals(0, b.attempts());
    assertEquals(100, b.duration());
  }

  @Test
  void hugeAttemptCountsStayAtMaxAndNaNBecomesZeroLikeJavaScript() {
    Backoff b = new Backoff(1000, 5000, 0);
    for (int i = 0; i < 2000; i++) {
      b.duration();
    }
    assertEquals(5000, b.duration());
    // Infinity * 0 random -> NaN in JS, and NaN | 0 is 0.
    Backoff j = new Backoff(1000, 5000, 0.5, () -> 0.0);
    for (int i = 0; i < 1100; i++) {
      j.duration();
    }
    assertEquals(0, j.duration());
  }

  @Test
  void resultIsTruncatedToAnInt32() {
    // min(ms, max) | 0 with max above 2^31 wraps as in JavaScript.
    Backoff b = new Backoff(3_000_000_000L, 4_000_000_000L, 0);
    assertEquals((int) 3_000_000_000L, b.duration());
  }
}
