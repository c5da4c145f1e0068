package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WebTransport stream framing, byte for byte as the reference's packet encoder stream writes it
 * and its decoder stream reads it.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WebTransportFramesTest {
  private static final EngineIoCodec V4 = EngineIoCodec.v4();

  private static byte[] encode(Packet p) {
    ByteBuf buf = WebTransportFrames.encode(Unpooled.buffer().alloc(), V4, p);
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private static String hex(byte[] bytes, int n) {
    return HexFormat.of().formatHex(Arrays.copyOf(bytes, n));
  }

  @Test
  void aShortTextPacketHasAOneByteHeaderThenTheUtf8OfTypeAndData() {
    assertArrayEquals(
        new byte[] {6, '4', 'h', 'e', 'l', 'l', 'o'}, encode(Packet.message("hello")));
    // length in bytes, not characters: "é" is two
    assertEquals("0334c3a9", HexFormat.of().formatHex(encode(Packet.message("é"))));
    assertArrayEquals(new byte[] {1, '2'}, encode(Packet.PING));
    assertArrayEquals(new byte[] {6, '3', 'p', 'r', 'o', 'b', 'e'}, encode(Packet.PONG_PROBE));
  }

  @Test
  void binaryMessagesSetTheTopBitAndCarryTheRawBytes() {
    assertArrayEquals(
        new byte[] {(byte) 0x83, 1, 2, (byte) 255}, encode(Packet.binary(new byte[] {1, 2, -1})));
  }

  @Test
  void lengthsFrom126Take16BitsAndFrom65536Take64Bits() {
    assertEquals("7d", hex(encode(Packet.message("x".repeat(124))), 1)); // 125 bytes
    assertEquals("7e007e", hex(encode(Packet.message("x".repeat(125))), 3)); // 126
    assertEquals("7effff", hex(encode(Packet.message("x".repeat(65_534))), 3)); // 65535
    byte[] big = encode(Packet.message("x".repeat(65_535))); // 65536
    assertEquals("7f0000000000010000", hex(big, 9));
    assertEquals(9 + 65_536, big.length);
    assertEquals("fe0100", hex(encode(Packet.binary(new byte[256])), 3));
    assertEquals("ff0000000000011170", hex(encode(Packet.binary(new byte[70_000])), 9));
  }

  private static EmbeddedChannel decoder(long max) {
    return new EmbeddedChannel(new WebTransportFrames.Decoder(V4, max));
  }

  @Test
  void decodesEveryHeaderSizeEvenOneByteAtATime() {
    byte[] stream =
        concat(
            encode(Packet.message("hello")),
            encode(Packet.binary(new byte[] {7, 8})),
            encode(Packet.message("y".repeat(300))),
            encode(Packet.binary(new byte[70_000])),
            encode(Packet.PING_PROBE));
    EmbeddedChannel ch = decoder(1_000_000);
    for (byte b : stream) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertEquals(Packet.message("hello"), ch.readInbound());
    assertArrayEquals(new byte[] {7, 8}, ((Packet) ch.readInbound()).binaryData());
    assertEquals("y".repeat(300), ((Packet) ch.readInbound()).textData());
    Packet big = ch.readInbound();
    assertTrue(big.isBinary());
    assertEquals(70_000, big.binaryData().length);
    assertEquals(Packet.PING_PROBE, ch.readInbound());
    assertNull(ch.readInbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void decodesSeveralPacketsOfOneChunk() {
    EmbeddedChannel ch = decoder(100);
    ch.writeInbound(
        Unpooled.wrappedBuffer(concat(encode(Packet.of(PacketType.OPEN)), encode(Packet.UPGRADE))));
    assertEquals(PacketType.OPEN, ((Packet) ch.readInbound()).type());
    assertEquals(Packet.UPGRADE, ch.readInbound());
    ch.finishAndReleaseAll();
  }

  private static String errorOf(EmbeddedChannel ch, byte[] input) {
    ch.writeInbound(Unpooled.wrappedBuffer(input));
    Object first = ch.readInbound();
    assertInstanceOf(WebTransportFrames.DecodeError.class, first);
    // nothing more is read from a stream after an error
    ch.writeInbound(Unpooled.wrappedBuffer(encode(Packet.message("late"))));
    assertNull(ch.readInbound());
    ch.finishAndReleaseAll();
    return ((WebTransportFrames.DecodeError) first).description;
  }

  @Test
  void anEmptyPacketIsAnError() {
    assertEquals("empty packet", errorOf(decoder(100), new byte[] {0}));
    assertEquals("empty packet", errorOf(decoder(100), new byte[] {(byte) 0x80}));
    assertEquals("empty packet", errorOf(decoder(100), new byte[] {126, 0, 0}));
  }

  @Test
  void aPacketOverTheLimitIsRefusedFromItsHeaderAlone() {
    // 11 bytes announced, 10 allowed: refused before any payload arrives
    assertEquals("packet over maxHttpBufferSize", errorOf(decoder(10), new byte[] {11}));
    assertEquals(
        "packet over maxHttpBufferSize",
        errorOf(decoder(1000), new byte[] {126, 0x03, (byte) 0xe9}));
    assertEquals(
        "packet over maxHttpBufferSize",
        errorOf(decoder(1000), new byte[] {127, 0, 0, 0, 0, 0, 0, 0x03, (byte) 0xe9}));
    // exactly the limit is fine
    EmbeddedChannel ch = decoder(6);
    ch.writeInbound(Unpooled.wrappedBuffer(encode(Packet.message("hello"))));
    assertEquals(Packet.message("hello"), ch.readInbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void aLengthBeyondTheLargestSafeIntegerIsAnError() {
    // 2^53 announced: over JavaScript's exact integers, refused as the reference does
    assertEquals(
        "length over 2^53 - 1",
        errorOf(decoder(Long.MAX_VALUE), new byte[] {127, 0, 0x20, 0, 0, 0, 0, 0, 0}));
    assertEquals(
        "length over 2^53 - 1",
        errorOf(decoder(Long.MAX_VALUE), new byte[] {127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1}));
  }

  @Test
  void anUndecodableTextPacketIsAnError() {
    byte[] unknownType = "9x".getBytes(StandardCharsets.UTF_8);
    byte[] input = concat(new byte[] {2}, unknownType);
    errorOf(decoder(100), input);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, i, p.length);
      i += p.length;
    }
    return out;
  }
}
