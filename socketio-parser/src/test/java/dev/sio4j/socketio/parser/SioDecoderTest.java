package dev.sio4j.socketio.parser;

import static dev.sio4j.socketio.parser.Fixtures.args;
import static dev.sio4j.socketio.parser.Fixtures.argsOf;
import static dev.sio4j.socketio.parser.Fixtures.decode;
import static dev.sio4j.socketio.parser.Fixtures.decodeOne;
import static dev.sio4j.socketio.parser.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Golden decode vectors and every rejection of REFERENCE §4.3. */
class SioDecoderTest {

  private static void assertRejected(String message, Executable decode) {
    SocketIoParseException e = assertThrows(SocketIoParseException.class, decode);
    assertEquals(message, e.getMessage());
  }

  private static void assertInvalidPayload(String text) {
    assertRejected("invalid payload", () -> new SioDecoder().add(text));
  }

  // --- golden vectors (REFERENCE §4.2 table, Appendix A) ---

  @Test
  void connectDefaultNamespace() {
    SioPacket p = decodeOne("0");
    assertEquals(SioPacketType.CONNECT, p.type());
    assertEquals("/", p.namespace());
    assertFalse(p.hasAckId());
    assertEquals(-1, p.ackId());
    assertEquals(Optional.empty(), p.data());
  }

  @Test
  void connectAdminWithAuth() {
    assertEquals(
        SioPacket.connect("/admin", json("{\"token\":\"123\"}")),
        decodeOne("0/admin,{\"token\":\"123\"}"));
  }

  @Test
  void connectReplyWithSidAndPid() {
    assertEquals(
        SioPacket.connect("/", json("{\"sid\":\"wZX3oN0bSVIhsaknAAAI\",\"pid\":\"p\"}")),
        decodeOne("0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\",\"pid\":\"p\"}"));
  }

  @Test
  void connectErrorObjectAndString() {
    assertEquals(
        SioPacket.connectError("/random", json("{\"message\":\"Invalid namespace\"}")),
        decodeOne("4/random,{\"message\":\"Invalid namespace\"}"));
    assertEquals(
        SioPacket.connectError("/", json("\"Unauthorized\"")), decodeOne("4\"Unauthorized\""));
  }

  @Test
  void events() {
    assertEquals(SioPacket.event("/", args("[\"foo\"]")), decodeOne("2[\"foo\"]"));
    assertEquals(SioPacket.event("/admin", args("[\"bar\"]")), decodeOne("2/admin,[\"bar\"]"));
    assertEquals(SioPacket.event("/", args("[\"foo\"]"), 12), decodeOne("212[\"foo\"]"));
    assertEquals(
        SioPacket.event("/", args("[\"hey\",\"Jude\"]")), decodeOne("2[\"hey\",\"Jude\"]"));
    assertEquals(SioPacket.event("/", args("[1,\"a\",{}]")), decodeOne("2[1,\"a\",{}]"));
  }

  @Test
  void ackOnAdmin() {
    SioPacket p = decodeOne("3/admin,13[\"bar\"]");
    assertEquals(SioPacket.ack("/admin", args("[\"bar\"]"), 13), p);
    assertTrue(p.hasAckId());
  }

  @Test
  void disconnects() {
    assertEquals(SioPacket.disconnect("/admin"), decodeOne("1/admin,"));
    assertEquals(SioPacket.disconnect("/admin"), decodeOne("1/admin"));
    assertEquals(SioPacket.disconnect("/"), decodeOne("1"));
  }

  @Test
  void namespaceAndAckIdCombinations() {
    assertEquals(SioPacket.event("/chat", args("[\"e\"]"), 7), decodeOne("2/chat,7[\"e\"]"));
    assertEquals(SioPacket.event("/", args("[\"e\"]"), 0), decodeOne("20[\"e\"]"));
    assertEquals(
        SioPacket.event("/a/b", args("[\"e\"]"), 9007199254740991L),
        decodeOne("2/a/b,9007199254740991[\"e\"]"));
    assertEquals(SioPacket.ack("/x", args("[]"), 5), decodeOne("3/x,5[]"));
    // The namespace runs to the first comma only: digits after it are the ack id.
    assertEquals(SioPacket.connect("/admin"), decodeOne("0/admin,"));
  }

