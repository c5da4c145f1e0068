package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * What an adapter may do with a socket connected to this node: the emitter interface the server
 * hands to adapters, so that adapters never reach into server classes.
 *
 * <p>Thread-safety: every method may be called from any thread; the socket applies the work on its
 * own event loop, in call order.
 */
public interface SocketHandle {
  String id();

  /**
   * Writes an already encoded packet ({@code packet} is its decoded form, for outgoing listeners).
   * A volatile packet is dropped when the transport is not ready.
   */
  void deliver(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags);

  /**
   * Like {@link #deliver}, after registering {@code onAck} for the packet's ack id: it gets the
   * client's ack arguments, once.
   */
  void deliverWithAck(
      SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags, Consumer<ArrayNode> onAck);

  void join(Collection<String> rooms);

  void leave(Collection<String> rooms);

  void disconnect(boolean close);

  /** A snapshot of the socket: id, handshake, rooms, data. */
  SocketDetails details();
}
