package dev.sio4j.engineio.parser;

import java.util.Optional;

/**
 * The Engine.IO transports, named as on the wire: the {@code transport} query parameter and the
 * {@code upgrades} list of the handshake. One type for client and server.
 *
 * <p>Names are matched exactly, as the reference does ({@code "WebSocket"} or {@code " polling"}
 * are unknown): a server answers an unknown name with error 0 {@code Transport unknown}.
 *
 * <p>Thread-safety: immutable.
 */
public enum TransportType {
  /** HTTP long-polling: a held GET receives, POSTs send. */
  POLLING("polling"),
  /** One WebSocket connection carrying one Engine.IO packet per frame. */
  WEBSOCKET("websocket"),
  /**
   * One bidirectional stream of a WebTransport session (HTTP/3 over QUIC), carrying length-prefixed
   * packets. Never named in a {@code transport} query parameter: a client opens it with an {@code
   * open} packet on the stream.
   */
  WEBTRANSPORT("webtransport");

  private final String wireName;

  TransportType(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the wire, e.g. {@code websocket}. */
  public String wireName() {
    return wireName;
  }

  /** The transport with exactly this wire name; empty for any other name (or null). */
  public static Optional<TransportType> fromWireName(String name) {
    for (TransportType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The wire name, so that logs and messages read as the protocol does. */
  @Override
  public String toString() {
    return wireName;
  }
}
