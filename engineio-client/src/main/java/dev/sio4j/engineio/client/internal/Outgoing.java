package dev.sio4j.engineio.client.internal;

import dev.sio4j.engineio.parser.Packet;
import java.util.List;

/**
 * A packet waiting to be written, with the reference's per-packet {@code compress} option: false
 * keeps a WebSocket message out of permessage-deflate (polling requests ignore it).
 *
 * <p>Thread-safety: immutable.
 */
record Outgoing(Packet packet, boolean compress) {
  static List<Outgoing> of(Packet packet) {
    return List.of(new Outgoing(packet, true));
  }
}
