package dev.sio4j.engineio.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Builds complete, unmasked WebSocket text frames (RFC 6455 §5.2: FIN, opcode 1, no extension bits)
 * in one pooled buffer, header included, so that a server-to-client Engine.IO packet is written
 * without a frame object and without the frame encoder's second buffer and copy. Only for
 * connections without extensions: a permessage-deflate connection goes through Netty's encoders.
 *
 * <p>Thread-safety: stateless.
 */
final class RawTextFrames {
  /** The longest header of an unmasked frame: 2 bytes and an 8-byte length. */
  static final int MAX_HEADER = 10;

  private RawTextFrames() {}

  /** A text frame carrying the type character followed by {@code data} in UTF-8. */
  static ByteBuf frame(ByteBufAllocator alloc, char type, String data) {
    ByteBuf buf = alloc.ioBuffer(MAX_HEADER + 1 + ByteBufUtil.utf8MaxBytes(data));
    // The payload's UTF-8 length is known only once written: write it after the longest header's
    // room, then put the header right in front of it.
    buf.writerIndex(MAX_HEADER);
    buf.writeByte(type);
    ByteBufUtil.writeUtf8(buf, data);
    int length = buf.writerIndex() - MAX_HEADER;
    int start = MAX_HEADER - headerLength(length);
    buf.readerIndex(start);
    writeHeader(buf, start, length);
    return buf;
  }

  /** A text frame carrying {@code payload}, already UTF-8. */
  static ByteBuf frame(ByteBufAllocator alloc, byte[] payload) {
    int header = headerLength(payload.length);
    ByteBuf buf = alloc.ioBuffer(header + payload.length);
    writeHeader(buf, 0, payload.length);
    buf.writerIndex(header);
    buf.writeBytes(payload);
    return buf;
  }

  static int headerLength(int payloadLength) {
    if (payloadLength < 126) {
      return 2;
    }
    return payloadLength <= 0xFFFF ? 4 : 10;
  }

  private static void writeHeader(ByteBuf buf, int at, int length) {
    buf.setByte(at, 0x81); // FIN + text
    if (length < 126) {
      buf.setByte(at + 1, length);
    } else if (length <= 0xFFFF) {
      buf.setByte(at + 1, 126);
      buf.setShort(at + 2, length);
    } else {
      buf.setByte(at + 1, 127);
      buf.setLong(at + 2, length);
    }
  }
}
