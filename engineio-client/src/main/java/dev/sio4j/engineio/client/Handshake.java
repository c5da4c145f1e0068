package dev.sio4j.engineio.client;

import dev.sio4j.engineio.parser.TransportType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The server's {@code open} packet: session id, transports it offers to upgrade to, heartbeat
 * timing and the largest payload it accepts.
 *
 * <p>Thread-safety: immutable.
 *
 * @param sid the session id
 * @param upgrades transports the server offers, filtered to those this client allows
 * @param pingInterval how often the server pings
 * @param pingTimeout how long the server waits for a pong
 * @param maxPayload the largest polling request body the server accepts, in bytes (0 if unknown)
 */
public record Handshake(
    String sid,
    List<TransportType> upgrades,
    Duration pingInterval,
    Duration pingTimeout,
    long maxPayload) {

  public Handshake {
    Objects.requireNonNull(sid, "sid");
    upgrades = List.copyOf(upgrades);
    Objects.requireNonNull(pingInterval, "pingInterval");
    Objects.requireNonNull(pingTimeout, "pingTimeout");
  }
}
