package dev.sio4j.spring.boot;

import dev.sio4j.common.SocketIoException;

/**
 * An annotated handler method cannot be bound (a parameter the starter cannot supply, a return
 * value it cannot send); the message names the bean class and the method. Raised while the
 * application context starts, so the application does not start with a handler that would never
 * work.
 *
 * <p>Thread-safety: immutable.
 */
public final class InvalidHandlerException extends SocketIoException {
  private static final long serialVersionUID = 1L;

  InvalidHandlerException(String message) {
    super(message);
  }
}
