package dev.sio4j.server;

import java.util.List;

/**
 * An acknowledgement did not arrive in time ({@code "operation has timed out"}; for {@code
 * serverSideEmitWithAck} the reference's {@code "timeout reached: ..."}). For a broadcast or a
 * server-side emit, carries the answers that did arrive.
 *
 * <p>Thread-safety: immutable.
 */
public final class AckTimeoutException extends SocketIoException {
  private static final long serialVersionUID = 1L;
  private final transient List<Arguments> responses;

  public AckTimeoutException(List<Arguments> responses) {
    super("operation has timed out");
    this.responses = List.copyOf(responses);
  }

  /** A cluster request that timed out, with the reference's message for it. */
  AckTimeoutException(String message, List<Arguments> responses, Throwable cause) {
    super(message, cause);
    this.responses = List.copyOf(responses);
  }

  /** The answers received before the timeout (empty for a single socket). */
  public List<Arguments> responses() {
    return responses;
  }
}
