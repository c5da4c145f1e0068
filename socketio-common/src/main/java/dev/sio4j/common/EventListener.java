package dev.sio4j.common;

/**
 * Listens to one named event: {@code socket.on("chat", args -> ...)}. Use {@link AckEventListener}
 * to answer the peer's acknowledgement.
 *
 * <p>Thread-safety: called on the socket's event thread (the server's handler executor when one is
 * configured), one event at a time in arrival order; must not block unless a handler executor runs
 * it.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(Arguments args);
}
