package dev.sio4j.engineio.client;

/**
 * Why an Engine.IO client connection closed, carrying the reference client's reason strings.
 *
 * <p>Thread-safety: immutable.
 */
public enum CloseReason {
  /** The transport was closed: the server closed the session or the connection dropped. */
  TRANSPORT_CLOSE("transport close"),
  /** A transport failed: connection refused, HTTP error status, malformed data, open timeout. */
  TRANSPORT_ERROR("transport error"),
  /** No packet (ping) arrived from the server within {@code pingInterval + pingTimeout}. */
  PING_TIMEOUT("ping timeout"),
  /** The application closed the connection with {@link EngineIoClient#close()}. */
  FORCED_CLOSE("forced close");

  private final String reason;

  CloseReason(String reason) {
    this.reason = reason;
  }

  /** The reference client's reason string, e.g. {@code "transport close"}. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return reason;
  }
}
