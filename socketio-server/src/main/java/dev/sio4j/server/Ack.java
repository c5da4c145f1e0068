package dev.sio4j.server;

/**
 * Answers an event the client sent with an acknowledgement callback. Only the first call sends
 * anything, as in the reference; calls on an event sent without one do nothing.
 *
 * <p>Thread-safety: thread-safe; may be called from any thread, later than the handler returns.
 */
@FunctionalInterface
public interface Ack {
  /** An ack that sends nothing, for events sent without one. */
  Ack NONE =
      new Ack() {
        @Override
        public void send(Object... args) {}

        @Override
        public boolean requested() {
          return false;
        }
      };

  void send(Object... args);

  /** True when the client asked for an acknowledgement (false for {@link #NONE}). */
  default boolean requested() {
    return true;
  }
}
