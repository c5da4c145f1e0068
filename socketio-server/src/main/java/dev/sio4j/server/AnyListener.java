package dev.sio4j.server;

/**
 * Sees every event of a socket (incoming for {@code onAny}, outgoing for {@code onAnyOutgoing}).
 *
 * <p>Thread-safety: called on the socket's event loop; must not block.
 */
@FunctionalInterface
public interface AnyListener {
  void onEvent(String event, Arguments args);

  /**
   * For incoming events, also hands over the event's acknowledgement (the reference passes the ack
   * callback as the last argument of a catch-all listener), so a catch-all listener may answer it.
   * By default it calls {@link #onEvent(String, Arguments)}; outgoing events never come here.
   */
  default void onEvent(String event, Arguments args, Ack ack) {
    onEvent(event, args);
  }
}
