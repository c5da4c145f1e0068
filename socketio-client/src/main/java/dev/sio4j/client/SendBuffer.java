package dev.sio4j.client;

import dev.sio4j.socketio.parser.SioPacket;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emits made while the socket is not connected, sent in order once it is: bounded by {@link
 * SocketOptions#sendBufferSize()}, full according to {@link SocketOptions#sendBufferOverflow()}.
 *
 * <p>Why a class of its own: the bound and the overflow policy are kept in one place, apart from
 * the emitting and the connection state of the socket.
 *
 * <p>Thread-safety: confined to the client's event loop.
 */
final class SendBuffer {
  private static final Logger log = LoggerFactory.getLogger(ClientSocket.class);

  private final ArrayDeque<SioPacket> packets = new ArrayDeque<>();
  private final String nsp;
  private final int capacity;
  private final BufferOverflow overflow;

  SendBuffer(String nsp, SocketOptions opts) {
    this.nsp = nsp;
    this.capacity = opts.sendBufferSize();
    this.overflow = opts.sendBufferOverflow();
  }

  /**
   * Buffers {@code packet}; when full, drops the newest emit (this one) or, with {@link
   * BufferOverflow#DROP_OLDEST}, the oldest.
   *
   * @return the packet dropped, or null
   */
  SioPacket add(SioPacket packet) {
    if (packets.size() < capacity) {
      packets.addLast(packet);
      return null;
    }
    SioPacket dropped;
    if (overflow == BufferOverflow.DROP_OLDEST && capacity > 0) {
      dropped = packets.pollFirst();
      packets.addLast(packet);
    } else {
      dropped = packet;
    }
    log.warn("send buffer of {} full ({} packets): dropped an emit", nsp, capacity);
    return dropped;
  }

  /** Everything buffered, in order; the buffer is empty afterwards. */
  List<SioPacket> takeAll() {
    List<SioPacket> all = List.copyOf(packets);
    packets.clear();
    return all;
  }

  /** Removes the emit waiting for this ack (its ack timed out before it could be sent). */
  void removeAck(long ackId) {
    packets.removeIf(p -> p.ackId() == ackId);
  }

  /** Whether the emit waiting for this ack is still buffered. */
  boolean holdsAck(long ackId) {
    for (SioPacket p : packets) {
      if (p.ackId() == ackId) {
        return true;
      }
    }
    return false;
  }
}
