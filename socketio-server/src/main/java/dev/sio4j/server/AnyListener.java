package dev.sio4j.server;

/**
 * Sees every event of a socket (incoming for {@code onAny}, outgoing for {@code onAnyOutgoing}).
 *
 * <p>Thread-safety: called on the socket's event loop; must not block.
 */
@FunctionalInterface
public interface AnyListener {
  void onEvent(String event, Arguments args);
}
