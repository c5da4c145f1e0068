package dev.sio4j.engineio.client;

import java.util.Optional;

/**
 * A failure of an Engine.IO client connection: the reference's error messages ({@code "xhr poll
 * error"}, {@code "xhr post error"}, {@code "websocket error"}, {@code "timeout"}, {@code "probe
 * error"}) with the underlying cause and, for HTTP errors, the status code.
 *
 * <p>Thread-safety: immutable.
 */
public class EngineIoClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;

  public EngineIoClientException(String message) {
    this(message, null, 0);
  }

  public EngineIoClientException(String message, Throwable cause) {
    this(message, cause, 0);
  }

  /**
   * @param httpStatus the HTTP status of a failed request, or 0
   */
  public EngineIoClientException(String message, Throwable cause, int httpStatus) {
    super(message, cause);
    this.httpStatus = httpStatus;
  }

  /** The HTTP status of the failed polling request, if that is what failed. */
  public Optional<Integer> httpStatus() {
    return httpStatus == 0 ? Optional.empty() : Optional.of(httpStatus);
  }
}
