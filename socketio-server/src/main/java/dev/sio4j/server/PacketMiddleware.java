package dev.sio4j.server;

import dev.sio4j.common.Arguments;

/**
 * Runs for each incoming event of a socket ({@code socket.use}), before its listeners. Calling
 * {@code next.fail(...)} drops the event (the client is not told, as in the reference).
 *
 * <p>Thread-safety: called on the socket's event loop; must not block.
 */
@FunctionalInterface
public interface PacketMiddleware {
  void handle(String event, Arguments args, Middleware.Next next);
}
