package dev.sio4j.engineio.client;

import dev.sio4j.engineio.parser.TransportType;
import java.util.Optional;

/**
 * Receives what happens on an {@link EngineIoClient}. Every method has an empty default.
 *
 * <p>Thread-safety: all callbacks of one client run on its event loop thread, one at a time, in the
 * order things happen. They must not block. An exception thrown by a callback is logged and does
 * not affect the connection.
 */
public interface EngineIoListener {

  /** The handshake completed; messages may now be sent without being buffered. */
  default void onOpen(Handshake handshake) {}

  /** A text message arrived. */
  default void onMessage(String text) {}

  /** A binary message arrived. The array belongs to the callee. */
  default void onBinaryMessage(byte[] data) {}

  /** The server pinged; the pong has already been queued. */
  default void onPing() {}

  /**
   * Protocol v3: the server answered a ping of the client; everything the client sent before that
   * ping has been processed by the server.
   */
  default void onPong() {}

  /** A probe succeeded and the client is switching to {@code transport}. */
  default void onUpgrading(TransportType transport) {}

  /** The connection now runs over {@code transport}. */
  default void onUpgrade(TransportType transport) {}

  /** An upgrade attempt failed; the connection goes on over the current transport. */
  default void onUpgradeError(Throwable error) {}

  /** A transport failed; {@link #onClose} with {@link CloseReason#TRANSPORT_ERROR} follows. */
  default void onError(Throwable error) {}

  /**
   * The connection closed; no callback follows.
   *
   * @param cause the error behind a {@link CloseReason#TRANSPORT_ERROR}, if any
   */
  default void onClose(CloseReason reason, Optional<Throwable> cause) {}
}
