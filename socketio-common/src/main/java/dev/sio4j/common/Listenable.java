package dev.sio4j.common;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sio4j.common.internal.ListenerRegistry;
import dev.sio4j.common.internal.Typed;
import java.util.Objects;

/**
 * Where listeners of named events are registered, in both shapes: {@code on("chat", args -> ...)}
 * and {@code on("chat", (args, ack) -> ...)}, and the same with {@code once}. The client socket,
 * the server socket and the namespace (its server-side events) are {@code Listenable}, so the four
 * overloads mean the same everywhere.
 *
 * <p>Only {@link #on(String, AckEventListener)} is left to the implementation: the other overloads
 * hand it a listener of that shape that a sio4j listener registry recognises (it keeps the caller's
 * listener known to {@code off}, and makes a {@code once} registration remove itself before its
 * first call). It is implemented by sio4j's sockets and namespaces; an implementation outside sio4j
 * must register through the registry for {@code once} to hold.
 *
 * <p>Typed listeners ({@code on(event, ChatMessage.class, (msg, ack) -> ...)}, two typed arguments,
 * a {@link TypeReference} for generic types) convert the event's arguments through the JSON mapper
 * of the socket before calling the listener; arguments beyond those asked for are ignored. When an
 * argument is missing or does not fit, the listener is not called: an {@link ArgumentTypeException}
 * is logged at WARN in one line (namespace, event, socket id and why), and the server socket hands
 * it to its {@code onError} listeners and sends nothing back, which is what the reference does with
 * an event refused by a {@code socket.use()} middleware (a client that asked for an ack sees its
 * timeout fire). They are removed with the {@link Subscription} they return.
 *
 * <p>Thread-safety: the implementations in sio4j are thread-safe: listeners may be registered from
 * any thread.
 */
public interface Listenable {
  /** Listens to an event, with the ack the peer may have asked for ({@link Ack#NONE} if not). */
  Subscription on(String event, AckEventListener listener);

  /** Listens to an event, without its ack. */
  default Subscription on(String event, EventListener listener) {
    return on(event, ListenerRegistry.adapt(listener));
  }

  /** Like {@link #on(String, AckEventListener)}, removed before its first call. */
  default Subscription once(String event, AckEventListener listener) {
    return on(event, ListenerRegistry.onceOf(listener, listener));
  }

  /** Like {@link #on(String, EventListener)}, removed before its first call. */
  default Subscription once(String event, EventListener listener) {
    return on(event, ListenerRegistry.onceOf(listener, ListenerRegistry.adapt(listener)));
  }

  /**
   * Listens to an event whose first argument is converted to {@code type}, with its ack: {@code
   * on("chat", ChatMessage.class, (msg, ack) -> ack.send(new Receipt(msg.id())))}. See the class
   * comment for arguments that do not fit.
   */
  default <T> Subscription on(String event, Class<T> type, TypedAckListener<T> listener) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(listener, "listener");
    return on(
        event,
        (AckEventListener)
            (args, ack) -> listener.onEvent(Typed.argument(event, args, 0, type), ack));
  }

  /** Like {@link #on(String, Class, TypedAckListener)}, without the ack. */
  default <T> Subscription on(String event, Class<T> type, TypedListener<T> listener) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(listener, "listener");
    return on(
        event,
        (AckEventListener) (args, ack) -> listener.onEvent(Typed.argument(event, args, 0, type)));
  }

  /**
   * Listens to an event whose first argument is converted to a generic type: {@code on("batch", new
   * TypeReference<List<ChatMessage>>() {}, (msgs, ack) -> ...)}.
   */
  default <T> Subscription on(String event, TypeReference<T> type, TypedAckListener<T> listener) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(listener, "listener");
    return on(
        event,
        (AckEventListener)
            (args, ack) -> listener.onEvent(Typed.argument(event, args, 0, type), ack));
  }

  /**
   * Listens to an event whose first two arguments are converted to {@code first} and {@code
   * second}, with its ack: {@code on("move", Player.class, Position.class, (p, pos, ack) -> ...)}.
   */
  default <A, B> Subscription on(
      String event, Class<A> first, Class<B> second, TypedBiAckListener<A, B> listener) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    Objects.requireNonNull(listener, "listener");
    return on(
        event,
        (AckEventListener)
            (args, ack) ->
                listener.onEvent(
                    Typed.argument(event, args, 0, first),
                    Typed.argument(event, args, 1, second),
                    ack));
  }

  /** Like {@link #on(String, Class, TypedAckListener)}, removed before its first call. */
  default <T> Subscription once(String event, Class<T> type, TypedAckListener<T> listener) {
    Objects.requireNonNull(type, "type");
    AckEventListener call =
        (args, ack) -> listener.onEvent(Typed.argument(event, args, 0, type), ack);
    return on(event, ListenerRegistry.onceOf(listener, call));
  }
}
