package dev.sio4j.engineio.server;

/**
 * Why an Engine.IO session closed, with the exact strings the reference server reports.
 *
 * <p>Thread-safety: immutable.
 */
public enum CloseReason {
  /** The transport failed: an overlapping request, a premature close, an oversized frame. */
  TRANSPORT_ERROR("transport error"),
  /** The transport closed: the client closed it, or the network connection dropped. */
  TRANSPORT_CLOSE("transport close"),
  /** The server closed the session itself. */
  FORCED_CLOSE("forced close"),
  /** The heartbeat failed: no pong (v4) or no ping (v3) in time. */
  PING_TIMEOUT("ping timeout"),
  /** The client sent a packet that could not be decoded. */
  PARSE_ERROR("parse error"),
  /**
   * The client read too slowly: its outbound buffer reached {@link
   * EngineIoOptions#maxBufferedBytes()} or {@link EngineIoOptions#maxBufferedPackets()} (see {@link
   * SlowConsumerPolicy}). Not a reason of the reference server, which has no such bound.
   */
  SLOW_CONSUMER("slow consumer");

  private final String text;

  CloseReason(String text) {
    this.text = text;
  }

  /** The reason as the reference names it, e.g. {@code "ping timeout"}. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
