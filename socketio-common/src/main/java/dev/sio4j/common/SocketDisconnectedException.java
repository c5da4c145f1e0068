package dev.sio4j.common;

/**
 * An acknowledgement can no longer arrive: the socket disconnected while waiting for it, or the
 * emit was made on a socket that was already gone ({@code "socket has been disconnected"}, as in
 * the reference).
 *
 * <p>Thread-safety: immutable.
 */
public final class SocketDisconnectedException extends SocketIoException {
  private static final long serialVersionUID = 1L;

  /** The reference's message. */
  public static final String MESSAGE = "socket has been disconnected";

  public SocketDisconnectedException() {
    super(MESSAGE);
  }
}
