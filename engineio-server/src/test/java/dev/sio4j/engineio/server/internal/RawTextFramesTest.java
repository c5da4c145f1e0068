package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RawTextFrames} against Netty's own server-side frame encoder: the same payload must give
 * the same bytes, at every boundary of the 7-bit, 16-bit and 64-bit length forms.
 */
public class RawTextFramesTest {
  private static final ByteBufAllocator POOLED = ByteBufAllocator.DEFAULT;
  private static final ByteBufAllocator UNPOOLED = new UnpooledByteBufAllocator(false);

  /** Total payload lengths (type character included) around each length-form boundary. */
  private static final int[] PAYLOAD_LENGTHS = {
    1, 2, 124, 125, 126, 127, 1000, 65534, 65535, 65536, 70000
  };

  /** Units that the data is made of: 1, 2, 3 and 4 UTF-8 bytes. */
  private static final String[] UNITS = {"a", "é", "€", "😀"};

  /**
   * A string of exactly {@code bytes} UTF-8 bytes, made of as many {@code unit}s as fit, topped up
   * with ASCII so that the multi-byte characters reach the exact boundary lengths.
   */
  public static String fill(String unit, int bytes) {
    int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
    int count = bytes / unitBytes;
    String s = "x".repeat(bytes - count * unitBytes) + unit.repeat(count);
    assertEquals(bytes, s.getBytes(StandardCharsets.UTF_8).length, "test data length");
    return s;
  }

  static Stream<Arguments> textCases() {
    List<Arguments> cases = new ArrayList<>();
    for (int payload : PAYLOAD_LENGTHS) {
      for (String unit : UNITS) {
        cases.add(Arguments.of(payload, unit));
      }
    }
    return cases.stream();
  }

