package dev.sio4j.server;

/**
 * Runs before a socket joins a namespace ({@code io.use} / {@code namespace.use}); calls {@code
 * next.proceed()} to let it in or {@code next.fail(...)} to refuse it, possibly later and from
 * another thread. A refusal reaches the client as {@code connect_error} with the message and data.
 *
 * <p>Thread-safety: called on the socket's event loop; must not block.
 */
@FunctionalInterface
public interface Middleware {
  void handle(Socket socket, Next next);

  /**
   * Continues or stops a middleware chain. Only the first call counts.
   *
   * <p>Thread-safety: thread-safe. Called from another thread, the chain continues on the thread it
   * was running on (the socket's event loop, or for packet middlewares its serial handler queue).
   */
  interface Next {
    void proceed();

    void fail(String message);

    /** Refuses with a message and data (serialised with the server's JSON mapper). */
    void fail(String message, Object data);
  }
}
