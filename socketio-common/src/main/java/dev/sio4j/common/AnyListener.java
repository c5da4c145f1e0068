package dev.sio4j.common;

/**
 * A catch-all listener: sees every incoming event ({@code onAny}), before the event's own
 * listeners, or every outgoing one ({@code onAnyOutgoing}), with its name and arguments.
 *
 * <p>Thread-safety: called on the socket's event thread, one event at a time; must not block.
 */
@FunctionalInterface
public interface AnyListener {
  void onEvent(String event, Arguments args);

  /**
   * For incoming events, also hands over the event's acknowledgement (the reference passes the ack
   * callback as the last argument of a catch-all listener), so that a catch-all listener may answer
   * it. By default it calls {@link #onEvent(String, Arguments)}; outgoing events never come here.
   */
  default void onEvent(String event, Arguments args, Ack ack) {
    onEvent(event, args);
  }
}
