package dev.sio4j.engineio.client;

import java.util.Locale;

/**
 * The Engine.IO transports this client implements, with their wire names ({@code transport} query
 * parameter).
 *
 * <p>Thread-safety: immutable.
 */
public enum TransportType {
  /** HTTP long-polling: a pending GET receives, POSTs send. */
  POLLING("polling"),
  /** One WebSocket connection carrying one Engine.IO packet per frame. */
  WEBSOCKET("websocket");

  private final String wireName;

  TransportType(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the wire and in the handshake's {@code upgrades} list. */
  public String wireName() {
    return wireName;
  }

  /**
   * The transport with this wire name.
   *
   * @throws IllegalArgumentException if the name is not one of {@code polling}, {@code websocket}
   */
  public static TransportType fromWireName(String name) {
    for (TransportType type : values()) {
      if (type.wireName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown transport: " + name);
  }

  @Override
  public String toString() {
    return wireName;
  }
}
