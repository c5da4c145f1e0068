package dev.sio4j.server;

import dev.sio4j.common.Arguments;

/**
 * Runs for each incoming event of a socket ({@code socket.use}), before its listeners. Calling
 * {@code next.fail(...)} drops the event (the client is not told, as in the reference) and calls
 * the socket's error listeners; a middleware that throws fails the same way. {@code next} may be
 * called later from any thread: the chain continues where the socket's listeners run. An event
 * whose chain completes after the socket disconnected is dropped, as in the reference.
 *
 * <p>Thread-safety: called where the socket's listeners run (its event loop, or its serial queue on
 * the handler executor), one event at a time; must not block on the event loop.
 */
@FunctionalInterface
public interface PacketMiddleware {
  void handle(String event, Arguments args, Middleware.Next next);
}
