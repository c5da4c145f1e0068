package dev.sio4j.server.spi;

import dev.sio4j.adapter.MessageType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.server.DisconnectReason;

/**
 * Hears what a server does, for metrics and monitoring: connections per transport, sockets joining
 * and leaving namespaces, events in and out, acknowledgements, connection state recovery and
 * cluster requests. Every method has an empty default, so an observer implements only what it
 * counts. Registered with {@code SocketIoOptions.Builder.observer} or {@code
 * SocketIoServer.addObserver} (several may be); {@code socketio-micrometer} is one.
 *
 * <p>The server calls these on its hot paths (an event received, each socket a broadcast reaches):
 * implementations must be cheap, must not block and must not throw (an exception escapes into the
 * server's own code). Arguments are values the server holds anyway (the namespace's name, a
 * reason): nothing is made for the call. Byte counts are those of the Socket.IO packet as encoded
 * (text frames in UTF-8, binary attachments as they are), without the Engine.IO framing; they are
 * measured only when an observer is registered.
 *
 * <p>Thread-safety: implementations must be thread-safe. The calls about one connection and its
 * sockets come from that connection's event loop, in order; different connections call from
 * different loops at once; cluster requests and their timeouts are reported on the thread that
 * started them or on the server's timer thread.
 */
public interface SocketIoObserver {

  // ---- Engine.IO connections ------------------------------------------------------------------

  /** An Engine.IO connection opened (its handshake succeeded) on {@code transport}. */
  default void connectionOpened(TransportType transport) {}

  /** A connection moved from {@code from} to {@code to} (polling to WebSocket). */
  default void connectionUpgraded(TransportType from, TransportType to) {}

  /** A connection closed while on {@code transport} (after any upgrade). */
  default void connectionClosed(TransportType transport, CloseReason reason) {}

  // ---- sockets --------------------------------------------------------------------------------

  /** A socket joined {@code namespace}: its middlewares let it in and CONNECT was answered. */
  default void socketConnected(String namespace) {}

  /** A socket left {@code namespace}, for {@code reason}. */
  default void socketDisconnected(String namespace, DisconnectReason reason) {}

  /**
   * A CONNECT was answered with CONNECT_ERROR: a middleware refused it, or (with {@code
   * knownNamespace} false) no namespace of that name exists. In the latter case {@code namespace}
   * is whatever the client asked for: an observer that tags by it should bound its values.
   */
  default void connectRefused(String namespace, boolean knownNamespace) {}

  /** A client asked to recover its session (connection state recovery) on {@code namespace}. */
  default void recoveryAttempted(String namespace) {}

  /**
   * A socket of {@code namespace} got its previous session back (then {@link #socketConnected}).
   */
  default void recoverySucceeded(String namespace) {}

  // ---- events ---------------------------------------------------------------------------------

  /** A socket of {@code namespace} received an event of {@code bytes} bytes. */
  default void eventReceived(String namespace, String event, int bytes) {}

  /**
   * An event of {@code bytes} bytes was written to a socket of {@code namespace}: one call per
   * socket reached, {@code broadcast} when it came through the adapter (a broadcast, or with
   * connection state recovery on, the socket's own emit, which the adapter logs for replay).
   */
  default void eventSent(String namespace, String event, int bytes, boolean broadcast) {}

  // ---- acknowledgements ----------------------------------------------------------------------

  /** The server waits for a client's acknowledgement (an emit with ack reached the socket). */
  default void ackRequested(String namespace) {}

  /** A client answered an acknowledgement the server waited for. */
  default void ackAnswered(String namespace) {}

  /** An acknowledgement was not answered within its timeout. */
  default void ackTimedOut(String namespace) {}

  /** A socket left with {@code count} acknowledgements still pending; they end unanswered. */
  default void acksAbandoned(String namespace, int count) {}

  // ---- cluster --------------------------------------------------------------------------------

  /**
   * The adapter of {@code namespace} sent a request other nodes must answer ({@code fetchSockets},
   * {@code serverSideEmitWithAck}, a broadcast with acks).
   */
  default void clusterRequestSent(String namespace, MessageType type) {}

  /** A cluster request was not answered by every node within its timeout. */
  default void clusterRequestTimedOut(String namespace, MessageType type) {}
}
