package dev.sio4j.client;

/**
 * Handles one received event, with the acknowledgement the server may have asked for.
 *
 * <p>Thread-safety: called on the client's event thread; must not block. The ack may be sent later,
 * from any thread.
 */
@FunctionalInterface
public interface AckEventListener {
  void onEvent(Arguments args, Ack ack);
}
