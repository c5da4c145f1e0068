package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.Delivery;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.server.spi.SocketIoObserver;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.SioPacketType;
import dev.sio4j.socketio.parser.SocketIoParseException;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO connection seen from Socket.IO: decodes its packets and routes them to the sockets
 * it opened, one per namespace.
 *
 * <p>Thread-safety: confined to the connection's event loop.
 */
final class Client {
  private static final Logger log = LoggerFactory.getLogger(Client.class);

  private final SocketIoServer server;
  private final EngineIoSocket conn;
  private final SioPacketDecoder decoder;
  private final Map<String, Socket> sockets = new HashMap<>();
  private final EventExecutor loop;
  private ScheduledFuture<?> connectTimer;
  private boolean closed;
  private final SocketIoObserver observer;

  /** Whether an observer is registered: bytes are measured only then. */
  private final boolean measuring;

  /** Socket.IO protocol v4 (an Engine.IO v3 client): see {@link LegacyProtocol}. */
  private final boolean legacy;

  /** The bytes of the frames of the packet being decoded, then of the last packet decoded. */
  private int inBytes;

  private int packetBytes;

  Client(SocketIoServer server, EngineIoSocket conn) {
    this.server = server;
    this.conn = conn;
    this.observer = server.observer();
    this.measuring = observer != Observers.NONE;
    this.legacy = LegacyProtocol.isLegacy(conn);
    this.decoder = server.newDecoder();
    this.loop = (EventExecutor) conn.executor();
    this.connectTimer =
        conn.executor()
            .schedule(
                () -> {
                  if (sockets.isEmpty()) {
                    log.debug("{} joined no namespace within connectTimeout: closing", conn.id());
                    conn.close();
                  }
                },
                server.options().connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
  }

  EngineIoSocket conn() {
    return conn;
  }

  /** Whether the client speaks Socket.IO protocol v4 (see {@link LegacyProtocol}). */
  boolean legacy() {
    return legacy;
  }

  SocketIoObserver observer() {
    return observer;
  }

  /** The size of the packet being handled (its text frames measured only for an observer). */
  int packetBytes() {
    return packetBytes;
  }

  boolean inLoop() {
    return loop.inEventLoop();
  }

  void onText(String text) {
    if (measuring) inBytes += Observers.utf8Length(text);
    Optional<SioPacket> packet;
    try {
      packet = decoder.add(text);
    } catch (SocketIoParseException e) {
      onDecodeError(e);
      return;
    }
    packet.ifPresent(this::onPacket);
  }

  void onBinary(byte[] data) {
    inBytes += data.length;
    Optional<SioPacket> packet;
    try {
      packet = decoder.add(data);
    } catch (SocketIoParseException e) {
      onDecodeError(e);
      return;
    }
    packet.ifPresent(this::onPacket);
  }

  private void onDecodeError(SocketIoParseException e) {
    log.debug("invalid packet from {}: {}", conn.id(), e.getMessage());
    for (Socket s : new ArrayList<>(sockets.values())) {
      s.fireError(e);
    }
    conn.close();
  }

  private void onPacket(SioPacket packet) {
    packetBytes = inBytes;
    inBytes = 0;
    String name = packet.namespace();
    if (legacy) {
      name = LegacyProtocol.name(name);
    }
    Socket socket = sockets.get(name);
    if (packet.type() == SioPacketType.CONNECT && socket == null) {
      JsonNode auth =
          legacy
              ? LegacyProtocol.auth(packet.namespace(), server.mapper())
              : packet.data().orElseGet(server.mapper()::createObjectNode);
      ConnectFlow.start(server, this, name, auth);
    } else if (socket != null
        && packet.type() != SioPacketType.CONNECT
        && packet.type() != SioPacketType.CONNECT_ERROR) {
      socket.onPacket(packet);
    } else {
      // A packet for a namespace the client did not join, a second CONNECT, or a CONNECT_ERROR
      // from a client: the reference closes the whole connection ("invalid state").
      log.debug(
          "invalid state on {}: {} for namespace {} ({}), closing the connection",
          conn.id(),
          packet.type(),
          name,
          socket == null ? "not joined" : "already joined");
      conn.close();
    }
  }

  /** A socket was accepted by its namespace. */
  void added(Socket socket) {
    sockets.put(socket.namespace().name(), socket);
    if (connectTimer != null) {
      connectTimer.cancel(false);
      connectTimer = null;
    }
  }

  void remove(Socket socket) {
    sockets.remove(socket.namespace().name(), socket);
  }

  boolean isOpen() {
    return !closed && conn.isOpen();
  }

  void write(SioPacket packet, BroadcastFlags flags) {
    writeEncoded(packet, server.parser().encode(packet), flags, false);
  }

  /**
   * Writes the frames of a packet back to back; {@code shared} when the same encoded packet goes to
   * many connections (a broadcast), so that the engine makes its wire bytes once. Runs on the loop.
   */
  void writeEncoded(
      SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags, boolean shared) {
    if (closed) {
      return;
    }
    int n = encoded.frameCount();
    Delivery delivery = delivery(packet, flags, n);
    if (n > 1 && flags.isVolatile() && !conn.isWritable()) {
      // Decided once for the whole packet: its attachments must not go without their header.
      return;
    }
    boolean compress = flags.compress();
    if (!server.connectionObservers().isEmpty()) {
      observeOut(encoded, n);
    }
    for (int i = 0; i < n; i++) {
      if (shared) {
        conn.send(encoded.enginePacket(i), compress, delivery);
      } else if (encoded.isText(i)) {
        conn.send(encoded.text(i), compress, delivery);
      } else {
        conn.send(encoded.binary(i), compress, delivery);
      }
    }
    if (measuring) reportSent(packet, encoded, shared);
  }

  private void reportSent(SioPacket packet, EncodedSioPacket encoded, boolean shared) {
    SioPacketType type = packet.type();
    if ((type == SioPacketType.EVENT || type == SioPacketType.BINARY_EVENT)
        && packet.data().isPresent()) {
      String event = packet.data().get().path(0).asText();
      observer.eventSent(packet.namespace(), event, encoded.byteLength(), shared);
    }
  }

  private void observeOut(EncodedSioPacket encoded, int frames) {
    for (int i = 0; i < frames; i++) {
      int bytes =
          encoded.isText(i) ? Observers.utf8Length(encoded.text(i)) : encoded.binary(i).length;
      server.observe(o -> o.onMessageOut(conn, bytes));
    }
  }

  /**
   * What a slow client may lose of this packet (see {@code SlowConsumerPolicy}): a volatile event
   * goes only if the connection takes it at once; an event without ack may be dropped by the
   * drop-oldest policy; everything else (acks, connects, disconnects, events waiting for an ack,
   * and packets with attachments, which must not lose a frame) is essential.
   */
  private static Delivery delivery(SioPacket packet, BroadcastFlags flags, int frames) {
    if (frames != 1 || packet.type() != SioPacketType.EVENT || packet.hasAckId()) {
      return Delivery.ESSENTIAL;
    }
    return flags.isVolatile() ? Delivery.VOLATILE : Delivery.DROPPABLE;
  }

  /** The connection can take writes again: tells the sockets that wait for it. */
  void onDrain() {
    if (closed) {
      return;
    }
    for (Socket s : sockets.values()) {
      if (s.hasDrainListeners()) {
        // A listener may disconnect a socket, which changes the map.
        for (Socket t : new ArrayList<>(sockets.values())) {
          t.fireDrain();
        }
        return;
      }
    }
  }

  /**
   * Writes out now what was sent; for the CONNECT answer, see {@link EngineIoSocket#flushNow()}.
   */
  void flushNow() {
    conn.flushNow();
  }

  /** {@code socket.disconnect(true)}: every socket leaves, then the connection closes. */
  void disconnectAll() {
    for (Socket s : new ArrayList<>(sockets.values())) {
      write(SioPacket.disconnect(s.namespace().name()), BroadcastFlags.DEFAULT);
      s.onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    }
    conn.close();
  }

  /** The server is shutting down: every socket gets that reason, then the connection closes. */
  void shutdown() {
    for (Socket s : new ArrayList<>(sockets.values())) {
      s.onClose(DisconnectReason.SERVER_SHUTTING_DOWN);
    }
    conn.close();
  }

  /** The Engine.IO connection closed. */
  void onClose(CloseReason reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (connectTimer != null) {
      connectTimer.cancel(false);
    }
    DisconnectReason r = map(reason);
    for (Socket s : new ArrayList<>(sockets.values())) {
      s.onClose(r);
    }
    sockets.clear();
    decoder.destroy();
  }

  private static DisconnectReason map(CloseReason reason) {
    switch (reason) {
      case PING_TIMEOUT:
        return DisconnectReason.PING_TIMEOUT;
      case TRANSPORT_ERROR:
        return DisconnectReason.TRANSPORT_ERROR;
      case PARSE_ERROR:
        return DisconnectReason.PARSE_ERROR;
      case FORCED_CLOSE:
        return DisconnectReason.FORCED_CLOSE;
      case SLOW_CONSUMER:
        return DisconnectReason.SLOW_CONSUMER;
      case TRANSPORT_CLOSE:
      default:
        return DisconnectReason.TRANSPORT_CLOSE;
    }
  }
}
