package dev.sio4j.common;

/**
 * Listens to an event with one argument converted to {@code T} by the JSON mapper, and its ack:
 * {@code socket.on("chat", ChatMessage.class, (msg, ack) -> ack.send(new Receipt(msg.id())))}.
 * {@code ack} is {@link Ack#NONE} when the peer asked for none; {@code ack.send(pojo)} converts
 * through the same mapper.
 *
 * <p>Thread-safety: called like {@link EventListener}; the ack may be sent later, from any thread.
 *
 * @param <T> the argument's type
 */
@FunctionalInterface
public interface TypedAckListener<T> {
  void onEvent(T value, Ack ack);
}
