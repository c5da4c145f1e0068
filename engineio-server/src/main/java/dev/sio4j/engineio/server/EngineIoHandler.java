package dev.sio4j.engineio.server;

import dev.sio4j.engineio.parser.TransportType;

/**
 * Receives the events of every Engine.IO session: the small boundary between the transport layer
 * and what runs on top of it (Socket.IO, or an application using Engine.IO directly).
 *
 * <p>Thread-safety: the callbacks of one session run on that session's event loop, one at a time,
 * in order. Callbacks of different sessions may run concurrently on different loops, so an
 * implementation shared by all sessions must be thread-safe. Callbacks must not block.
 */
public interface EngineIoHandler {
  /** A session was opened (its {@code open} packet is already queued). */
  void onOpen(EngineIoSocket socket);

  /** A text message arrived. */
  void onMessage(EngineIoSocket socket, String text);

  /** A binary message arrived. */
  void onBinary(EngineIoSocket socket, byte[] data);

  /** The session closed; it sends and receives nothing more. */
  void onClose(EngineIoSocket socket, CloseReason reason, String description);

  /**
   * The session's transport is ready for writes again and its buffer went out: a WebSocket whose
   * channel drained below its low water mark after being full, or a polling GET that arrived. A
   * producer that paused when {@link EngineIoSocket#isWritable()} was false may resume. Runs on the
   * session's loop, like the other callbacks.
   */
  default void onDrain(EngineIoSocket socket) {}

  /** The session completed its upgrade to {@code transport}. */
  default void onUpgrade(EngineIoSocket socket, TransportType transport) {}

  /** A request was refused before or during a handshake. */
  default void onConnectionError(EngineIoRequest request, EngineIoError error, String message) {}
}
