package dev.sio4j.examples.chat;

/**
 * A token bucket: {@code capacity} events at once, refilled at {@code perSecond}. One per socket,
 * so a flooding client slows down only itself.
 *
 * <p>Thread-safety: thread-safe (synchronized); in this server each instance is only touched by its
 * socket's event loop, so the lock is never contended.
 */
final class RateLimiter {
  private final double capacity;
  private final double perNano;
  private double tokens;
  private long last;

  RateLimiter(int capacity, double perSecond) {
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.tokens = capacity;
    this.last = System.nanoTime();
  }

  /** Takes one token if there is one. */
  synchronized boolean tryAcquire() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
