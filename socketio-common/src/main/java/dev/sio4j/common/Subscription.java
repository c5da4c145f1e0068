package dev.sio4j.common;

/**
 * A listener registration, as returned by {@code on}, {@code once}, {@code onAny} and the other
 * registration methods; {@link #cancel()} removes exactly that registration (a lambda has no
 * identity its caller could keep for {@code off}).
 *
 * <p>Thread-safety: {@link #cancel()} may be called from any thread, more than once.
 */
@FunctionalInterface
public interface Subscription {
  /** Removes the listener. A call already running completes. */
  void cancel();
}
