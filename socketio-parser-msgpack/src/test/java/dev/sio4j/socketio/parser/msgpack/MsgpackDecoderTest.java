package dev.sio4j.socketio.parser.msgpack;

import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.NODES;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.PARSER;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.args;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.bytes;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.SocketIoParseException;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The decoder's rules (REFERENCE §4.5: the npm parser's {@code checkPacket}, plus what a {@link
 * SioPacket} cannot hold) and its defences against hostile input. Vectors are hand-made msgpack.
 */
class MsgpackDecoderTest {
  // {"type":2,"nsp":"/","data":
  private static final String EVENT_HEAD = "83 a4 74797065 02 a3 6e7370 a1 2f a4 64617461";

  private static void assertRejects(String message, String hex) {
    SocketIoParseException e =
        assertThrows(SocketIoParseException.class, () -> decode(bytes(hex)), hex);
    assertEquals(message, e.getMessage(), hex);
  }

  private static void assertRejectsMsgpack(String hex) {
    assertRejectsMsgpack(bytes(hex));
  }

  private static void assertRejectsMsgpack(byte[] message) {
    SocketIoParseException e = assertThrows(SocketIoParseException.class, () -> decode(message));
    assertTrue(e.getMessage().startsWith("invalid msgpack"), e.getMessage());
  }

  @Test
  void typeMustBeAnIntegerFrom0To4() {
    assertRejects("invalid packet type", "82 a4 74797065 05 a3 6e7370 a1 2f"); // 5
    assertRejects("invalid packet type", "82 a4 74797065 ff a3 6e7370 a1 2f"); // -1
    assertRejects("invalid packet type", "82 a4 74797065 a1 31 a3 6e7370 a1 2f"); // "1"
    assertRejects("invalid packet type", "82 a4 74797065 cb3ff8000000000000 a3 6e7370 a1 2f");
    assertRejects("invalid packet type", "81 a3 6e7370 a1 2f"); // no type
    assertRejects("invalid packet type", "92 01 02"); // not a map
    // 1.0 is an integer to JS: a DISCONNECT.
    assertEquals(
        SioPacket.disconnect("/"), decode("82 a4 74797065 cb3ff0000000000000 a3 6e7370 a1 2f"));
  }

  @Test
  void namespaceMustBeAString() {
    assertRejects("invalid namespace", "81 a4 74797065 01");
    assertRejects("invalid namespace", "82 a4 74797065 01 a3 6e7370 01");
    // Stricter than npm: a SioPacket namespace starts with '/' and holds no ','.
    assertRejects("invalid namespace", "82 a4 74797065 01 a3 6e7370 a1 61");
    assertRejects("invalid namespace", "82 a4 74797065 01 a3 6e7370 a0");
    assertRejects("invalid namespace", "82 a4 74797065 01 a3 6e7370 a3 2f612c");
  }

  @Test
  void dataMustFitTheType() {
    String nsp = " a3 6e7370 a1 2f a4 64617461 ";
    assertRejects("invalid payload", "83 a4 74797065 00" + nsp + "91 01"); // CONNECT [1]
    assertRejects("invalid payload", "83 a4 74797065 00" + nsp + "c0"); // CONNECT null
    assertRejects("invalid payload", "83 a4 74797065 01" + nsp + "80"); // DISCONNECT {}
    assertRejects("invalid payload", "83 a4 74797065 02" + nsp + "80"); // EVENT {}
    assertRejects("invalid payload", "82 a4 74797065 02 a3 6e7370 a1 2f"); // EVENT, no data
    assertRejects("invalid payload", "83 a4 74797065 03" + nsp + "a1 78"); // ACK "x"
    assertRejects("invalid payload", "83 a4 74797065 04" + nsp + "91 01"); // CONNECT_ERROR [1]
    assertRejects("invalid payload", "82 a4 74797065 04 a3 6e7370 a1 2f"); // CONNECT_ERROR
    // Stricter than npm, as the JSON parser: no empty event, no reserved or non-string name.
    assertRejects("invalid payload", EVENT_HEAD + "90");
    assertRejects("invalid payload", EVENT_HEAD + "91 a7 636f6e6e656374"); // ["connect"]
    assertRejects("invalid payload", EVENT_HEAD + "91 c3"); // [true]
    // Accepted shapes.
    assertEquals(
        SioPacket.connectError("/", NODES.textNode("x")),
        decode("83 a4 74797065 04" + nsp + "a1 78"));
    assertEquals(SioPacket.connect("/"), decode("82 a4 74797065 00 a3 6e7370 a1 2f"));
  }

  @Test
  void idMustBeAnAbsentOrNonNegativeInteger() {
    String head = "84 a4 74797065 03 a3 6e7370 a1 2f a4 64617461 90 a2 6964 ";
    assertRejects("invalid packet id", head + "a1 31"); // "1"
    assertRejects("invalid packet id", head + "cb3ff8000000000000"); // 1.5
    assertRejects("invalid packet id", head + "ff"); // -1: JS accepts it, a SioPacket cannot
    assertRejects("invalid packet id", head + "cf ffffffffffffffff"); // beyond a long
    assertEquals(SioPacket.ack("/", args(), 7), decode(head + "cb401c000000000000")); // 7.0
    assertEquals(SioPacket.ack("/", args(), 7), decode(head + "07"));
    // undefined (fixext 1 type 0) is no id at all.
    assertEquals(SioPacket.NO_ACK_ID, decode(head + "d40000").ackId());
  }

