package dev.sio4j.engineio.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for tests: the result of a future, or a condition that has no event to await (a
 * request parked on the server, a socket that left a room on its event loop).
 *
 * <p>Every wait has a timeout ({@link #WAIT} unless told); a failed wait is an {@link
 * AssertionError}.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class Await {
  /** The timeout of the waits that take none, and the bound of the wire clients' waits. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  /** How often {@link #until} checks its condition. */
  private static final long POLL_MILLIS = 5;

  private Await() {}

  /** The result of {@code future} within {@link #WAIT}. */
  public static <T> T join(CompletableFuture<T> future) {
    return join(future, WAIT);
  }

  /**
   * The result of {@code future} within {@code timeout}.
   *
   * @throws AssertionError if it fails (the failure is the cause) or is not done in time
   */
  public static <T> T join(CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + timeout, e);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  /** Waits until {@code condition} holds, up to {@link #WAIT}. */
  public static void until(BooleanSupplier condition, String what) {
    until(condition, WAIT, what);
  }

  /**
   * Waits until {@code condition} holds, checking it every few milliseconds, up to {@code timeout}.
   * Only for state that reports no event: where there is one, await the event.
   *
   * @param what what the condition means, for the failure message ("the GET is parked")
   * @throws AssertionError if it does not hold within {@code timeout}
   */
  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    Objects.requireNonNull(condition, "condition");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }
}
