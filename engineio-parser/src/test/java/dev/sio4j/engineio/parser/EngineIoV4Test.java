package dev.sio4j.engineio.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden vectors of the Engine.IO v4 codec (engine.io-parser 5.x), exact strings and bytes. */
class EngineIoV4Test {
  private static final EngineIoV4 V4 = EngineIoV4.INSTANCE;
  private static final byte[] ONE_TO_FOUR = {1, 2, 3, 4};

  // ---- single packets ------------------------------------------------------------------------

  @Test
  void everyPacketTypeWithoutDataIsItsDigitAlone() {
    assertEquals("0", V4.encodePacket(Packet.of(PacketType.OPEN)));
    assertEquals("1", V4.encodePacket(Packet.CLOSE));
    assertEquals("2", V4.encodePacket(Packet.PING));
    assertEquals("3", V4.encodePacket(Packet.PONG));
    assertEquals("4", V4.encodePacket(Packet.message("")));
    assertEquals("5", V4.encodePacket(Packet.UPGRADE));
    assertEquals("6", V4.encodePacket(Packet.NOOP));
  }

  @Test
  void textDataFollowsTheTypeDigit() {
    assertEquals("4hello", V4.encodePacket(Packet.message("hello")));
    assertEquals("2probe", V4.encodePacket(Packet.PING_PROBE));
    assertEquals("3probe", V4.encodePacket(Packet.PONG_PROBE));
    assertEquals(
        "0{\"sid\":\"abc\"}", V4.encodePacket(Packet.text(PacketType.OPEN, "{\"sid\":\"abc\"}")));
  }

  @Test
  void nonAsciiTextIsCarriedAsIs() {
    assertEquals("4€", V4.encodePacket(Packet.message("€")));
    assertEquals("4\uD83D\uDE00", V4.encodePacket(Packet.message("😀")));
    assertEquals(Packet.message("😀 €"), V4.decodePacket("4😀 €"));
  }

  @Test
  void binaryPacketAsTextIsBPlusBase64WithoutTypeDigit() {
    assertEquals("bAQIDBA==", V4.encodePacket(Packet.binary(ONE_TO_FOUR)));
    assertEquals("b", V4.encodePacket(Packet.binary(new byte[0])));
    assertEquals("b/wA=", V4.encodePacket(Packet.binary(new byte[] {(byte) 0xff, 0})));
  }

  @Test
  void decodesEveryTextPacketType() {
    assertEquals(Packet.of(PacketType.OPEN), V4.decodePacket("0"));
    assertEquals(Packet.CLOSE, V4.decodePacket("1"));
    assertEquals(Packet.PING, V4.decodePacket("2"));
    assertEquals(Packet.PING_PROBE, V4.decodePacket("2probe"));
    assertEquals(Packet.PONG, V4.decodePacket("3"));
    assertEquals(Packet.PONG_PROBE, V4.decodePacket("3probe"));
    assertEquals(Packet.message("hello"), V4.decodePacket("4hello"));
    assertEquals(Packet.message(""), V4.decodePacket("4"));
    assertEquals(Packet.UPGRADE, V4.decodePacket("5"));
    assertEquals(Packet.NOOP, V4.decodePacket("6"));
  }

  @Test
  void decodesBase64PacketAsBinaryMessage() {
    Packet p = V4.decodePacket("bAQIDBA==");
    assertEquals(PacketType.MESSAGE, p.type());
    assertTrue(p.isBinary());
    assertArrayEquals(ONE_TO_FOUR, p.binaryData());
    assertEquals("", p.textData());
  }

  @Test
  void webSocketBinaryFrameIsTheMessageDataWithoutTypeByte() {
    byte[] frame = {4, 0, (byte) 0xff};
    Packet p = V4.decodeBinaryFrame(frame);
    assertEquals(PacketType.MESSAGE, p.type());
    assertArrayEquals(new byte[] {4, 0, (byte) 0xff}, p.binaryData());
  }

  @Test
  void textPacketHasNoBinaryData() {
    Packet p = V4.decodePacket("4abc");
    assertFalse(p.isBinary());
    assertThrows(IllegalStateException.class, p::binaryData);
  }

  // ---- payloads ------------------------------------------------------------------------------

