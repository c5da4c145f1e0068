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
   * a pending GET, or the WebSocket's channel is below its high water mark (the client keeps up).
   * Used for volatile emits; a producer that finds it false may pause until {@link
   * EngineIoHandler#onDrain}. Exact on the session's loop; from another thread it answers at once
   * with what the loop last published (never a stale copy), which the loop may change right after.
   */
  boolean isWritable();

  /**
   * The bytes waiting to reach this client: the session's buffer (text counted in UTF-16 units)
   * plus what its WebSocket channel holds unwritten. Bounded by {@link
   * EngineIoOptions#maxBufferedBytes()} (give or take one packet and the channel's high water
   * mark). Any thread: a snapshot, never waits for the loop.
   */
  long bufferedBytes();

  /**
   * The packets dropped so far because the client read too slowly: volatile packets that could not
   * go out at once, and droppable ones the {@link SlowConsumerPolicy#DROP_OLDEST} policy removed.
   * Any thread.
   */
  long droppedPackets();

  /** Sends a text message. */
  void send(String text);

  /** Sends a binary message. The array must not be changed afterwards. */
  void send(byte[] data);

  /** Sends a text message, allowing or not its compression. */
  void send(String text, boolean compress);

  /** Sends a binary message, allowing or not its compression. */
  void send(byte[] data, boolean compress);

  /**
   * Sends a text message that a slow client may lose as {@code delivery} allows (the other {@code
   * send} methods send {@link Delivery#ESSENTIAL} messages).
   */
  void send(String text, boolean compress, Delivery delivery);

  /** Sends a binary message that a slow client may lose as {@code delivery} allows. */
  void send(byte[] data, boolean compress, Delivery delivery);

  /**
   * Sends a {@code message} packet shared by many sessions (a broadcast): the same {@link Packet}
   * instance is encoded once, and every WebSocket writes the same bytes. For a packet sent once,
   * {@link #send(String, boolean)} is cheaper (it encodes straight into the connection's buffer).
   *
   * @throws IllegalArgumentException if the packet is not of type {@code message}
   */
  void send(Packet message, boolean compress);

  /**
   * {@link #send(Packet, boolean)} for a message that a slow client may lose as {@code delivery}
   * allows.
   *
   * @throws IllegalArgumentException if the packet is not of type {@code message}
   */
  void send(Packet message, boolean compress, Delivery delivery);

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
   * CloseReason#FORCED_CLOSE}: within {@link EngineIoOptions#closeTimeout()}, after which what is
   * still waiting is discarded and the connection dropped.
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
