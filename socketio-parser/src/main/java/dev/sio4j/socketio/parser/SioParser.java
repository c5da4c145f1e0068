package dev.sio4j.socketio.parser;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Socket.IO parser: how packets become Engine.IO messages and back. Both ends of a connection
 * must use the same one, like the {@code parser} option of the JavaScript server and client.
 *
 * <ul>
 *   <li>{@link #json()}: the default, the official {@code socket.io-parser} format (text packets,
 *       binary values as attachments after them).
 *   <li>{@code MsgpackParser.create()} in {@code socketio-parser-msgpack}: the npm {@code
 *       socket.io-msgpack-parser} format (one binary message per packet).
 * </ul>
 *
 * <p>A server encodes a broadcast once and writes the same {@link EncodedSioPacket} to every
 * target, so {@link #encode} must not depend on the connection. Decoding is stateful (a packet may
 * span messages), hence one {@link SioPacketDecoder} per connection.
 *
 * <p>Thread-safety: implementations must be thread-safe: {@link #encode} is called from any thread
 * (event loops, broadcasting threads) and {@link #newDecoder} from every event loop.
 */
public interface SioParser {
  /**
   * Encodes one packet into the frames to send.
   *
   * @throws IllegalArgumentException if this format cannot carry the packet (for instance binary
   *     data in a CONNECT packet with the JSON parser)
   */
  EncodedSioPacket encode(SioPacket packet);

  /** A decoder for a new connection. */
  SioPacketDecoder newDecoder();

  /**
   * The default JSON parser with a plain {@link ObjectMapper} and the reference's limit of {@value
   * SioDecoder#DEFAULT_MAX_ATTACHMENTS} attachments per packet. Shared.
   */
  static SioParser json() {
    return JsonSioParser.DEFAULT;
  }

  /**
   * The JSON parser with this mapper (used for values that are not yet JSON trees, and whose node
   * factory and read features apply when decoding) and this attachment limit.
   *
   * @param maxAttachments the most binary attachments one received packet may announce
   * @throws IllegalArgumentException if {@code maxAttachments} is negative
   */
  static SioParser json(ObjectMapper mapper, int maxAttachments) {
    return new JsonSioParser(mapper, maxAttachments);
  }
}