  @Test
  void whitespaceAroundJsonIsAcceptedLikeJsonParse() {
    assertEquals(SioPacket.event("/", args("[\"a\"]")), decodeOne("2 [ \"a\" ] "));
  }

  // --- binary reconstruction ---

  @Test
  void binaryEventAppendixA() {
    SioDecoder decoder = new SioDecoder();
    assertEquals(Optional.empty(), decoder.add("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]"));
    assertTrue(decoder.isReconstructing());
    byte[] bytes = {1, 2, 3, 4};
    SioPacket p = decoder.add(bytes).orElseThrow();
    assertEquals(SioPacketType.EVENT, p.type());
    JsonNode arg = p.data().orElseThrow().get(1);
    assertTrue(arg.isBinary());
    assertSame(bytes, ((BinaryNode) arg).binaryValue());
    assertArrayEquals(bytes, Fixtures.MAPPER.convertValue(arg, byte[].class));
    assertFalse(decoder.isReconstructing());
  }

  @Test
  void binaryAckIsReportedAsAck() {
    SioDecoder decoder = new SioDecoder();
    decoder.add("61-/ns,15[\"bar\",{\"_placeholder\":true,\"num\":0}]");
    SioPacket p = decoder.add(new byte[] {7}).orElseThrow();
    assertEquals(SioPacketType.ACK, p.type());
    assertEquals("/ns", p.namespace());
    assertEquals(15, p.ackId());
  }

