package dev.sio4j.socketio.parser;

import static dev.sio4j.socketio.parser.Fixtures.MAPPER;
import static dev.sio4j.socketio.parser.Fixtures.args;
import static dev.sio4j.socketio.parser.Fixtures.argsOf;
import static dev.sio4j.socketio.parser.Fixtures.assertEncodes;
import static dev.sio4j.socketio.parser.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden wire vectors for the encoder (REFERENCE §4.2 and Appendix A). */
class SioEncoderTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final SioEncoder encoder = new SioEncoder();

  // --- REFERENCE §4.2 example table ---

  @Test
  void connectDefaultNamespace() {
    assertEncodes("0", SioPacket.connect("/"));
  }

  @Test
  void connectAdminWithAuth() {
    assertEncodes(
        "0/admin,{\"token\":\"123\"}", SioPacket.connect("/admin", json("{\"token\":\"123\"}")));
  }

  @Test
  void connectReply() {
    assertEncodes(
        "0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}",
        SioPacket.connect("/", json("{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}")));
  }

  @Test
  void connectError() {
    assertEncodes(
        "4{\"message\":\"Not authorized\"}",
        SioPacket.connectError("/", json("{\"message\":\"Not authorized\"}")));
  }

  @Test
  void connectErrorAsString() {
    assertEncodes("4\"Unauthorized\"", SioPacket.connectError("/", NODES.textNode("Unauthorized")));
  }

  @Test
  void event() {
    assertEncodes("2[\"foo\"]", SioPacket.event("/", args("[\"foo\"]")));
    assertEncodes("2/admin,[\"bar\"]", SioPacket.event("/admin", args("[\"bar\"]")));
  }

  @Test
  void eventWithAck12() {
    assertEncodes("212[\"foo\"]", SioPacket.event("/", args("[\"foo\"]"), 12));
  }

  @Test
  void ackOnAdmin() {
    assertEncodes("3/admin,13[\"bar\"]", SioPacket.ack("/admin", args("[\"bar\"]"), 13));
  }

  @Test
  void binaryEvent() {
    EncodedSioPacket encoded =
        encoder.encode(SioPacket.event("/", argsOf("baz", new byte[] {1, 2, 3, 4})));
    assertEquals("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", encoded.text(0));
    assertEquals(1, encoded.frameCount() - 1);
    assertArrayEquals(new byte[] {1, 2, 3, 4}, encoded.binary(1));
  }

  @Test
  void binaryAckId15() {
    EncodedSioPacket encoded =
        encoder.encode(SioPacket.ack("/", argsOf("bar", new byte[] {5}), 15));
    assertEquals("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", encoded.text(0));
    assertArrayEquals(new byte[] {5}, encoded.binary(1));
  }

  @Test
  void disconnectAdmin() {
    assertEncodes("1/admin,", SioPacket.disconnect("/admin"));
    assertEncodes("1", SioPacket.disconnect("/"));
  }

  // --- Appendix A (Socket.IO part, without the Engine.IO "4") ---

  @Test
  void appendixTwoEventsOfOnePoll() {
    assertEncodes("2[\"hey\",\"Jude\"]", SioPacket.event("/", args("[\"hey\",\"Jude\"]")));
    assertEncodes("2[\"hello\"]", SioPacket.event("/", args("[\"hello\"]")));
  }

  @Test
  void appendixConnectionStateRecovery() {
    assertEncodes(
        "0{\"sid\":\"s1\",\"pid\":\"p1\"}",
        SioPacket.connect("/", json("{\"sid\":\"s1\",\"pid\":\"p1\"}")));
    assertEncodes("2[\"foo\",\"MzUPkW0\"]", SioPacket.event("/", args("[\"foo\",\"MzUPkW0\"]")));
    assertEncodes(
        "0{\"pid\":\"p1\",\"offset\":\"MzUPkW0\"}",
        SioPacket.connect("/", json("{\"pid\":\"p1\",\"offset\":\"MzUPkW0\"}")));
  }

  @Test
  void appendixConnectErrors() {
    assertEncodes(
        "4/random,{\"message\":\"Invalid namespace\"}",
        SioPacket.connectError("/random", json("{\"message\":\"Invalid namespace\"}")));
    assertEncodes(
        "4{\"message\":\"nope\",\"data\":{\"code\":42}}",
        SioPacket.connectError("/", json("{\"message\":\"nope\",\"data\":{\"code\":42}}")));
  }

  // --- namespace and ack id combinations ---

  @Test
  void namespaceAndAckIdCombinations() {
    ArrayNode a = args("[\"e\",1]");
    assertEncodes("2[\"e\",1]", SioPacket.event("/", a));
    assertEncodes("20[\"e\",1]", SioPacket.event("/", a, 0));
    assertEncodes("2/chat,[\"e\",1]", SioPacket.event("/chat", a));
    assertEncodes("2/chat,7[\"e\",1]", SioPacket.event("/chat", a, 7));
    assertEncodes(
        "2/a/b-c_d,9007199254740991[\"e\",1]", SioPacket.event("/a/b-c_d", a, 9007199254740991L));
    assertEncodes("3/chat,0[]", SioPacket.ack("/chat", args("[]"), 0));
  }

  @Test
  void eventNameMayBeANumber() {
    assertEncodes("2[1,\"a\",{}]", SioPacket.event("/", args("[1,\"a\",{}]")));
  }

  // --- binary deconstruction ---

  @Test
  void nestedBinaryIsNumberedDepthFirst() {
    ObjectNode obj = MAPPER.createObjectNode();
    obj.set("x", BinaryNode.valueOf(new byte[] {1}));
    ArrayNode inner = obj.putArray("list");
    inner.add(BinaryNode.valueOf(new byte[] {2}));
    inner.add("s");
    inner.addObject().set("deep", BinaryNode.valueOf(new byte[] {3}));
    ArrayNode data = argsOf("ev");
    data.add(obj);
    data.add(BinaryNode.valueOf(new byte[] {4}));

    EncodedSioPacket encoded = encoder.encode(SioPacket.event("/ns", data, 3));

    assertEquals(
        "54-/ns,3[\"ev\",{\"x\":{\"_placeholder\":true,\"num\":0},"
            + "\"list\":[{\"_placeholder\":true,\"num\":1},\"s\","
            + "{\"deep\":{\"_placeholder\":true,\"num\":2}}]},"
            + "{\"_placeholder\":true,\"num\":3}]",
        encoded.text(0));
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(new byte[] {(byte) (i + 1)}, encoded.binary(i + 1));
    }
  }

  @Test
  void binaryAckWithObjectAfterBuffer() {
    EncodedSioPacket encoded =
        encoder.encode(SioPacket.ack("/back", argsOf("a", "xxx".getBytes(), Map.of()), 127));
    assertEquals("61-/back,127[\"a\",{\"_placeholder\":true,\"num\":0},{}]", encoded.text(0));
  }

  @Test
  void attachmentsAreTheNodesArraysNotCopies() {
    byte[] bytes = {9, 8, 7};
    ArrayNode data = argsOf("bin");
    data.add(BinaryNode.valueOf(bytes));
    assertSame(bytes, encoder.encode(SioPacket.event("/", data)).binary(1));
  }

  @Test
  void encodingDoesNotModifyTheTree() {
    ArrayNode data = argsOf("bin", new byte[] {1});
    String before = data.toString();
    encoder.encode(SioPacket.event("/", data));
    assertEquals(before, data.toString());
  }

  @Test
  void emptyByteArrayIsAnAttachment() {
    EncodedSioPacket encoded = encoder.encode(SioPacket.event("/", argsOf("e", new byte[0])));
    assertEquals("51-[\"e\",{\"_placeholder\":true,\"num\":0}]", encoded.text(0));
    assertEquals(0, encoded.binary(1).length);
  }

  @Test
  void binaryTypeWithoutBinaryIsDowngraded() {
    assertEncodes("2[\"a\"]", SioPacket.of(SioPacketType.BINARY_EVENT, "/", args("[\"a\"]"), -1));
    assertEncodes("35[]", SioPacket.of(SioPacketType.BINARY_ACK, "/", args("[]"), 5));
  }

  @Test
  void binaryOutsideEventsIsRejected() {
    ObjectNode auth = MAPPER.createObjectNode();
    auth.set("key", BinaryNode.valueOf(new byte[] {1}));
    assertThrows(
        IllegalArgumentException.class, () -> encoder.encode(SioPacket.connect("/", auth)));
  }

  @Test
  void pojoNodesAreConvertedWithTheMapper() {
    Map<String, Object> pojo = new LinkedHashMap<>();
    pojo.put("n", 1.0);
    pojo.put("bytes", new byte[] {6});
    ArrayNode data = argsOf("p");
    data.addPOJO(pojo);
    EncodedSioPacket encoded = encoder.encode(SioPacket.event("/", data));
    assertEquals(
        "51-[\"p\",{\"n\":1,\"bytes\":{\"_placeholder\":true,\"num\":0}}]", encoded.text(0));
    assertArrayEquals(new byte[] {6}, encoded.binary(1));
  }

  @Test
  void rawValueIsWrittenVerbatim() {
    ArrayNode data = argsOf("raw");
    data.addRawValue(new RawValue("{\"pre\":\"encoded\"}"));
    assertEncodes("2[\"raw\",{\"pre\":\"encoded\"}]", SioPacket.event("/", data));
  }

  @Test
  void missingNodeIsDroppedFromObjectsAndNullInArrays() {
    ObjectNode obj = MAPPER.createObjectNode();
    obj.put("a", 1);
    obj.set("gone", MissingNode.getInstance());
    ArrayNode data = argsOf("m");
    data.add(obj);
    data.add(MissingNode.getInstance());
    assertEncodes("2[\"m\",{\"a\":1},null]", SioPacket.event("/", data));
  }

  // --- JS-compatible JSON ---

  @Test
  void protocolTestSuiteEcho() {
    // socket.io-protocol test suite: the server echoes this exact frame back.
    ArrayNode data = args("[\"message-back\",1,\"2\",{\"3\":[true]}]");
    assertEncodes("2[\"message-back\",1,\"2\",{\"3\":[true]}]", SioPacket.event("/", data));
    ArrayNode fromJava = argsOf("message-back", 1.0, "2", Map.of("3", List.of(true)));
    assertEncodes("2[\"message-back\",1,\"2\",{\"3\":[true]}]", SioPacket.event("/", fromJava));
  }

  @Test
  void numbersAreWrittenAsJavaScriptWouldWriteThem() {
    ArrayNode data = argsOf("n");
    data.add(1.0).add(-0.0).add(0.1).add(1.5e300).add(1e21).add(1e20).add(1e-7).add(123e-9);
    data.add(Double.NaN).add(Double.POSITIVE_INFINITY).add(Double.NEGATIVE_INFINITY);
    data.add(9007199254740993.0).add(42).add(Long.MAX_VALUE).add(2.5f);
    data.add(new BigDecimal("1.50")).add(new BigDecimal("0.1000000000000000000000001"));
    assertEncodes(
        "2[\"n\",1,0,0.1,1.5e+300,1e+21,100000000000000000000,1e-7,1.23e-7,null,null,null,"
            + "9007199254740992,42,9223372036854775807,2.5,1.5,0.1000000000000000000000001]",
        SioPacket.event("/", data));
  }

  @Test
  void numbersDecodedAsBigDecimalReencodeLikeJs() {
    ObjectMapper bigDecimals =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    SioPacket packet = new SioDecoder(10, bigDecimals).add("2[\"n\",1.0,2.50,1e21]").orElseThrow();
    assertEquals("2[\"n\",1,2.5,1e+21]", new SioEncoder(bigDecimals).encode(packet).text(0));
  }

  @Test
  void stringsAreEscapedOnlyWhereJavaScriptEscapes() {
    ArrayNode data = argsOf("s", "q\"b\\s/é€😀\u007f\u2028", "\b\f\n\r\t\u0000\u001b\u001f");
    assertEncodes(
        "2[\"s\",\"q\\\"b\\\\s/é€😀\u007f\u2028\",\"\\b\\f\\n\\r\\t\\u0000\\u001b\\u001f\"]",
        SioPacket.event("/", data));
  }

  @Test
  void unicodeStringsPassThrough() {
    assertEncodes(
        "2[\"привет\",\"日本語\",{\"ключ\":\"🎉\"}]",
        SioPacket.event("/", args("[\"привет\",\"日本語\",{\"ключ\":\"🎉\"}]")));
  }

  @Test
  void loneSurrogatesAreEscapedLowerCase() {
    ObjectNode obj = MAPPER.createObjectNode();
    obj.put("k\udc00", "v\ud800x");
    obj.put("ok", 1);
    ArrayNode data = argsOf("lone\ud83d");
    data.add(obj);
    assertEncodes(
        "2[\"lone\\ud83d\",{\"k\\udc00\":\"v\\ud800x\",\"ok\":1}]", SioPacket.event("/", data));
  }

  @Test
  void userMapperIsUsedForPojos() {
    // Sorted: without it the order of getters is the JVM's reflection order, which varies.
    ObjectMapper snakeCase =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();
    ArrayNode data = argsOf("pt");
    data.addPOJO(new Point(1, 2));
    assertEquals(
        "2[\"pt\",{\"left_edge\":1,\"top_edge\":2}]",
        new SioEncoder(snakeCase).encode(SioPacket.event("/", data)).text(0));
  }

  /** A plain value type, serialised through its getters. */
  public static final class Point {
    private final int x;
    private final int y;

    Point(int x, int y) {
      this.x = x;
      this.y = y;
    }

    public int getLeftEdge() {
      return x;
    }

    public int getTopEdge() {
      return y;
    }
  }
}
