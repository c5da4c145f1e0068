package dev.sio4j.client;

/**
 * Why a {@link ClientSocket} disconnected (or the {@link SocketIoClient}'s connection closed),
 * carrying the reference client's reason strings.
 *
 * <p>Thread-safety: immutable.
 */
public enum ClientDisconnectReason {
  /**
   * The server disconnected the socket ({@code socket.disconnect()}); no automatic reconnection.
   */
  IO_SERVER_DISCONNECT("io server disconnect", false),
  /** {@link ClientSocket#disconnect()} was called; no automatic reconnection. */
  IO_CLIENT_DISCONNECT("io client disconnect", false),
  /** The server stopped answering within {@code pingInterval + pingTimeout}. */
  PING_TIMEOUT("ping timeout", true),
  /** The connection was closed (server gone, or the server closed the session). */
  TRANSPORT_CLOSE("transport close", true),
  /** The connection failed. */
  TRANSPORT_ERROR("transport error", true),
  /** The server sent a packet that could not be decoded. */
  PARSE_ERROR("parse error", true),
  /** The connection was closed locally (reported by the client's {@code onClose} only). */
  FORCED_CLOSE("forced close", false);

  private final String reason;
  private final boolean reconnects;

  ClientDisconnectReason(String reason, boolean reconnects) {
    this.reason = reason;
    this.reconnects = reconnects;
  }

  /** The reference string, e.g. {@code "io server disconnect"}. */
  public String reason() {
    return reason;
  }

  /** Whether the client reconnects by itself after this (when reconnection is enabled). */
  public boolean reconnects() {
    return reconnects;
  }

  @Override
  public String toString() {
    return reason;
  }
}
