package dev.sio4j.common;

/**
 * Listens to an event with one argument converted to {@code T} by the JSON mapper: {@code
 * socket.on("chat", ChatMessage.class, msg -> ...)}. See {@link Listenable#on(String, Class,
 * TypedListener)} for what happens when the argument does not fit.
 *
 * <p>Thread-safety: called like {@link EventListener}.
 *
 * @param <T> the argument's type
 */
@FunctionalInterface
public interface TypedListener<T> {
  void onEvent(T value);
}
