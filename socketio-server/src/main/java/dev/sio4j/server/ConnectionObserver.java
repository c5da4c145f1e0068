package dev.sio4j.server;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.EngineIoSocket;

/**
 * Watches the Engine.IO connections under a {@link SocketIoServer}: opened, upgraded, closed, and
 * the size of each message in and out. It is what tools that report on a server (the Admin UI's
 * {@code server_stats}) need from the transport layer, the counterpart of the reference's {@code
 * engine.on("connection")} with the connection's {@code packet}, {@code packetCreate}, {@code
 * upgrade} and {@code close} events. Register with {@link SocketIoServer#observeConnections}.
 *
 * <p>Message sizes are in bytes as sent on the wire (UTF-8 for text); a Socket.IO packet with
 * binary attachments is one message per frame. Sizes are computed only while an observer is
 * registered.
 *
 * <p>Thread-safety: called on each connection's event loop, so on several threads at once for
 * different connections; implementations must be thread-safe, fast, and must not block.
 */
public interface ConnectionObserver {
  /** A connection opened on {@code transport} (its first one). */
  default void onOpen(EngineIoSocket conn, TransportType transport) {}

  /** The connection completed its upgrade to {@code transport}. */
  default void onUpgrade(EngineIoSocket conn, TransportType transport) {}

  /** The connection closed. */
  default void onClose(EngineIoSocket conn, CloseReason reason) {}

  /** A message of {@code bytes} bytes arrived on the connection. */
  default void onMessageIn(EngineIoSocket conn, int bytes) {}

  /** A message of {@code bytes} bytes was handed to the connection to send. */
  default void onMessageOut(EngineIoSocket conn, int bytes) {}
}
