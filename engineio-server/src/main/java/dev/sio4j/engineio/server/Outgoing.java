package dev.sio4j.engineio.server;

import dev.sio4j.engineio.parser.Packet;

/**
 * A packet waiting in a session's write buffer, with its compression flag.
 *
 * <p>Thread-safety: immutable.
 */
final class Outgoing {
  final Packet packet;
  final boolean compress;

  Outgoing(Packet packet, boolean compress) {
    this.packet = packet;
    this.compress = compress;
  }
}
