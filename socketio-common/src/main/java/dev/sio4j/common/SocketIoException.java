package dev.sio4j.common;

/**
 * The root of every error sio4j's Socket.IO server and client raise: an acknowledgement that timed
 * out ({@link AckTimeoutException}), a refused or failed connection ({@link
 * ConnectErrorException}), an acknowledgement lost to a disconnection ({@link
 * SocketDisconnectedException}), and plain instances for the rest (a full send buffer, a transport
 * failure, a packet middleware's refusal). The message is the reference implementation's text where
 * it has one, so that logs read the same on both platforms.
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
