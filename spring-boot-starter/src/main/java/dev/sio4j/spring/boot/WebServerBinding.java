package dev.sio4j.spring.boot;

import java.util.OptionalInt;

/**
 * Socket.IO served by the application's own web server rather than on a port of its own.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
interface WebServerBinding {
  /** Whether the application's web server was built with this binding. */
  boolean applied();

  /** The port the application's web server listens on, while it does. */
  OptionalInt port();

  /** The binding's name, as {@code sio4j.mode} spells it. */
  String mode();
}