  @Test
  void malformedMsgpackIsRejected() {
    assertRejectsMsgpack("");
    assertRejectsMsgpack("c1"); // never used
    assertRejectsMsgpack(EVENT_HEAD + "91 a1"); // truncated string
    assertRejectsMsgpack(EVENT_HEAD + "91 a1 78 00"); // trailing byte
    assertRejectsMsgpack(EVENT_HEAD + "92 a1 78 81 92 01 02 01"); // array as a map key
    assertRejectsMsgpack(EVENT_HEAD + "92 a1 78 81 cb3ff8000000000000 01"); // float key
    SioPacketDecoder decoder = PARSER.newDecoder();
    assertThrows(SocketIoParseException.class, () -> decoder.add("2[\"x\"]"));
  }

  @Test
  @Timeout(5)
  void declaredSizesBeyondTheMessageFailBeforeAnyAllocation() {
    // Each claims up to 4 GiB in a few bytes: a decoder that trusted them would allocate first.
    String[] hostile = {
      EVENT_HEAD + "91 db 7fffffff 78", // str 32
      EVENT_HEAD + "92 a1 78 c6 7fffffff 00", // bin 32
      EVENT_HEAD + "dd 7fffffff 00", // array 32
      EVENT_HEAD + "92 a1 78 df 7fffffff 00", // map 32
      EVENT_HEAD + "92 a1 78 c9 7fffffff 05 00", // ext 32
      EVENT_HEAD + "dd ffffffff 00", // array 32 beyond an int
    };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    for (String hex : hostile) {
      byte[] message = bytes(hex);
      long before = threads.getThreadAllocatedBytes(tid);
      assertRejectsMsgpack(message);
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      assertTrue(allocated < 1_000_000, allocated + " bytes allocated for " + hex);
    }
  }

  @Test
  void nestingIsBoundedByTheMappersLimit() {
    ObjectMapper shallow =
        new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(3).build())
                .build());
    SioPacketDecoder decoder = MsgpackParser.create(shallow).newDecoder();
    // packet map > data array > [ [ ... ] ]
    assertEquals(
        SioPacket.event("/", args("x", NODES.arrayNode())),
        decoder.add(bytes(EVENT_HEAD + "92 a1 78 90")).orElseThrow());
    SocketIoParseException e =
        assertThrows(
            SocketIoParseException.class, () -> decoder.add(bytes(EVENT_HEAD + "92 a1 78 91 90")));
    assertTrue(e.getMessage().contains("nesting"), e.getMessage());

    // The default limit holds against a message that is nothing but nested arrays.
    ByteArrayOutputStream deep = new ByteArrayOutputStream();
    deep.writeBytes(bytes(EVENT_HEAD + "92 a1 78"));
    for (int i = 0; i < 100_000; i++) {
      deep.write(0x91);
    }
    deep.write(0x90);
    assertThrows(SocketIoParseException.class, () -> decode(deep.toByteArray()));
  }

  @Test
  void numbersBecomeTheNodesJacksonWouldMake() {
    var data =
        decode(
                EVENT_HEAD
                    + "96 a1 6e 7f ce ffffffff cf 8000000000000000 cb3ff8000000000000 ca3fc00000")
            .data()
            .orElseThrow();
    assertInstanceOf(IntNode.class, data.get(1));
    assertEquals(LongNode.valueOf(4_294_967_295L), data.get(2));
    assertEquals(BigIntegerNode.valueOf(BigInteger.ONE.shiftLeft(63)), data.get(3));
    assertEquals(DoubleNode.valueOf(1.5), data.get(4));
    assertEquals(DoubleNode.valueOf(1.5), data.get(5)); // float 32, as JS reads it

    ObjectMapper decimals =
        JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    var exact =
        MsgpackParser.create(decimals)
            .newDecoder()
            .add(bytes(EVENT_HEAD + "92 a1 6e cb3ff8000000000000"))
            .orElseThrow()
            .data()
            .orElseThrow();
    assertEquals(DecimalNode.valueOf(new BigDecimal("1.5")), exact.get(1));
  }

  @Test
  void otherExtensionsAndKeysAreReadAsNotepackReadsThem() {
    // ext type 5 of 2 bytes -> [5, <bytes>]; keys 1, true, nil -> "1", "true", "null".
    var data = decode(EVENT_HEAD + "93 a1 78 d5 05 0102 83 01 01 c3 02 c0 03").data().orElseThrow();
    assertEquals(args(5, new byte[] {1, 2}), data.get(1));
    assertEquals(MsgpackFixtures.json("{\"1\":1,\"true\":2,\"null\":3}"), data.get(2));
  }

  @Test
  void isoStringsFollowJs() {
    assertEquals("1970-01-01T00:00:00.000Z", MsgpackDecoder.isoString(0));
    assertEquals("1969-12-31T23:59:59.999Z", MsgpackDecoder.isoString(-1));
    assertEquals("+275760-09-13T00:00:00.000Z", MsgpackDecoder.isoString(8_640_000_000_000_000L));
    assertEquals("-271821-04-20T00:00:00.000Z", MsgpackDecoder.isoString(-8_640_000_000_000_000L));
    // Beyond the JS range a Date is invalid, which JSON.stringify writes as null.
    assertEquals(
        NODES.nullNode(),
        decode(EVENT_HEAD + "92 a1 78 c7 0c ff 00000000 7fffffff ffffffff")
            .data()
            .orElseThrow()
            .get(1));
  }
}
