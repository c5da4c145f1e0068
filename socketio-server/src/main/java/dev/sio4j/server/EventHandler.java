package dev.sio4j.server;

/**
 * Handles one named event from a client. {@code ack} answers the client's acknowledgement callback
 * (a no-op when the client sent none).
 *
 * <p>Thread-safety: called on the socket's event loop (or its handler executor when configured),
 * one event at a time in arrival order.
 */
@FunctionalInterface
public interface EventHandler {
  void handle(Arguments args, Ack ack);
}