  @Test
  void nestedPlaceholdersAreReplacedWherever() throws Exception {
    SioDecoder decoder = new SioDecoder();
    decoder.add(
        "53-[\"a\",{\"b\":[\"c\",{\"_placeholder\":true,\"num\":1}]},"
            + "{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":2}]");
    decoder.add(new byte[] {0});
    decoder.add(new byte[] {1});
    SioPacket p = decoder.add(new byte[] {2}).orElseThrow();
    ArrayNode data = (ArrayNode) p.data().orElseThrow();
    assertArrayEquals(new byte[] {1}, data.get(1).get("b").get(1).binaryValue());
    assertArrayEquals(new byte[] {0}, data.get(2).binaryValue());
    assertArrayEquals(new byte[] {2}, data.get(3).binaryValue());
  }

  @Test
  void binaryWithZeroAttachmentsCompletesAtOnce() {
    SioDecoder decoder = new SioDecoder();
    assertEquals(SioPacket.event("/", args("[\"a\"]")), decoder.add("50-[\"a\"]").orElseThrow());
    assertFalse(decoder.isReconstructing());
  }

  @Test
  void resetDropsPartialPacketAndDecodingResumes() {
    SioDecoder decoder = new SioDecoder();
    decoder.add("51-[\"hello\"]");
    decoder.reset();
    assertEquals(
        SioPacket.event("/", args("[\"hello\"]")), decoder.add("2[\"hello\"]").orElseThrow());
    decoder.add("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]");
    decoder.destroy();
    assertFalse(decoder.isReconstructing());
  }

  // --- REFERENCE §4.3 rejections, one per rule ---

  @Test
  void unknownPacketType() {
    assertRejected("unknown packet type 9", () -> new SioDecoder().add("999"));
    assertRejected("unknown packet type 7", () -> new SioDecoder().add("7[\"a\"]"));
    assertRejected("unknown packet type a", () -> new SioDecoder().add("a"));
  }

  @Test
  void emptyTextIsAnUnknownPacketType() {
    SocketIoParseException e =
        assertThrows(SocketIoParseException.class, () -> new SioDecoder().add(""));
    assertTrue(e.getMessage().startsWith("unknown packet type"));
  }

  @Test
  void illegalAttachments() {
    for (String text : new String[] {"5", "51", "5a-", "51.23-", "5-[\"a\"]", "6"}) {
      assertRejected("Illegal attachments", () -> new SioDecoder().add(text));
    }
  }

  @Test
  void tooManyAttachments() {
    assertRejected(
        "too many attachments",
        () ->
            new SioDecoder(2)
                .add(
                    "53-[\"hello\",{\"_placeholder\":true,\"num\":0},"
                        + "{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}]"));
    assertRejected(
        "too many attachments", () -> new SioDecoder().add("599999999999999999999-[\"a\"]"));
  }

  @Test
  void maxAttachmentsDefaultsToTen() {
    assertEquals(10, new SioDecoder().maxAttachments());
    StringBuilder ten = new StringBuilder("510-[\"e\"");
    for (int i = 0; i < 10; i++) {
      ten.append(",{\"_placeholder\":true,\"num\":").append(i).append('}');
    }
    SioDecoder decoder = new SioDecoder();
    assertEquals(Optional.empty(), decoder.add(ten.append(']').toString()));
    for (int i = 0; i < 9; i++) {
      assertEquals(Optional.empty(), decoder.add(new byte[] {(byte) i}));
    }
    assertTrue(decoder.add(new byte[] {9}).isPresent());
    assertRejected("too many attachments", () -> new SioDecoder().add("511-[\"e\"]"));
  }

  @Test
  void invalidPayloadWhenJsonIsMalformed() {
    assertInvalidPayload("2/admin,\"invalid");
    assertInvalidPayload("2[\"a\"]x");
    assertInvalidPayload("2[\"a\"");
    assertInvalidPayload("2 ");
    assertInvalidPayload("42[\"some\",\"data\"");
  }

  @Test
  void anEventNameThatOverflowsADoubleIsRefused() {
    // Found by the fuzzer: 1e400 would be an event named Infinity, written back as null.
    assertInvalidPayload("2[1e400]");
    assertInvalidPayload("2[-46e62013122808486,\"a\"]");
    // Finite numeric names still decode, as the reference allows; so do large integers.
    assertEquals(SioPacketType.EVENT, decodeOne("2[1.5e300]").type());
    assertEquals(SioPacketType.EVENT, decodeOne("2[123456789012345678901234567890]").type());
    // Infinity as an argument is not a name: the packet decodes.
    assertEquals(SioPacketType.EVENT, decodeOne("2[\"e\",1e400]").type());
  }

  @Test
  void invalidPayloadWhenDigitsAreFollowedByGarbage() {
    assertInvalidPayload("42abc[\"a\"]");
  }

  /** {@code \\u} followed by {@code digits}: the escape as it appears in JSON text. */
  private static String u(String digits) {
    return "\\" + "u" + digits;
  }

  @Test
  void onlyFourAsciiHexDigitsMakeAUnicodeEscape() {
    // JSON.parse takes only 0-9, a-f, A-F after \\u; Jackson 2.20 reads "\\u١٢٣٤" as U+ABCD.
    String arabicIndic = "\u0661\u0662\u0663\u0664";
    assertInvalidPayload("2[\"" + u(arabicIndic) + "\"]");
    assertInvalidPayload("2[\"e\",{\"k\":[\"" + u("\u0660\u0660\u0664\u0661") + "\"]}]");
    assertInvalidPayload("0{\"" + u(arabicIndic) + "\":1}"); // in a key, in CONNECT auth
    assertInvalidPayload("2[\"" + u("00e\u0669") + "\"]"); // one non-ASCII digit among ASCII
    assertInvalidPayload("2[\"" + u("\uff10\uff10\uff14\uff11") + "\"]"); // fullwidth
    assertInvalidPayload("2[\"" + u("00g1") + "\"]");
    assertInvalidPayload("2[\"" + u("12") + "\"]"); // too short
    assertInvalidPayload("2[\"" + u("") + "\"]");
    // After an escaped backslash the next backslash starts an escape again.
    assertInvalidPayload("2[\"\\\\" + u(arabicIndic) + "\"]");
    assertInvalidPayload("2/ns,7[\"e\",\"" + u(arabicIndic) + "\"]");
    // What JSON.parse accepts still decodes: either case of hex digits, escaped backslashes.
    assertEquals(
        SioPacket.event("/", argsOf("AéÉ\u20ac")),
        decodeOne("2[\"" + u("0041") + u("00e9") + u("00C9") + u("20AC") + "\"]"));
    // "\\\\u١٢٣٤" in JSON is a backslash followed by the text u١٢٣٤, not an escape.
    assertEquals(
        SioPacket.event("/", argsOf("\\u\u0661\u0662\u0663\u0664")),
        decodeOne("2[\"\\\\u\u0661\u0662\u0663\u0664\"]"));
    assertEquals(SioPacket.event("/", argsOf("\"u", "x\\")), decodeOne("2[\"\\\"u\",\"x\\\\\"]"));
  }

  @Test
  void invalidPayloadWhenConnectDataIsNotAnObject() {
    assertInvalidPayload("0/admin,\"invalid\"");
    assertInvalidPayload("0[]");
    assertInvalidPayload("0null");
  }

  @Test
  void invalidPayloadWhenDisconnectHasData() {
    assertInvalidPayload("1/admin,{}");
    assertInvalidPayload("1{\"a\":1}");
    assertInvalidPayload("1null");
  }

  @Test
  void invalidPayloadWhenEventIsNotAnArray() {
    assertInvalidPayload("2/admin,{}");
    assertInvalidPayload("2\"str\"");
    assertInvalidPayload("2{}");
  }

  @Test
  void invalidPayloadWhenEventIsEmpty() {
    assertInvalidPayload("2[]");
  }

  @Test
  void invalidPayloadWhenEventNameIsNeitherStringNorNumber() {
    assertInvalidPayload("2[{\"toString\":\"foo\"}]");
    assertInvalidPayload("2[true,\"foo\"]");
    assertInvalidPayload("2[null,\"bar\"]");
    assertInvalidPayload("2[[\"a\"]]");
  }

  @Test
  void invalidPayloadWhenEventNameIsReserved() {
    for (String name : SioPacket.RESERVED_EVENTS) {
      assertInvalidPayload("2[\"" + name + "\"]");
    }
    assertInvalidPayload("2[\"disconnect\",\"123\"]");
    assertRejected("invalid payload", () -> new SioDecoder().add("51-[\"connect\",1]"));
  }

  @Test
  void invalidPayloadWhenAckIsNotAnArray() {
    assertInvalidPayload("3{}");
    assertInvalidPayload("31\"a\"");
    assertRejected("invalid payload", () -> new SioDecoder().add("61-1{}"));
  }

  @Test
  void invalidPayloadWhenConnectErrorIsNeitherStringNorObject() {
    assertInvalidPayload("4[]");
    assertInvalidPayload("442");
    assertInvalidPayload("4null");
  }

  @Test
  void invalidPayloadWhenEventOrAckOrConnectErrorHasNoData() {
    // The reference lets these through with undefined data; no official peer sends them.
    assertInvalidPayload("2");
    assertInvalidPayload("212");
    assertInvalidPayload("3/admin,5");
    assertInvalidPayload("4");
    assertRejected("invalid payload", () -> new SioDecoder().add("51-"));
  }

  @Test
  void invalidAckIdWhenItOverflows() {
    assertRejected("invalid ack id", () -> new SioDecoder().add("29223372036854775808[\"a\"]"));
  }

  @Test
  void gotBinaryDataWhenNotReconstructingAPacket() {
    assertRejected(
        "got binary data when not reconstructing a packet",
        () -> new SioDecoder().add("world".getBytes()));
  }

  @Test
  void gotPlaintextDataWhenReconstructingAPacket() {
    SioDecoder decoder = new SioDecoder();
    decoder.add("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]");
    assertRejected(
        "got plaintext data when reconstructing a packet", () -> decoder.add("2[\"hello\"]"));
  }

  @Test
  void illegalAttachmentsWhenPlaceholderNumIsOutOfRange() {
    SioDecoder decoder = new SioDecoder();
    decoder.add("51-[\"hello\",{\"_placeholder\":true,\"num\":1}]");
    assertRejected("illegal attachments", () -> decoder.add("world".getBytes()));
    assertFalse(decoder.isReconstructing());
    SioDecoder negative = new SioDecoder();
    negative.add("51-[\"hello\",{\"_placeholder\":true,\"num\":-1}]");
    assertRejected("illegal attachments", () -> negative.add(new byte[1]));
  }

  @Test
  void illegalAttachmentsWhenPlaceholderNumIsNotANumber() {
    SioDecoder decoder = new SioDecoder();
    decoder.add("51-[\"hello\",{\"_placeholder\":true,\"num\":\"splice\"}]");
    assertRejected("illegal attachments", () -> decoder.add("world".getBytes()));
    SioDecoder fraction = new SioDecoder();
    fraction.add("52-[\"hello\",{\"_placeholder\":true,\"num\":0.5}]");
    fraction.add(new byte[1]);
    assertRejected("illegal attachments", () -> fraction.add(new byte[1]));
  }

  @Test
  void illegalAttachmentsWhenZeroAnnouncedButPlaceholderPresent() {
    assertRejected(
        "illegal attachments",
        () -> new SioDecoder().add("50-[\"a\",{\"_placeholder\":true,\"num\":0}]"));
  }

  @Test
  void placeholderLookalikesInPlainEventsAreLeftAlone() {
    SioPacket p = decodeOne("2[\"a\",{\"_placeholder\":true,\"num\":0}]");
    assertTrue(p.data().orElseThrow().get(1).isObject());
    SioDecoder decoder = new SioDecoder();
    decoder.add(
        "51-[\"a\",{\"_placeholder\":\"true\",\"num\":0},{\"_placeholder\":true,\"num\":0}]");
    ArrayNode data = (ArrayNode) decoder.add(new byte[] {1}).orElseThrow().data().orElseThrow();
    assertTrue(data.get(1).isObject());
    assertTrue(data.get(2).isBinary());
  }

  // --- round trips ---

  @Test
  void roundTripsEveryKindOfPacket() {
    SioEncoder encoder = new SioEncoder();
    SioPacket[] packets = {
      SioPacket.connect("/"),
      SioPacket.connect("/woot", json("{\"token\":\"123\"}")),
      SioPacket.disconnect("/woot"),
      SioPacket.event("/", args("[\"a\",1,{}]")),
      SioPacket.event("/test", args("[\"a\",1,{}]"), 1),
      SioPacket.ack("/", args("[\"a\",1,{}]"), 123),
      SioPacket.connectError("/", json("\"Unauthorized\"")),
      SioPacket.connectError("/", json("{\"message\":\"Unauthorized\"}")),
      SioPacket.event("/cool", argsOf("a", "abc".getBytes()), 23),
      SioPacket.event(
          "/cool",
          argsOf("a", java.util.Map.of("b", java.util.List.of("c", "abc".getBytes()))),
          23),
      SioPacket.ack("/back", argsOf("a", "xxx".getBytes(), java.util.Map.of()), 127),
      SioPacket.event("/", argsOf("ünïcödé", "😀", "\u0000\u001f\"\\")),
    };
    for (SioPacket packet : packets) {
      assertEquals(packet, decode(encoder.encode(packet)), packet.toString());
    }
  }

  @Test
  void factoryDecodersUseTheMapperAndTheLimit() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    java.util.function.Supplier<SioDecoder> factory = SioDecoder.factory(1, mapper);
    SioDecoder a = factory.get();
    SioDecoder b = factory.get();
    org.junit.jupiter.api.Assertions.assertNotSame(a, b);
    assertEquals(1, a.maxAttachments());
    SioPacket p = a.add("2[\"x\",1.5]").orElseThrow();
    assertTrue(((ArrayNode) p.data().orElseThrow()).get(1).isBigDecimal());
    assertThrows(SocketIoParseException.class, () -> b.add("52-[\"x\"]"));
    assertThrows(IllegalArgumentException.class, () -> SioDecoder.factory(-1, mapper));
    // The default mapper's decoders reject trailing content like the others.
    SioDecoder d = SioDecoder.factory(10, JsJson.DEFAULT_MAPPER).get();
    assertThrows(SocketIoParseException.class, () -> d.add("2[\"a\"]x"));
  }
}
