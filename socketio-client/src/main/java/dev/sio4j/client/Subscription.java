package dev.sio4j.client;

/**
 * A listener registration; {@link #cancel()} removes the listener.
 *
 * <p>Thread-safety: {@link #cancel()} may be called from any thread, more than once.
 */
@FunctionalInterface
public interface Subscription {
  /** Removes the listener. A callback already running completes. */
  void cancel();
}
