package dev.sio4j.server;

/**
 * Why a server-side socket disconnected, with the reference's exact strings.
 *
 * <p>Thread-safety: immutable.
 */
public enum DisconnectReason {
  /** {@code socket.disconnect()} on the server. */
  SERVER_NAMESPACE_DISCONNECT("server namespace disconnect", false),
  /** The client left the namespace ({@code socket.disconnect()} on the client). */
  CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect", false),
  /** The server is closing. */
  SERVER_SHUTTING_DOWN("server shutting down", true),
  /** The client did not answer the heartbeat. */
  PING_TIMEOUT("ping timeout", true),
  /** The connection was closed (network loss, tab closed). */
  TRANSPORT_CLOSE("transport close", true),
  /** The connection failed (payload too large, overlapping requests). */
  TRANSPORT_ERROR("transport error", true),
  /** The client sent an invalid Engine.IO packet. */
  PARSE_ERROR("parse error", false),
  /** The server closed the connection, e.g. after an invalid Socket.IO packet. */
  FORCED_CLOSE("forced close", true),
  /** The client joined no namespace within {@code connectTimeout}. */
  FORCED_SERVER_CLOSE("forced server close", true),
  /**
   * The client read too slowly: its connection's outbound buffer was full (see {@code
   * EngineIoOptions.maxBufferedBytes} and {@code slowConsumerPolicy}). Not a reason of the
   * reference, which has no such bound; recoverable, as a network failure is.
   */
  SLOW_CONSUMER("slow consumer", true);

  private final String text;
  private final boolean recoverable;

  DisconnectReason(String text, boolean recoverable) {
    this.text = text;
    this.recoverable = recoverable;
  }

  /** The reason as the reference names it. */
  public String text() {
    return text;
  }

  /** True when connection state recovery may restore the session after this reason. */
  public boolean recoverable() {
    return recoverable;
  }

  @Override
  public String toString() {
    return text;
  }
}
