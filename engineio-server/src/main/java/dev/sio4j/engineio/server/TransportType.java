package dev.sio4j.engineio.server;

import java.util.Optional;

/**
 * The transports this server implements, named as on the wire ({@code transport} query parameter).
 *
 * <p>Thread-safety: immutable.
 */
public enum TransportType {
  POLLING("polling"),
  WEBSOCKET("websocket");

  private final String wireName;

  TransportType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The transport with the given wire name, if this server knows it. */
  public static Optional<TransportType> fromWireName(String name) {
    for (TransportType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
