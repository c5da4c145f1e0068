package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.Packet;

/**
 * Receives what a transport reports. The session listens to its current transport; during an
 * upgrade, the upgrade procedure listens to the new one until it takes over.
 *
 * <p>Thread-safety: called on the session's event loop only.
 */
interface TransportListener {
  void onPacket(Packet packet);

  /** A packet could not be decoded. */
  void onParseError(String description);

  void onError(String description);

  void onClose();

  /** The transport can take writes again (polling: a GET arrived). */
  void onReady();
}
