package dev.sio4j.common;

/**
 * Listens to an event with two arguments, converted to {@code A} and {@code B} by the JSON mapper,
 * and its ack: {@code socket.on("move", Player.class, Position.class, (player, pos, ack) -> ...)}.
 *
 * <p>Thread-safety: called like {@link EventListener}; the ack may be sent later, from any thread.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 */
@FunctionalInterface
public interface TypedBiAckListener<A, B> {
  void onEvent(A first, B second, Ack ack);
}
