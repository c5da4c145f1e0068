package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * A socket connected to this node, as an adapter may use it: local delivery, rooms, disconnection
 * and a serialisable snapshot. Sockets of other nodes are never handles: they are reached through
 * the cluster, by their id's room, and described by {@link SocketDetails}.
 *
 * <p>Thread-safety: every method may be called from any thread; the socket applies the work on its
 * own event loop, in call order (delivery from the socket's own loop is immediate).
 */
public interface SocketHandle {
  String id();

  /**
   * Writes an already encoded packet ({@code packet} is its decoded form, for outgoing listeners).
   * A volatile packet is dropped when the transport is not ready; nothing happens once the socket
   * disconnected.
   */
  void deliver(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags);

  /**
   * Like {@link #deliver}, after registering {@code onAck} for the packet's ack id: it gets the
   * client's ack arguments, once.
   */
  void deliverWithAck(
      SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags, Consumer<ArrayNode> onAck);

  /** Joins rooms, on the calling thread (as {@code socket.join}). */
  void join(Collection<String> rooms);

  /** Leaves rooms, on the calling thread. */
  void leave(Collection<String> rooms);

  void disconnect(boolean close);

  /** A snapshot of the socket: id, handshake, rooms, data. */
  SocketDetails details();
}
