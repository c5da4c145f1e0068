package dev.sio4j.server;

import java.util.List;

/**
 * An acknowledgement did not arrive in time ({@code "operation has timed out"}). For a broadcast,
 * carries the answers that did arrive.
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

  /** The answers received before the timeout (empty for a single socket). */
  public List<Arguments> responses() {
    return responses;
  }
}
