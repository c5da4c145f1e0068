package dev.sio4j.common;

/**
 * Listens to one named event and receives its acknowledgement: {@code socket.on("chat", (args, ack)
 * -> ack.send("ok"))}. {@code ack} is {@link Ack#NONE} when the peer asked for none.
 *
 * <p>Thread-safety: called like {@link EventListener}; the ack may be sent later, from any thread.
 */
@FunctionalInterface
public interface AckEventListener {
  void onEvent(Arguments args, Ack ack);
}
