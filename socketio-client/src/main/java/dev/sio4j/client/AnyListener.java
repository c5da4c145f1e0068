package dev.sio4j.client;

/**
 * A catch-all listener: gets every incoming (or, with {@code onAnyOutgoing}, outgoing) event name
 * with its arguments.
 *
 * <p>Thread-safety: called on the client's event thread; must not block.
 */
@FunctionalInterface
public interface AnyListener {
  void onEvent(String event, Arguments args);
}
