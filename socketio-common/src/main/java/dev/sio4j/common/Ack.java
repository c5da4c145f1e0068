package dev.sio4j.common;

/**
 * The acknowledgement the peer asked for with an event (the reference's ack callback, passed as the
 * last argument there, an explicit parameter here). {@link #send} answers it; only the first call
 * sends anything, later ones are ignored. For an event sent without one, {@link #requested()} is
 * false and {@link #send} does nothing.
 *
 * <p>Thread-safety: thread-safe; {@link #send} may be called from any thread, later than the
 * listener returns.
 */
public interface Ack {
  /** The ack of an event sent without one: sends nothing. */
  Ack NONE =
      new Ack() {
        @Override
        public void send(Object... args) {}

        @Override
        public boolean requested() {
          return false;
        }
      };

  /**
   * Sends the acknowledgement with these arguments, converted like {@code emit} arguments ({@code
   * byte[]} and {@code ByteBuffer} become binary attachments, the rest goes through the JSON
   * mapper).
   */
  void send(Object... args);

  /** Whether the peer expects an acknowledgement (false for {@link #NONE}). */
  boolean requested();
}
