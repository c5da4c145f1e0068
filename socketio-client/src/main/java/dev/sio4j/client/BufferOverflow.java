package dev.sio4j.client;

/**
 * What a {@link ClientSocket} does when an emit must be buffered (the socket is not connected) and
 * its send buffer is full.
 *
 * <p>Either way the dropped emit's acknowledgement, if any, fails with a {@link
 * dev.sio4j.common.SocketIoException} {@code "send buffer full"} and a warning is logged.
 *
 * <p>Thread-safety: immutable.
 */
public enum BufferOverflow {
  /** Keep the buffer, drop the new emit (default). */
  DROP_NEWEST,
  /** Drop the oldest buffered emit to make room. */
  DROP_OLDEST
}
