package dev.sio4j.socketio.parser;

import java.util.Optional;

/**
 * Turns the Engine.IO {@code message}s of one connection back into Socket.IO packets: the decoding
 * half of a {@link SioParser}. Feed it every message in arrival order, text with {@link
 * #add(String)} and binary with {@link #add(byte[])}; a message completes at most one packet (the
 * JSON parser's binary packets take a header and then their attachments).
 *
 * <p>Input that is not a valid packet throws {@link SocketIoParseException}. The connection should
 * then be closed: the decoder's state is undefined until {@link #destroy()}.
 *
 * <p>Decoders enforce their parser's limits (attachments per packet for the JSON parser, nesting
 * depth for msgpack); the size of one message is bounded below them, by the Engine.IO {@code
 * maxHttpBufferSize}.
 *
 * <p>Thread-safety: not thread-safe. A decoder holds the state of a partially received packet, so
 * use one per connection, confined to the thread (event loop) that reads that connection.
 */
public interface SioPacketDecoder {
  /**
   * Decodes a text message.
   *
   * @return the packet, or empty when it needs more messages to complete
   * @throws SocketIoParseException if the text is not valid here
   */
  Optional<SioPacket> add(String text);

  /**
   * Decodes a binary message. The decoder takes ownership of the array (decoded binary values may
   * wrap it rather than copy it).
   *
   * @return the packet, or empty when it needs more messages to complete
   * @throws SocketIoParseException if the bytes are not valid here
   */
  Optional<SioPacket> add(byte[] binary);

  /** Drops any partially received packet; the connection is closing or starting afresh. */
  void destroy();
}
