package dev.sio4j.engineio.server;

import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.TransportType;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One Engine.IO session: a client connection that outlives the transports it uses (polling
 * requests, then possibly a WebSocket after an upgrade).
 *
 * <p>Thread-safety: every method may be called from any thread. A session is owned by one event
 * loop ({@link #executor()}); calls from other threads are handed to it, so packets sent from one
 * thread keep their order; accessors never wait for the loop. The {@link EngineIoHandler} callbacks
 * of a session all run on that loop.
 */
public interface EngineIoSocket {
  /** The session id: secret, as knowing it lets anyone act as this client. */
  String id();

  /** 4, or 3 for a legacy client accepted through {@code allowEIO3}. */
  int protocol();

  /** The first request of the session. */
  EngineIoRequest request();

  /** The transport in use now. */
  TransportType transport();

  /** True once the session moved from polling to WebSocket. */
  boolean upgraded();

  /** True while the session is open (not closing or closed). */
  boolean isOpen();

  /**
   * True when a packet written now would go out at once rather than wait in the buffer: polling has
   * a pending GET, or the WebSocket accepts writes. Used for volatile emits. Exact on the session's
   * loop; from another thread it answers at once with what the loop last published (never a stale
   * copy), which the loop may change right after.
   */
  boolean isWritable();

  /** Sends a text message. */
  void send(String text);

  /** Sends a binary message. The array must not be changed afterwards. */
  void send(byte[] data);

  /** Sends a text message, allowing or not its compression. */
  void send(String text, boolean compress);

  /** Sends a binary message, allowing or not its compression. */
  void send(byte[] data, boolean compress);

  /**
   * Sends a {@code message} packet shared by many sessions (a broadcast): the same {@link Packet}
   * instance is encoded once, and every WebSocket writes the same bytes. For a packet sent once,
   * {@link #send(String, boolean)} is cheaper (it encodes straight into the connection's buffer).
   *
   * @throws IllegalArgumentException if the packet is not of type {@code message}
   */
  void send(Packet message, boolean compress);

  /**
   * Writes out at once what was sent so far. A WebSocket session writes each packet as it is sent
   * but flushes the socket once per event-loop turn, so that a burst (the replies to a batch of
   * reads, a broadcast's deliveries) costs one system call; this flushes now, for a reply that a
   * client waits for on its own (the Socket.IO CONNECT answer). Polling needs no flush: each poll
   * response is written when it is ready.
   */
  void flushNow();

  /**
   * Closes the session once the buffered packets are written, with reason {@link
   * CloseReason#FORCED_CLOSE}.
   */
  void close();

  /**
   * The event loop that owns the session; tasks run (and timers fire) there in submission order.
   */
  ScheduledExecutorService executor();

  /** Attaches an object to the session (e.g. the Socket.IO client object). */
  void attachment(Object value);

  /** The object attached with {@link #attachment(Object)}, or null. */
  Object attachment();
}
