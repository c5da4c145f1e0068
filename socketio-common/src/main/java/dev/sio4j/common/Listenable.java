package dev.sio4j.common;

import dev.sio4j.common.internal.ListenerRegistry;

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
}
