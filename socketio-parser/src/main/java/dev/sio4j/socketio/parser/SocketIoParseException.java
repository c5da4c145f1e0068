package dev.sio4j.socketio.parser;

/**
 * Thrown when text or binary data received from a peer is not a valid Socket.IO packet. The
 * messages are those of the reference parser ({@code invalid payload}, {@code Illegal attachments},
 * ...), so logs read the same on both sides. The reference server answers such input by closing the
 * underlying Engine.IO connection; the reference client treats it as a {@code parse error} and
 * reconnects.
 *
 * <p>Thread-safety: immutable.
 */
public final class SocketIoParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SocketIoParseException(String message) {
    super(message);
  }

  public SocketIoParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
