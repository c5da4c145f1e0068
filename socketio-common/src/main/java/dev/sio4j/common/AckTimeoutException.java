package dev.sio4j.common;

import java.util.List;

/**
 * An acknowledgement did not arrive in time ({@code "operation has timed out"}; for a server's
 * {@code serverSideEmitWithAck}, the reference's {@code "timeout reached: ..."}). For a broadcast
 * or a server-side emit, carries the answers that did arrive (the reference's {@code
 * err.responses}).
 *
 * <p>Thread-safety: immutable.
 */
public final class AckTimeoutException extends SocketIoException {
  private static final long serialVersionUID = 1L;

  /** The reference's message, kept identical so logs read the same on both platforms. */
  public static final String MESSAGE = "operation has timed out";

  private final transient List<Arguments> responses;

  /** A timeout without partial answers (an emit to one socket). */
  public AckTimeoutException() {
    this(List.of());
  }

  /** A timeout of a broadcast, with the answers received before it. */
  public AckTimeoutException(List<Arguments> responses) {
    super(MESSAGE);
    this.responses = List.copyOf(responses);
  }

  /**
   * A timeout with its own message and cause: a cluster request ({@code serverSideEmitWithAck})
   * that did not get every node's answer, with the answers received.
   */
  public AckTimeoutException(String message, List<Arguments> responses, Throwable cause) {
    super(message, cause);
    this.responses = List.copyOf(responses);
  }

  /** The answers received before the timeout (empty for a single socket). */
  public List<Arguments> responses() {
    return responses;
  }
}
