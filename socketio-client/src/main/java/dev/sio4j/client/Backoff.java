package dev.sio4j.client;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnection delays as the reference client computes them: {@code min * 2^attempts}, randomised
 * by {@code jitter}, capped at {@code max}, truncated to a 32-bit integer like JavaScript's {@code
 * | 0}.
 *
 * <p>Thread-safety: not thread-safe; confined to the client's event loop.
 */
final class Backoff {
  private final long min;
  private final long max;
  private final double jitter;
  private final DoubleSupplier random;
  private int attempts;

  Backoff(long min, long max, double jitter) {
    this(min, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
  }

  Backoff(long min, long max, double jitter, DoubleSupplier random) {
    this.min = min;
    this.max = max;
    this.jitter = jitter > 0 && jitter <= 1 ? jitter : 0;
    this.random = random;
  }

  /** The next delay in milliseconds; counts one more attempt. */
  long duration() {
    double ms = min * Math.pow(2, attempts++);
    if (jitter > 0) {
      double rand = random.getAsDouble();
      double deviation = Math.floor(rand * jitter * ms);
      ms = (((long) Math.floor(rand * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
    }
    // JS: Math.min(ms, max) | 0 (ToInt32; NaN becomes 0).
    return (int) (long) Math.min(ms, max);
  }

  void reset() {
    attempts = 0;
  }

  int attempts() {
    return attempts;
  }
}
