package dev.sio4j.client;

/**
 * The acknowledgement the server asked for with an event. {@link #send} answers it (at most once;
 * later calls are ignored). For events sent without an ack, {@link #requested()} is false and
 * {@link #send} does nothing.
 *
 * <p>Thread-safety: {@link #send} may be called from any thread, at any later time.
 */
public interface Ack {
  /** Sends the acknowledgement with these arguments (converted like {@code emit} arguments). */
  void send(Object... args);

  /** Whether the server expects an acknowledgement. */
  boolean requested();

  /** The ack of an event sent without one. */
  Ack NONE =
      new Ack() {
        @Override
        public void send(Object... args) {}

        @Override
        public boolean requested() {
          return false;
        }
      };
}
