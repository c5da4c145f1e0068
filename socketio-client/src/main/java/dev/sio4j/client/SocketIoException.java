package dev.sio4j.client;

/**
 * Root of the client's unchecked exceptions: open failures ({@code "timeout"}, transport errors),
 * ack timeouts ({@code "operation has timed out"}), acks lost on disconnect ({@code "socket has
 * been disconnected"}) and a full send buffer.
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
