package dev.sio4j.engineio.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden vectors of the Engine.IO v3 codec (the reference's parser-v3), exact strings and bytes.
 */
class EngineIoV3Test {
  private static final EngineIoV3 V3 = EngineIoV3.INSTANCE;
  private static final byte FF = (byte) 0xff;

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- single packets ------------------------------------------------------------------------

  @Test
  void textPacketIsTypeDigitThenData() {
    assertEquals("4hello", V3.encodePacket(Packet.message("hello")));
    assertEquals("2probe", V3.encodePacket(Packet.PING_PROBE));
    assertEquals("3", V3.encodePacket(Packet.PONG));
    assertEquals("6", V3.encodePacket(Packet.NOOP));
    assertEquals(Packet.message("hello"), V3.decodePacket("4hello"));
    assertEquals(Packet.PING, V3.decodePacket("2"));
  }

  @Test
  void base64PacketKeepsTheTypeDigitAfterB() {
    assertEquals("b4AQIDBA==", V3.encodePacket(Packet.binary(bytes(1, 2, 3, 4))));
    Packet decoded = V3.decodePacket("b4AQIDBA==");
    assertEquals(PacketType.MESSAGE, decoded.type());
    assertArrayEquals(bytes(1, 2, 3, 4), decoded.binaryData());
  }

  @Test
  void base64PacketOfAnotherTypeKeepsItsType() {
    Packet decoded = V3.decodePacket("b2AQI=");
    assertEquals(PacketType.PING, decoded.type());
    assertArrayEquals(bytes(1, 2), decoded.binaryData());
  }

  @Test
  void webSocketBinaryFrameStartsWithTheRawTypeByte() {
    assertArrayEquals(bytes(4, 1, 2, 3), V3.encodeBinaryFrame(Packet.binary(bytes(1, 2, 3))));
    Packet p = V3.decodeBinaryFrame(bytes(4, 1, 2, 3));
    assertEquals(PacketType.MESSAGE, p.type());
    assertArrayEquals(bytes(1, 2, 3), p.binaryData());
    Packet empty = V3.decodeBinaryFrame(bytes(4));
    assertArrayEquals(new byte[0], empty.binaryData());
  }

  // ---- text payload --------------------------------------------------------------------------

  @Test
  void emptyTextPayloadIsZeroColon() {
    assertEquals("0:", V3.encodePayloadAsString(List.of()));
    assertEquals(List.of(), V3.decodePayload("0:"));
  }

  @Test
  void textPayloadPrefixesEachPacketWithItsLength() {
    List<Packet> packets = List.of(Packet.message("hello"), Packet.PING_PROBE);
    assertEquals("6:4hello6:2probe", V3.encodePayloadAsString(packets));
    assertEquals(packets, V3.decodePayload("6:4hello6:2probe"));
  }

  @Test
  void textPayloadLengthCountsUtf16CodeUnitsNotBytes() {
    // '€' is one UTF-16 unit (three UTF-8 bytes); '😀' is two UTF-16 units (four UTF-8 bytes).
    List<Packet> packets = List.of(Packet.message("hello"), Packet.message("€"));
    assertEquals("6:4hello2:4€", V3.encodePayloadAsString(packets));
    assertEquals(packets, V3.decodePayload("6:4hello2:4€"));

    List<Packet> emoji = List.of(Packet.message("😀"), Packet.message("a😀€"));
    assertEquals("3:4😀5:4a😀€", V3.encodePayloadAsString(emoji));
    assertEquals(emoji, V3.decodePayload("3:4😀5:4a😀€"));
  }

  @Test
  void textPayloadCarriesBinaryAsB4Base64() {
    List<Packet> packets = List.of(Packet.binary(bytes(1, 2, 3, 4)), Packet.message("x"));
    assertEquals("10:b4AQIDBA==2:4x", V3.encodePayloadAsString(packets));
    List<Packet> decoded = V3.decodePayload("10:b4AQIDBA==2:4x");
    assertEquals(packets, decoded);
  }

  @Test
  void textPayloadLengthsOfTwoDigitsAndMore() {
    String data = "x".repeat(120);
    assertEquals("121:4" + data, V3.encodePayloadAsString(List.of(Packet.message(data))));
    assertEquals(List.of(Packet.message(data)), V3.decodePayload("121:4" + data));
  }

  @Test
  void streamingDecodeValidatesTheWholePayloadFirst() {
    List<Packet> delivered = new ArrayList<>();
    assertThrows(
        EngineIoParseException.class, () -> V3.decodePayload("2:4a2:4b3:x", delivered::add));
    assertEquals(List.of(), delivered);
  }

  @Test
  void base64PacketWhosePayloadStartsWithADigitIsNotReadAsALength() {
    // 0xdf 0xbf encodes as "378=": after "b4" come digits that are data, not a length or a type.
    byte[] data = bytes(0xdf, 0xbf);
    assertEquals("b4378=", V3.encodePacket(Packet.binary(data)));
    List<Packet> packets = List.of(Packet.binary(data), Packet.message("12"), Packet.binary(data));
    String payload = "6:b4378=3:4126:b4378=";
    assertEquals(payload, V3.encodePayloadAsString(packets));
    List<Packet> decoded = V3.decodePayload(payload);
    assertEquals(3, decoded.size());
    assertArrayEquals(data, decoded.get(0).binaryData());
    assertEquals(Packet.message("12"), decoded.get(1));
    assertArrayEquals(data, decoded.get(2).binaryData());
  }

  @Test
  void severalBinaryPacketsInOneTextPayloadAsBase64() {
    // A Socket.IO BINARY_EVENT with two attachments, as a b64=1 (base64-only) client polls it.
    List<Packet> packets =
        List.of(
            Packet.message(
                "52-[\"e\",{\"_placeholder\":true,\"num\":0},"
                    + "{\"_placeholder\":true,\"num\":1}]"),
            Packet.binary(bytes(1, 2, 3)),
            Packet.binary(bytes(0xff)));
    String payload =
        "69:452-[\"e\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"
            + "6:b4AQID6:b4/w==";
    assertEquals(payload, V3.encodePayloadAsString(packets));
    List<Packet> decoded = V3.decodePayload(payload);
    assertEquals(packets.get(0), decoded.get(0));
    assertArrayEquals(bytes(1, 2, 3), decoded.get(1).binaryData());
    assertArrayEquals(bytes(0xff), decoded.get(2).binaryData());
  }

  // ---- binary payload ------------------------------------------------------------------------

  @Test
  void severalBinaryPacketsInOneBinaryPayload() {
    // A BINARY_EVENT header, three attachments (one empty, one of 300 bytes: three length
    // digits), then a plain event: each record is told apart by its own kind and length.
    byte[] big = new byte[300];
    big[299] = 9;
    List<Packet> packets =
        List.of(
            Packet.message("53-[\"e\"]"),
            Packet.binary(bytes(1, 2)),
            Packet.binary(new byte[0]),
            Packet.binary(big),
            Packet.message("2[\"x\"]"));
    byte[] expected =
        concat(
            bytes(0, 9, 0xff),
            utf8("453-[\"e\"]"),
            bytes(1, 3, 0xff, 4, 1, 2),
            bytes(1, 1, 0xff, 4),
            bytes(1, 3, 0, 1, 0xff, 4),
            big,
            bytes(0, 7, 0xff),
            utf8("42[\"x\"]"));
    assertArrayEquals(expected, V3.encodePayloadAsBinary(packets));
    List<Packet> decoded = V3.decodePayload(expected);
    assertEquals(5, decoded.size());
    assertEquals(packets.get(0), decoded.get(0));
    assertArrayEquals(bytes(1, 2), decoded.get(1).binaryData());
    assertArrayEquals(new byte[0], decoded.get(2).binaryData());
    assertArrayEquals(big, decoded.get(3).binaryData());
    assertEquals(packets.get(4), decoded.get(4));
  }

  @Test
  void binaryPayloadRecordsAreKindLengthDigitsFfThenBody() {
    List<Packet> packets = List.of(Packet.message("hello"), Packet.binary(bytes(1, 2, 3)));
    byte[] expected =
        concat(bytes(0, 6, 0xff), utf8("4hello"), bytes(1, 4, 0xff), bytes(4, 1, 2, 3));
    assertArrayEquals(expected, V3.encodePayloadAsBinary(packets));
    assertEquals(packets, V3.decodePayload(expected));
  }

  @Test
  void binaryPayloadTextLengthCountsUtf8Bytes() {
    // "4€" is two UTF-16 units but four UTF-8 bytes; the binary payload counts bytes.
    List<Packet> packets = List.of(Packet.message("€"), Packet.message("😀"));
    byte[] expected =
        concat(
            bytes(0, 4, 0xff),
            bytes('4', 0xe2, 0x82, 0xac),
            bytes(0, 5, 0xff),
            bytes('4', 0xf0, 0x9f, 0x98, 0x80));
    assertArrayEquals(expected, V3.encodePayloadAsBinary(packets));
    assertEquals(packets, V3.decodePayload(expected));
  }

  @Test
  void binaryPayloadLengthDigitsAreByteValuesNotAscii() {
    byte[] data = new byte[123];
    data[0] = 7;
    byte[] encoded = V3.encodePayloadAsBinary(List.of(Packet.binary(data)));
    // body = type byte + 123 bytes = 124 -> digits 1, 2, 4
    assertArrayEquals(bytes(1, 1, 2, 4, 0xff, 4, 7), java.util.Arrays.copyOf(encoded, 7));
    assertEquals(5 + 124, encoded.length);
    List<Packet> decoded = V3.decodePayload(encoded);
    assertEquals(1, decoded.size());
    assertArrayEquals(data, decoded.get(0).binaryData());
  }

  @Test
  void hasBinaryIsTrueOnlyWhenAPacketIsBinary() {
    assertFalse(V3.hasBinary(List.of(Packet.message("a"), Packet.PING)));
    assertTrue(V3.hasBinary(List.of(Packet.message("a"), Packet.binary(bytes(1)))));
  }

  @Test
  void emptyBinaryPayloadDecodesToNoPackets() {
    assertEquals(List.of(), V3.decodePayload(new byte[0]));
    assertArrayEquals(new byte[0], V3.encodePayloadAsBinary(List.of()));
  }

  // ---- rejections ----------------------------------------------------------------------------

  @Test
  void rejectsEmptyPacket() {
    EngineIoParseException e =
        assertThrows(EngineIoParseException.class, () -> V3.decodePacket(""));
    assertEquals("empty packet", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"7", "a", "x4hello"})
  void rejectsUnknownPacketType(String encoded) {
    EngineIoParseException e =
        assertThrows(EngineIoParseException.class, () -> V3.decodePacket(encoded));
    assertTrue(e.getMessage().startsWith("unknown packet type"), e.getMessage());
  }

  @Test
  void rejectsBase64PacketWithoutType() {
    assertEquals(
        "missing type in base64 packet",
        assertThrows(EngineIoParseException.class, () -> V3.decodePacket("b")).getMessage());
    assertThrows(EngineIoParseException.class, () -> V3.decodePacket("b9AQI="));
  }

  @Test
  void rejectsBadBase64() {
    assertEquals(
        "invalid base64 data",
        assertThrows(EngineIoParseException.class, () -> V3.decodePacket("b4!!!!")).getMessage());
  }

  @Test
  void rejectsEmptyOrUnknownBinaryFrame() {
    assertThrows(EngineIoParseException.class, () -> V3.decodeBinaryFrame(new byte[0]));
    assertThrows(EngineIoParseException.class, () -> V3.decodeBinaryFrame(bytes(7, 1)));
    assertThrows(EngineIoParseException.class, () -> V3.decodeBinaryFrame(bytes(0xff)));
  }

  @Test
  void rejectsEmptyTextPayload() {
    assertEquals(
        "empty payload",
        assertThrows(EngineIoParseException.class, () -> V3.decodePayload("")).getMessage());
  }

  @Test
  void rejectsTextPayloadWithoutColon() {
    assertEquals(
        "missing ':' after a record length",
        assertThrows(EngineIoParseException.class, () -> V3.decodePayload("4hello")).getMessage());
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload("2:4a3"));
  }

  @ParameterizedTest
  @ValueSource(strings = {":4a", "x:4a", "-1:4", "1a:4", "1234567890:4"})
  void rejectsMalformedRecordLength(String payload) {
    assertEquals(
        "invalid record length",
        assertThrows(EngineIoParseException.class, () -> V3.decodePayload(payload)).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"9:4a", "2:4a3:4b", "3:4€"})
  void rejectsRecordLengthBeyondThePayload(String payload) {
    assertEquals(
        "record length exceeds the payload",
        assertThrows(EngineIoParseException.class, () -> V3.decodePayload(payload)).getMessage());
  }

  @Test
  void rejectsTextPayloadWithAMalformedPacket() {
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload("2:4a2:9x"));
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload("4:b4!!"));
  }

  @Test
  void rejectsBinaryPayloadWithUnknownRecordKind() {
    assertEquals(
        "invalid record kind in binary payload",
        assertThrows(EngineIoParseException.class, () -> V3.decodePayload(bytes(2, 1, 0xff, 4)))
            .getMessage());
  }

  @Test
  void rejectsBinaryPayloadTruncatedInItsLength() {
    assertEquals(
        "truncated length in binary payload",
        assertThrows(EngineIoParseException.class, () -> V3.decodePayload(bytes(0, 5)))
            .getMessage());
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload(bytes(1)));
  }

  @Test
  void rejectsBinaryPayloadWithBadLengthDigits() {
    // no digit at all
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload(bytes(0, 0xff)));
    // a "digit" above 9
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload(bytes(0, 12, 0xff, '4')));
    // more than ten digits
    assertThrows(
        EngineIoParseException.class,
        () -> V3.decodePayload(bytes(0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0xff)));
  }

  @Test
  void rejectsBinaryPayloadTruncatedInItsBody() {
    assertEquals(
        "invalid length in binary payload",
        assertThrows(
                EngineIoParseException.class, () -> V3.decodePayload(bytes(0, 9, 0xff, '4', 'a')))
            .getMessage());
    assertThrows(
        EngineIoParseException.class,
        () -> V3.decodePayload(concat(bytes(1, 3, 0xff, 4, 1, 2), bytes(1, 2, FF, 4))));
  }

  @Test
  void rejectsBinaryPayloadRecordWithUnknownType() {
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload(bytes(1, 2, 0xff, 9, 1)));
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload(bytes(0, 2, 0xff, '9', 'a')));
  }
}
