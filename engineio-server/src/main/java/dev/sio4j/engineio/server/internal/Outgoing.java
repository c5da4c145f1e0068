package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.server.Delivery;

/**
 * A packet waiting in a session's write buffer, with its compression flag and how much it may be
 * sacrificed for a slow client.
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

  final Delivery delivery;

  Outgoing(Packet packet, boolean compress) {
    this(packet, compress, false, Delivery.ESSENTIAL);
  }

  Outgoing(Packet packet, boolean compress, boolean shared) {
    this(packet, compress, shared, Delivery.ESSENTIAL);
  }

  Outgoing(Packet packet, boolean compress, boolean shared, Delivery delivery) {
    this.packet = packet;
    this.compress = compress;
    this.shared = shared;
    this.delivery = delivery;
  }

  /**
   * What the packet costs in the buffer, in bytes: its type byte plus its data (text counted in
   * UTF-16 units, which is its UTF-8 size for ASCII). Computed when buffered, not per write.
   */
  long size() {
    Packet p = packet;
    return 1L + (p.isBinary() ? p.binaryData().length : p.textData().length());
  }
}
