package dev.sio4j.server;

/**
 * The root of the errors this server raises.
 *
 * <p>Thread-safety: immutable.
 */
public class SocketIoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SocketIoException(String message) {
    super(message);
  }

  public SocketIoException(String message, Throwable cause) {
    super(message, cause);
  }
}
