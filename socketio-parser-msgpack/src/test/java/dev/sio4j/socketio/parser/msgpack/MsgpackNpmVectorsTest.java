package dev.sio4j.socketio.parser.msgpack;

import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.MAPPER;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.NODES;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.args;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.bytes;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.decode;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.encode;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.hex;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.jsPacket;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Golden vectors made by the npm {@code socket.io-msgpack-parser} 3.0.2 itself (run by Node through
 * {@code interop/js/msgpack-parser.mjs}): for the same packet our bytes must be its bytes, byte for
 * byte, and we must decode its bytes (and notepack.io 3.x's forms) to the packet a JSON peer would
 * have sent. {@link MsgpackVectorsTest} pins a few of these as literals.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MsgpackNpmVectorsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static NodeScript npm;
  private static int tags;

  @BeforeAll
  static void startNode() {
    npm = NodeScript.start("msgpack-parser.mjs", "--timeout=120");
  }

  @AfterAll
  static void stopNode() {
    npm.close();
  }

  private static JsonNode ask(ObjectNode command, String answer) {
    int tag = ++tags;
    command.put("tag", tag);
    npm.send(command.toString());
    return npm.await(answer, n -> n.path("tag").asInt() == tag, WAIT);
  }

  /** What the npm encoder makes of the JS packet matching {@code packet}. */
  private static String npmEncode(SioPacket packet) {
    ObjectNode cmd = NODES.objectNode().put("cmd", "encode");
    cmd.set("packet", jsPacket(packet));
    return ask(cmd, "encoded").path("hex").asText();
  }

  private static String npmEncodeJs(String jsPacketJson) {
    ObjectNode cmd = NODES.objectNode().put("cmd", "encode");
    cmd.set("packet", json(jsPacketJson));
    return ask(cmd, "encoded").path("hex").asText();
  }

  private static String notepack3Encode(String jsValueJson) {
    ObjectNode cmd = NODES.objectNode().put("cmd", "encode3");
    cmd.set("value", json(jsValueJson));
    return ask(cmd, "encoded").path("hex").asText();
  }

  /** The npm decoder's view of {@code bytes}, as tagged JSON. */
  private static JsonNode npmDecode(byte[] bytes) {
    JsonNode answer =
        ask(NODES.objectNode().put("cmd", "decode").put("hex", hex(bytes)), "decoded");
    return answer.path("packet");
  }

  // ---------------------------------------------------------------- encoding: same bytes as npm

  private static Map<String, SioPacket> samePackets() {
    Map<String, SioPacket> cases = new LinkedHashMap<>();
    cases.put("connect", SioPacket.connect("/"));
    cases.put("connect with auth", SioPacket.connect("/admin", json("{\"token\":\"123\"}")));
    cases.put("connect reply", SioPacket.connect("/", json("{\"sid\":\"abc\",\"pid\":\"xyz\"}")));
    cases.put("disconnect", SioPacket.disconnect("/admin"));
    cases.put("event (README)", SioPacket.event("/", args("hello", "you")));
    cases.put("event with ack", SioPacket.event("/", args("foo"), 12));
    cases.put("event on namespace", SioPacket.event("/chat", args("msg", "hi"), 255));
    cases.put(
        "nested",
        SioPacket.event(
            "/",
            args(
                "ev",
                json("{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false,\"e\":{\"f\":{}}}"),
                json("[[[\"deep\"]],[]]"),
                NODES.nullNode())));
    cases.put("ack", SioPacket.ack("/admin", args("bar"), 13));
    cases.put("empty ack", SioPacket.ack("/", NODES.arrayNode(), 0));
    cases.put("ack id uint16", SioPacket.ack("/", args(1), 300));
    cases.put("ack id uint32", SioPacket.ack("/", args(1), 70_000));
    cases.put("ack id uint64", SioPacket.ack("/", args(1), 1L << 32));
    cases.put("numeric event name", SioPacket.event("/", args(42, "x")));
    cases.put("connect error string", SioPacket.connectError("/", NODES.textNode("Unauthorized")));
    cases.put(
        "connect error object",
        SioPacket.connectError(
            "/admin", json("{\"message\":\"Not authorized\",\"data\":{\"code\":4}}")));
    cases.put("unicode namespace", SioPacket.event("/ünï", args("é")));
    cases.put("long namespace", SioPacket.event("/" + "n".repeat(40), args("e")));

    byte[] small = {1, 2, 3, 4};
    cases.put("binary", SioPacket.event("/", args("bin", small)));
    cases.put("empty binary", SioPacket.event("/", args("bin", new byte[0])));
    cases.put("bin16", SioPacket.event("/", args("bin", filled(300))));
    cases.put("bin32", SioPacket.event("/", args("bin", filled(70_000))));
    ObjectNode holder = NODES.objectNode().put("n", 1);
    holder.set("bytes", BinaryNode.valueOf(small));
    holder.set("list", args("x", new byte[] {9}));
    cases.put("binary nested", SioPacket.ack("/", args(holder), 5));

    cases.put("unicode", SioPacket.event("/", args("héllo", "日本語", "😀", "a😀b")));
    cases.put("fixstr 31", SioPacket.event("/", args("s".repeat(31))));
    cases.put("str8 32", SioPacket.event("/", args("s".repeat(32))));
    cases.put("str8 255", SioPacket.event("/", args("s".repeat(255))));
    cases.put("str16 256", SioPacket.event("/", args("s".repeat(256))));
    cases.put("str8 multibyte", SioPacket.event("/", args("é".repeat(20))));
    cases.put("str16 multibyte", SioPacket.event("/", args("é".repeat(600))));
    cases.put("str16 65535", SioPacket.event("/", args("s".repeat(65_535))));
    cases.put("str32 65536", SioPacket.event("/", args("s".repeat(65_536))));
    cases.put("str32 multibyte", SioPacket.event("/", args("日".repeat(30_000))));

    cases.put(
        "integers",
        SioPacket.event(
            "/",
            args(
                "n",
                0,
                1,
                127,
                128,
                255,
                256,
                65_535,
                65_536,
                4_294_967_295L,
                4_294_967_296L,
                1L << 53,
                1L << 60,
                -1,
                -32,
                -33,
                -128,
                -129,
                -32_768,
                -32_769,
                -2_147_483_648,
                -2_147_483_649L,
                -(1L << 53))));
    cases.put(
        "floats",
        SioPacket.event(
            "/",
            args(
                "f",
                1.5,
                -1.5,
                0.1,
                1.2345e-300,
                123.456,
                5e-324,
                -2.5e-7,
                DoubleNode.valueOf(1.0),
                DoubleNode.valueOf(-0.0),
                DoubleNode.valueOf(4294967296.0),
                DoubleNode.valueOf(-3e9),
                FloatNode.valueOf(0.1f),
                FloatNode.valueOf(3.0f),
                DecimalNode.valueOf(new BigDecimal("2.5")),
                DecimalNode.valueOf(new BigDecimal("7.00")))));
    cases.put(
        "non-finite",
        SioPacket.event(
            "/",
            args(
                "x",
                DoubleNode.valueOf(Double.NaN),
                DoubleNode.valueOf(Double.POSITIVE_INFINITY),
                DoubleNode.valueOf(Double.NEGATIVE_INFINITY))));
    cases.put(
        "2^63 as a BigInteger",
        SioPacket.event("/", args("b", BigIntegerNode.valueOf(BigInteger.ONE.shiftLeft(63)))));
    cases.put(
        "integer-like keys in JS order",
        SioPacket.event("/", args("k", json("{\"1\":\"a\",\"2\":\"b\",\"x\":\"c\"}"))));

    ObjectNode fifteen = NODES.objectNode();
    ObjectNode sixteen = NODES.objectNode();
    ArrayNode fifteenItems = NODES.arrayNode();
    ArrayNode sixteenItems = NODES.arrayNode();
    for (int i = 0; i < 16; i++) {
      if (i < 15) {
        fifteen.put("k" + i, i);
        fifteenItems.add(i);
      }
      sixteen.put("k" + i, i);
      sixteenItems.add(i);
    }
    cases.put("fixmap and fixarray 15", SioPacket.event("/", args("m", fifteen, fifteenItems)));
    cases.put("map16 and array16", SioPacket.event("/", args("m", sixteen, sixteenItems)));
    ArrayNode huge = NODES.arrayNode();
    for (int i = 0; i < 65_536; i++) {
      huge.add(i & 0x7f);
    }
    cases.put("array32", SioPacket.event("/", args("a", huge)));
    return cases;
  }

  @Test
  void encodesEveryPacketAsTheNpmParserDoes() {
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, SioPacket> c : samePackets().entrySet()) {
      String expected = npmEncode(c.getValue());
      String actual = hex(encode(c.getValue()));
      if (!expected.equals(actual)) {
        mismatches.add(
            c.getKey() + ":\n  npm  " + abbreviate(expected) + "\n  ours " + abbreviate(actual));
      }
    }
    assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
  }

  @Test
  void decodesTheNpmBytesBackToThePacket() {
    for (Map.Entry<String, SioPacket> c : samePackets().entrySet()) {
      SioPacket packet = c.getValue();
      byte[] npmBytes = bytes(npmEncode(packet));
      SioPacket decoded = decode(npmBytes);
      // JS has one number type, so 1.0 comes back as 1: compare what each side sends.
      assertEquals(hex(npmBytes), hex(encode(decoded)), c.getKey());
      assertEquals(packet.type(), decoded.type(), c.getKey());
      assertEquals(packet.namespace(), decoded.namespace(), c.getKey());
      assertEquals(packet.ackId(), decoded.ackId(), c.getKey());
    }
  }

  @Test
  void decodedTreesAreTheOnesTheJsonParserMakes() {
    // No number normalisation in these: the decoded tree equals the original one.
    for (String name :
        List.of("connect with auth", "nested", "binary nested", "unicode", "integers", "ack")) {
      SioPacket packet = samePackets().get(name);
      assertEquals(packet, decode(bytes(npmEncode(packet))), name);
    }
  }

  // ------------------------------------------------------ decoding what only JS peers produce

  @Test
  void decodesTheJsClientsPacketShapes() {
    // socket.io-client's connect without auth carries data: undefined, and its events an
    // "options" member, with the id before the namespace.
    assertEquals(
        SioPacket.connect("/"),
        decode(npmEncodeJs("{\"type\":0,\"data\":{\"$undefined\":true},\"nsp\":\"/\"}")));
    assertEquals(
        SioPacket.event("/chat", args("hi", 1), 3),
        decode(
            npmEncodeJs(
                "{\"type\":2,\"data\":[\"hi\",1],\"options\":{\"compress\":true},"
                    + "\"id\":3,\"nsp\":\"/chat\"}")));
    assertEquals(
        SioPacket.ack("/", args(), 7),
        decode(npmEncodeJs("{\"type\":3,\"id\":7,\"data\":[],\"nsp\":\"/\"}")));
    // The Node server's connect reply without recovery: pid is undefined.
    assertEquals(
        SioPacket.connect("/", json("{\"sid\":\"s\"}")),
        decode(
            npmEncodeJs(
                "{\"type\":0,\"data\":{\"sid\":\"s\",\"pid\":{\"$undefined\":true}},\"nsp\":\"/\"}")));
    // A middleware error without data: data.data is undefined.
    assertEquals(
        SioPacket.connectError("/", json("{\"message\":\"no\"}")),
        decode(
            npmEncodeJs(
                "{\"type\":4,\"data\":{\"message\":\"no\",\"data\":{\"$undefined\":true}},"
                    + "\"nsp\":\"/\"}")));
  }

  @Test
  void decodesNotepack2Forms() {
    // undefined as fixext 1 type 0, Date as fixext 8 type 0, ArrayBuffer and typed arrays as ext
    // type 0.
    String hex =
        npmEncodeJs(
            "{\"type\":2,\"nsp\":\"/\",\"data\":[\"e\",{\"$undefined\":true},{\"$date\":0},"
                + "{\"$date\":1700000000123},{\"$date\":-1},{\"$arraybuffer\":\"AQI=\"},"
                + "{\"$uint8array\":\"AwQF\"},{\"a\":{\"$undefined\":true},\"b\":1}]}");
    assertTrue(hex.contains("d40000"), hex);
    assertTrue(hex.contains("d700"), hex);
    assertTrue(hex.contains("c70200"), hex);
    ArrayNode data = (ArrayNode) decode(hex).data().orElseThrow();
    assertEquals(
        args(
            "e",
            NODES.nullNode(),
            "1970-01-01T00:00:00.000Z",
            "2023-11-14T22:13:20.123Z",
            "1969-12-31T23:59:59.999Z",
            new byte[] {1, 2},
            new byte[] {3, 4, 5},
            json("{\"b\":1}")),
        data);
  }

  @Test
  void decodesNotepack3Forms() {
    // notepack.io 3.x (the Redis adapter's library): undefined as nil (and left out of maps),
    // Dates as the timestamp extension -1 in its three sizes, ArrayBuffer as bin.
    String hex =
        notepack3Encode(
            "{\"type\":2,\"nsp\":\"/\",\"id\":{\"$undefined\":true},\"data\":[\"e\","
                + "{\"$undefined\":true},{\"$date\":1700000000000},{\"$date\":1700000000123},"
                + "{\"$date\":-1000},{\"$date\":253402300800000},{\"$arraybuffer\":\"AQI=\"},"
                + "{\"$date\":-62198755200000}]}");
    assertTrue(hex.contains("d6ff"), "timestamp 32: " + hex);
    assertTrue(hex.contains("d7ff"), "timestamp 64: " + hex);
    assertTrue(hex.contains("c70cff"), "timestamp 96: " + hex);
    SioPacket packet = decode(hex);
    assertEquals(SioPacket.NO_ACK_ID, packet.ackId());
    assertEquals(
        args(
            "e",
            NODES.nullNode(),
            "2023-11-14T22:13:20.000Z",
            "2023-11-14T22:13:20.123Z",
            "1969-12-31T23:59:59.000Z",
            "+010000-01-01T00:00:00.000Z",
            new byte[] {1, 2},
            "-000001-01-01T00:00:00.000Z"),
        packet.data().orElseThrow());
  }

  // ----------------------------------------- Java values JS cannot express: what npm reads

  @Test
  void theNpmDecoderReadsJavaOnlyValuesAsJsWould() {
    ObjectNode withMissing = NODES.objectNode().put("a", 1);
    withMissing.set("gone", MissingNode.getInstance());
    SioPacket packet =
        SioPacket.event(
            "/",
            args(
                "j",
                MissingNode.getInstance(),
                withMissing,
                LongNode.valueOf(Long.MAX_VALUE),
                BigIntegerNode.valueOf(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)),
                DoubleNode.valueOf(1e20),
                "a\uD800b",
                BigIntegerNode.valueOf(BigInteger.TEN.pow(30)),
                DoubleNode.valueOf(1e300)));

    JsonNode js = npmDecode(encode(packet)).path("data");

    assertEquals(NODES.nullNode(), js.get(1));
    assertEquals(json("{\"a\":1}"), js.get(2));
    assertEquals(9.223372036854775807e18, js.get(3).doubleValue());
    assertEquals(18446744073709551615.0, js.get(4).doubleValue());
    assertEquals(1e20, js.get(5).doubleValue());
    assertEquals("a\uFFFDb", js.get(6).textValue());
    assertEquals(1e30, js.get(7).doubleValue());
    // notepack.io itself would write an integral double above 2^64 as a mangled uint 64.
    assertEquals(1e300, js.get(8).doubleValue());
    assertEquals("j", js.get(0).textValue());
  }

  @Test
  void theNpmDecoderAcceptsEveryPacketWeEncode() {
    for (Map.Entry<String, SioPacket> c : samePackets().entrySet()) {
      JsonNode js = npmDecode(encode(c.getValue()));
      assertEquals(c.getValue().type().id(), js.path("type").asInt(), c.getKey());
      assertEquals(c.getValue().namespace(), js.path("nsp").asText(), c.getKey());
    }
    JsonNode ack =
        npmDecode(encode(SioPacket.of(SioPacketType.BINARY_ACK, "/", args(new byte[] {1}), 2)));
    assertEquals(3, ack.path("type").asInt(), "msgpack has no BINARY_ACK: " + ack);
    assertEquals(MAPPER.createObjectNode().put("$binary", "AQ=="), ack.path("data").get(0));
  }

  private static byte[] filled(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31);
    }
    return b;
  }

  private static String abbreviate(String hex) {
    return hex.length() <= 200
        ? hex
        : hex.substring(0, 200) + "... (" + hex.length() / 2 + " bytes)";
  }
}