  @Test
  void payloadJoinsPacketsWithRecordSeparator() {
    List<Packet> packets =
        List.of(
            Packet.of(PacketType.OPEN),
            Packet.CLOSE,
            Packet.PING_PROBE,
            Packet.PONG_PROBE,
            Packet.message("test"));
    assertEquals("0\u001e1\u001e2probe\u001e3probe\u001e4test", V4.encodePayload(packets));
    assertEquals(packets, V4.decodePayload("0\u001e1\u001e2probe\u001e3probe\u001e4test"));
  }

  @Test
  void payloadCarriesBinaryAsBase64Records() {
    List<Packet> packets = List.of(Packet.message("hello"), Packet.binary(ONE_TO_FOUR));
    assertEquals("4hello\u001ebAQIDBA==", V4.encodePayload(packets));
    List<Packet> decoded = V4.decodePayload("4hello\u001ebAQIDBA==");
    assertEquals(packets, decoded);
  }

  @Test
  void payloadWithNonBmpTextHasNoLengthPrefix() {
    List<Packet> packets = List.of(Packet.message("€"), Packet.message("😀"));
    assertEquals("4€\u001e4😀", V4.encodePayload(packets));
    assertEquals(packets, V4.decodePayload("4€\u001e4😀"));
  }

  @Test
  void emptyPacketListEncodesAsEmptyPayload() {
    assertEquals("", V4.encodePayload(List.of()));
  }

  @Test
  void singlePacketIsAValidPayload() {
    assertEquals(List.of(Packet.message("x")), V4.decodePayload("4x"));
  }

  // ---- rejections ----------------------------------------------------------------------------

  @Test
  void rejectsEmptyPacket() {
    EngineIoParseException e =
        assertThrows(EngineIoParseException.class, () -> V4.decodePacket(""));
    assertEquals("empty packet", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a123", "7", "9hello", "{", "/x", " 4"})
  void rejectsUnknownPacketType(String encoded) {
    EngineIoParseException e =
        assertThrows(EngineIoParseException.class, () -> V4.decodePacket(encoded));
    assertTrue(e.getMessage().startsWith("unknown packet type"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"b!!!!", "bAQIDBA=x", "bA", "b€€€€"})
  void rejectsMalformedBase64(String encoded) {
    EngineIoParseException e =
        assertThrows(EngineIoParseException.class, () -> V4.decodePacket(encoded));
    assertEquals("invalid base64 data", e.getMessage());
  }

  @Test
  void rejectsEmptyPayload() {
    assertThrows(EngineIoParseException.class, () -> V4.decodePayload(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{}", "[\"a123\", \"a456\"]"})
  void rejectsPayloadThatIsNotEngineIo(String payload) {
    assertThrows(EngineIoParseException.class, () -> V4.decodePayload(payload));
  }

  @Test
  void rejectsPayloadWithEmptyRecord() {
    assertThrows(EngineIoParseException.class, () -> V4.decodePayload("4a\u001e\u001e4b"));
    assertThrows(EngineIoParseException.class, () -> V4.decodePayload("4a\u001e"));
  }

  @Test
  void packetsBeforeMalformedRecordAreDeliveredThenDecodingStops() {
    List<Packet> delivered = new ArrayList<>();
    assertThrows(
        EngineIoParseException.class,
        () -> V4.decodePayload("4a\u001e4b\u001ex\u001e4c", delivered::add));
    assertEquals(List.of(Packet.message("a"), Packet.message("b")), delivered);
  }

  // ---- packet type -----------------------------------------------------------------------------

  @Test
  void packetTypeDigitsAreZeroToSix() {
    PacketType[] types = PacketType.values();
    assertEquals(7, types.length);
    for (int i = 0; i < types.length; i++) {
      assertEquals((char) ('0' + i), types[i].code());
      assertEquals(types[i], PacketType.fromCode('0' + i));
    }
    assertThrows(EngineIoParseException.class, () -> PacketType.fromCode('7'));
    assertThrows(EngineIoParseException.class, () -> PacketType.fromCode(-1));
  }

  @Test
  void encodePacketUtf8IsTheTextFrameEncodedOnce() {
    Packet p = Packet.message("h\u00e9");
    byte[] bytes = V4.encodePacketUtf8(p);
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new byte[] {'4', 'h', (byte) 0xc3, (byte) 0xa9}, bytes);
    org.junit.jupiter.api.Assertions.assertSame(bytes, V4.encodePacketUtf8(p));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new byte[] {'2'}, V4.encodePacketUtf8(Packet.of(PacketType.PING)));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> V4.encodePacketUtf8(Packet.binary(new byte[] {1})));
  }
}