  /** What Netty's server-side encoder (no mask) writes for a text frame of {@code payload}. */
  static byte[] nettyFrame(byte[] payload) {
    EmbeddedChannel channel = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
    try {
      assertTrue(channel.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload))));
      // The encoder may write the header and the payload as separate buffers.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Object o; (o = channel.readOutbound()) != null; ) {
        ByteBuf buf = (ByteBuf) o;
        try {
          out.writeBytes(ByteBufUtil.getBytes(buf));
        } finally {
          buf.release();
        }
      }
      return out.toByteArray();
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  /** The readable bytes of {@code frame}, which is released. */
  static byte[] drain(ByteBuf frame) {
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      assertTrue(frame.release(), "frame still referenced elsewhere");
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "payload {0} bytes of {1}")
  @MethodSource("textCases")
  void typeAndStringMatchesNettyEncoder(int payloadLength, String unit) {
    String data = fill(unit, payloadLength - 1);
    byte[] payload = utf8("4" + data);
    assertEquals(payloadLength, payload.length);
    byte[] expected = nettyFrame(payload);
    assertEquals(RawTextFrames.headerLength(payloadLength) + payloadLength, expected.length);
    for (ByteBufAllocator alloc : List.of(POOLED, UNPOOLED)) {
      ByteBuf frame = RawTextFrames.frame(alloc, '4', data);
      assertEquals(expected.length, frame.readableBytes());
      assertArrayEquals(expected, drain(frame), "frame of " + payloadLength + " bytes");
    }
  }

  @ParameterizedTest(name = "payload {0} bytes of {1}")
  @MethodSource("textCases")
  void encodedPayloadMatchesNettyEncoder(int payloadLength, String unit) {
    byte[] payload = utf8("4" + fill(unit, payloadLength - 1));
    byte[] expected = nettyFrame(payload);
    for (ByteBufAllocator alloc : List.of(POOLED, UNPOOLED)) {
      ByteBuf frame = RawTextFrames.frame(alloc, payload);
      assertEquals(expected.length, frame.readableBytes());
      assertArrayEquals(expected, drain(frame), "frame of " + payloadLength + " bytes");
    }
  }

  @Test
  void typeCharacterOnly() {
    // "4" with empty data: a 1-byte payload, the smallest a packet can have
    byte[] expected = nettyFrame(new byte[] {'4'});
    assertArrayEquals(new byte[] {(byte) 0x81, 1, '4'}, expected);
    assertArrayEquals(expected, drain(RawTextFrames.frame(POOLED, '4', "")));
    assertArrayEquals(expected, drain(RawTextFrames.frame(POOLED, new byte[] {'4'})));
  }

  @Test
  void emptyEncodedPayload() {
    byte[] expected = nettyFrame(new byte[0]);
    assertArrayEquals(new byte[] {(byte) 0x81, 0}, expected);
    assertArrayEquals(expected, drain(RawTextFrames.frame(POOLED, new byte[0])));
    assertArrayEquals(expected, drain(RawTextFrames.frame(UNPOOLED, new byte[0])));
  }

  @Test
  void otherTypeCharacters() {
    for (char type : new char[] {'0', '2', '3', '6'}) {
      String data = type == '0' ? "{\"sid\":\"abc\"}" : "probé";
      byte[] expected = nettyFrame(utf8(type + data));
      assertArrayEquals(expected, drain(RawTextFrames.frame(POOLED, type, data)), "type " + type);
    }
  }

  @Test
  void mixedCharactersAcrossTheBoundaries() {
    String mixed = "aé€😀";
    for (int repeat : new int[] {1, 12, 13, 6553, 6554, 7000}) {
      String data = mixed.repeat(repeat);
      byte[] payload = utf8("4" + data);
      byte[] expected = nettyFrame(payload);
      assertArrayEquals(expected, drain(RawTextFrames.frame(POOLED, '4', data)));
      assertArrayEquals(expected, drain(RawTextFrames.frame(POOLED, payload)));
    }
  }

  @Test
  void sharedPacketEncodingGivesTheSameFrameAsTypeAndData() {
    for (String data : new String[] {"", "héllo", fill("€", 124), fill("😀", 65534)}) {
      byte[] encoded = EngineIoCodec.v4().encodePacketUtf8(Packet.message(data));
      byte[] expected = nettyFrame(encoded);
      assertArrayEquals(expected, drain(RawTextFrames.frame(POOLED, encoded)));
      assertArrayEquals(expected, drain(RawTextFrames.frame(POOLED, '4', data)));
    }
  }

  @Test
  void headerStartsAtTheReaderIndex() {
    // the type-and-string overload writes the payload first and the header in front of it
    for (int payloadLength : PAYLOAD_LENGTHS) {
      ByteBuf frame = RawTextFrames.frame(POOLED, '4', "x".repeat(payloadLength - 1));
      try {
        int header = RawTextFrames.headerLength(payloadLength);
        assertEquals(header + payloadLength, frame.readableBytes());
        assertEquals(0x81, frame.getUnsignedByte(frame.readerIndex()));
        assertEquals('4', frame.getByte(frame.readerIndex() + header));
      } finally {
        frame.release();
      }
    }
  }

  @Test
  void headerLengthBoundaries() {
    assertEquals(2, RawTextFrames.headerLength(0));
    assertEquals(2, RawTextFrames.headerLength(1));
    assertEquals(2, RawTextFrames.headerLength(124));
    assertEquals(2, RawTextFrames.headerLength(125));
    assertEquals(4, RawTextFrames.headerLength(126));
    assertEquals(4, RawTextFrames.headerLength(127));
    assertEquals(4, RawTextFrames.headerLength(65534));
    assertEquals(4, RawTextFrames.headerLength(65535));
    assertEquals(10, RawTextFrames.headerLength(65536));
    assertEquals(10, RawTextFrames.headerLength(70000));
    assertEquals(10, RawTextFrames.headerLength(Integer.MAX_VALUE));
    assertTrue(RawTextFrames.MAX_HEADER >= RawTextFrames.headerLength(Integer.MAX_VALUE));
  }

  @Test
  void headerLengthAgreesWithNettyEncoder() {
    for (int payloadLength : new int[] {0, 1, 125, 126, 65535, 65536}) {
      byte[] frame = nettyFrame(new byte[payloadLength]);
      assertEquals(RawTextFrames.headerLength(payloadLength), frame.length - payloadLength);
    }
  }
}
