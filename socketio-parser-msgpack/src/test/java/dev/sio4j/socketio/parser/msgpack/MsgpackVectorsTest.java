package dev.sio4j.socketio.parser.msgpack;

import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.NODES;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.PARSER;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.args;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.decode;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.encode;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.hex;
import static dev.sio4j.socketio.parser.msgpack.MsgpackFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors pinned as literals, so the codec is held to the npm {@code
 * socket.io-msgpack-parser} 3.0.2 even where Node is not installed. Each hex string was produced by
 * that package (or notepack.io 3.0.1 where named) for the packet in the test; {@link
 * MsgpackNpmVectorsTest} checks many more against the live package.
 */
class MsgpackVectorsTest {

  private static void assertWire(String hex, SioPacket packet) {
    assertEquals(hex, hex(encode(packet)), "encoding of " + packet);
    assertEquals(packet, decode(hex), "decoding of " + hex);
  }

  @Test
  void readmeExample() {
    // socket.emit('hello', 'you'), as the npm parser's README shows it.
    assertWire(
        "83a47479706502a36e7370a12fa46461746192a568656c6c6fa3796f75",
        SioPacket.event("/", args("hello", "you")));
  }

  @Test
  void onePacketIsOneBinaryFrame() {
    EncodedSioPacket encoded = PARSER.encode(SioPacket.event("/", args("hello", "you")));
    assertEquals(1, encoded.frameCount());
    assertFalse(encoded.isText(0));
  }

  @Test
  void connectWithAuth() {
    assertWire(
        "83a47479706500a36e7370a62f61646d696ea46461746181a5746f6b656ea3313233",
        SioPacket.connect("/admin", json("{\"token\":\"123\"}")));
  }

  @Test
  void eventWithAckIdComesLast() {
    assertWire(
        "84a47479706502a36e7370a12fa46461746191a3666f6fa269640c",
        SioPacket.event("/", args("foo"), 12));
  }

  @Test
  void ackOnNamespace() {
    assertWire(
        "84a47479706503a36e7370a62f61646d696ea46461746191a3626172a269640d",
        SioPacket.ack("/admin", args("bar"), 13));
  }

  @Test
  void binaryIsInlineBinNotAnAttachment() {
    assertWire(
        "83a47479706502a36e7370a12fa46461746192a362617ac40401020304",
        SioPacket.event("/", args("baz", new byte[] {1, 2, 3, 4})));
    // A BINARY_EVENT built by hand goes out as a plain EVENT: msgpack has no attachments.
    assertEquals(
        "83a47479706502a36e7370a12fa46461746192a362617ac40401020304",
        hex(
            encode(
                SioPacket.of(
                    SioPacketType.BINARY_EVENT,
                    "/",
                    args("baz", new byte[] {1, 2, 3, 4}),
                    SioPacket.NO_ACK_ID))));
  }

  @Test
  void numbersTakeTheSmallestIntegerFormatOrFloat64() {
    assertWire(
        "83a47479706502a36e7370a12fa46461746199a16e7fcc80d0dfd1ff7fce00010000"
            + "d3ffffffff7fffffffcf0000000100000000cb3ff8000000000000",
        SioPacket.event(
            "/", args("n", 127, 128, -33, -129, 65_536, -2_147_483_649L, 4_294_967_296L, 1.5)));
    // JS has no 1.0: an integral double is an integer on the wire (and comes back as one).
    assertEquals(
        "83a47479706502a36e7370a12fa46461746192a16e01",
        hex(encode(SioPacket.event("/", args("n", DoubleNode.valueOf(1.0))))));
  }

  @Test
  void connectErrorObject() {
    assertWire(
        "83a47479706504a36e7370a12fa46461746181a76d657373616765ae4e6f7420617574686f72697a6564",
        SioPacket.connectError("/", json("{\"message\":\"Not authorized\"}")));
  }

  @Test
  void disconnectHasNoData() {
    assertWire("82a47479706501a36e7370a62f61646d696e", SioPacket.disconnect("/admin"));
  }

  @Test
  void unicodeIsUtf8() {
    assertWire(
        "83a47479706502a36e7370a12fa46461746191a6c3a9f09f9880", SioPacket.event("/", args("é😀")));
  }

  @Test
  void undefinedIsLeftOutOfObjectsAndNilInArrays() {
    ObjectNode obj = NODES.objectNode().put("a", 1);
    obj.set("u", MissingNode.getInstance());
    assertEquals(
        "83a47479706502a36e7370a12fa46461746193a165c081a16101",
        hex(encode(SioPacket.event("/", args("e", MissingNode.getInstance(), obj)))));
  }

  @Test
  void pojoAndRawJsonValuesAreConvertedFirst() {
    ObjectNode pojos = NODES.objectNode();
    pojos.set("raw", new POJONode(new RawValue("{\"x\":[1]}")));
    pojos.set("bytes", new POJONode(new byte[] {7}));
    pojos.set("list", new POJONode(List.of("a")));
    ObjectNode trees = (ObjectNode) json("{\"raw\":{\"x\":[1]},\"bytes\":null,\"list\":[\"a\"]}");
    trees.set("bytes", NODES.binaryNode(new byte[] {7}));
    assertEquals(
        hex(encode(SioPacket.event("/", args("e", trees)))),
        hex(encode(SioPacket.event("/", args("e", pojos)))));
  }

  @Test
  void decodesTheJsClientsEventShape() {
    // socket.io-client writes {type, data, options, id, nsp}; "options" is not part of the packet.
    assertEquals(
        SioPacket.event("/", args("hi"), 3),
        decode(
            "85a47479706502a46461746191a26869a76f7074696f6e7381a8636f6d7072657373c3a2696403a36e7370a12f"));
  }

  @Test
  void decodesNotepack2Undefined_Date_ArrayBuffer() {
    // [ "e", undefined, new Date(1700000000123), ArrayBuffer [1, 2] ] by the npm parser.
    assertEquals(
        SioPacket.event(
            "/", args("e", NODES.nullNode(), "2023-11-14T22:13:20.123Z", new byte[] {1, 2})),
        decode("83a47479706502a36e7370a12fa46461746194a165d40000d7000000018bcfe5687bc702000102"));
  }

  @Test
  void decodesNotepack3NilAndTimestamps() {
    // notepack.io 3.0.1: undefined as nil, Dates as timestamp 32, 64 and 96.
    assertEquals(
        SioPacket.event(
            "/",
            args(
                "e",
                NODES.nullNode(),
                "2023-11-14T22:13:20.000Z",
                "2023-11-14T22:13:20.123Z",
                "1969-12-31T23:59:59.000Z")),
        decode(
            "83a47479706502a36e7370a12fa46461746195a165c0d6ff6553f100d7ff1d5353006553f100"
                + "c70cff00000000ffffffffffffffff"));
  }

  @Test
  void javaOnlyValues() {
    // Integral doubles beyond 64 bits stay float 64 (notepack would mangle them).
    assertEquals(
        "83a47479706502a36e7370a12fa46461746192a16ecb7e37e43c8800759c",
        hex(encode(SioPacket.event("/", args("n", 1e300)))));
    // Long.MAX_VALUE is exact on the wire.
    assertEquals(
        "83a47479706502a36e7370a12fa46461746192a16ecf7fffffffffffffff",
        hex(encode(SioPacket.event("/", args("n", Long.MAX_VALUE)))));
    // A lone surrogate becomes U+FFFD, as in Node.
    assertEquals(
        "83a47479706502a36e7370a12fa46461746191a561efbfbd62",
        hex(encode(SioPacket.event("/", args("a\uD800b")))));
  }
}
