package dev.sio4j.client;

/**
 * Handles one received event.
 *
 * <p>Thread-safety: called on the client's event thread; must not block.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(Arguments args);
}
