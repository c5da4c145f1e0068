package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.EngineIoParseException;
import dev.sio4j.engineio.parser.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Engine.IO's framing on a WebTransport stream (the reference's packet encoder and decoder
 * streams): each packet is a header then its payload. The header's first byte carries the binary
 * flag in its top bit and, in its low 7 bits, the payload length when below 126; 126 announces a
 * 16-bit length and 127 a 64-bit one (big-endian) that must stay within 2^53 - 1. The payload is
 * the UTF-8 of {@code <type><data>} for a text packet and the raw bytes of a binary message.
 *
 * <p>Thread-safety: the static methods are stateless; a {@link Decoder} belongs to one stream.
 */
final class WebTransportFrames {
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private WebTransportFrames() {}

  /** One packet, header and payload, in a buffer of {@code alloc}. */
  static ByteBuf encode(ByteBufAllocator alloc, EngineIoCodec codec, Packet packet) {
    byte[] payload = packet.isBinary() ? packet.binaryData() : codec.encodePacketUtf8(packet);
    int length = payload.length;
    int headerSize = length < 126 ? 1 : length < 65_536 ? 3 : 9;
    ByteBuf out = alloc.buffer(headerSize + length);
    int flag = packet.isBinary() ? 0x80 : 0;
    if (length < 126) {
      out.writeByte(flag | length);
    } else if (length < 65_536) {
      out.writeByte(flag | 126);
      out.writeShort(length);
    } else {
      out.writeByte(flag | 127);
      out.writeLong(length);
    }
    return out.writeBytes(payload);
  }

  /** What the decoder hands on after a framing or parse error; it reads nothing more after it. */
  static final class DecodeError {
    final String description;

    DecodeError(String description) {
      this.description = description;
    }
  }

  /**
   * Splits a stream into packets. A payload is held until whole, so what it buffers is bounded by
   * {@code maxPayload} (the server's {@code maxHttpBufferSize}) plus a header; a longer one is
   * refused as the header announces it, before any of it is buffered. A zero length is an error, as
   * in the reference.
   */
  static final class Decoder extends ByteToMessageDecoder {
    private enum State {
      HEADER,
      LENGTH_16,
      LENGTH_64,
      PAYLOAD,
      FAILED
    }

    private final EngineIoCodec codec;
    private final long maxPayload;
    private State state = State.HEADER;
    private boolean binary;
    private long length;

    Decoder(EngineIoCodec codec, long maxPayload) {
      this.codec = codec;
      this.maxPayload = maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      while (true) {
        switch (state) {
          case FAILED:
            in.skipBytes(in.readableBytes());
            return;
          case HEADER:
            if (!in.isReadable()) {
              return;
            }
            int b = in.readUnsignedByte();
            binary = (b & 0x80) != 0;
            length = b & 0x7f;
            if (length == 126) {
              state = State.LENGTH_16;
              continue;
            }
            if (length == 127) {
              state = State.LENGTH_64;
              continue;
            }
            break;
          case LENGTH_16:
            if (in.readableBytes() < 2) {
              return;
            }
            length = in.readUnsignedShort();
            break;
          case LENGTH_64:
            if (in.readableBytes() < 8) {
              return;
            }
            length = in.readLong();
            if (length < 0 || length > MAX_SAFE_INTEGER) {
              fail(in, out, "length over 2^53 - 1");
              return;
            }
            break;
          case PAYLOAD:
            if (in.readableBytes() < length) {
              return;
            }
            byte[] payload = new byte[(int) length];
            in.readBytes(payload);
            state = State.HEADER;
            if (binary) {
              out.add(Packet.binary(payload));
            } else {
              try {
                out.add(codec.decodePacket(new String(payload, StandardCharsets.UTF_8)));
              } catch (EngineIoParseException e) {
                fail(in, out, e.getMessage());
                return;
              }
            }
            continue;
          default:
            throw new IllegalStateException(state.name());
        }
        // a length is known
        if (length == 0) {
          fail(in, out, "empty packet");
          return;
        }
        if (length > maxPayload) {
          fail(in, out, "packet over maxHttpBufferSize");
          return;
        }
        state = State.PAYLOAD;
      }
    }

    private void fail(ByteBuf in, List<Object> out, String description) {
      state = State.FAILED;
      in.skipBytes(in.readableBytes());
      out.add(new DecodeError(description));
    }
  }
}
