package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.Packet;

/**
 * A packet waiting in a session's write buffer, with its compression flag.
 *
 * <p>Thread-safety: immutable.
 */
final class Outgoing {
  final Packet packet;
  final boolean compress;

  /**
   * The packet may be sent to many sessions: its encoded bytes are computed once and shared (heap),
   * instead of encoded straight into a pooled buffer of this connection.
   */
  final boolean shared;

  Outgoing(Packet packet, boolean compress) {
    this(packet, compress, false);
  }

  Outgoing(Packet packet, boolean compress, boolean shared) {
    this.packet = packet;
    this.compress = compress;
    this.shared = shared;
  }
}
