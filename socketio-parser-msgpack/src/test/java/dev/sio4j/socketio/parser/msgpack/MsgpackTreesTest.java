package dev.sio4j.socketio.parser.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.socketio.parser.SocketIoParseException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MsgpackTreesTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private final MsgpackTrees trees = MsgpackTrees.create();

  @Test
  void encodesAnyTreeAsNotepackDoes() {
    // ["uid", {"a": 1, "b": <01 02>}, 1.5, null] as notepack.io 3.0.1 writes it
    ObjectNode o = F.objectNode();
    o.put("a", 1.0);
    o.set("b", F.binaryNode(new byte[] {1, 2}));
    o.set("gone", MissingNode.getInstance());
    ArrayNode a = F.arrayNode().add("uid").add(o).add(1.5).addNull();
    assertEquals(
        "94a3756964" + "82a16101a162c4020102" + "cb3ff8000000000000" + "c0",
        HEX.formatHex(trees.encode(a)));
  }

  @Test
  void decodesWhatItEncodes() {
    ObjectNode o = F.objectNode();
    o.put("n", -40000);
    o.set("bin", F.binaryNode(new byte[300]));
    o.set("list", F.arrayNode().add("x").add(true));
    JsonNode back = trees.decode(trees.encode(o));
    assertEquals(o, back);
  }

  @Test
  void topLevelUndefinedIsNull() {
    assertEquals(F.nullNode(), trees.decode(HEX.parseHex("d40000")));
  }

  @Test
  void rejectsTruncatedAndTrailingBytes() {
    byte[] ok = trees.encode(F.arrayNode().add("abc"));
    byte[] truncated = java.util.Arrays.copyOf(ok, ok.length - 1);
    assertThrows(SocketIoParseException.class, () -> trees.decode(truncated));
    byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 1);
    assertThrows(SocketIoParseException.class, () -> trees.decode(trailing));
    assertThrows(SocketIoParseException.class, () -> trees.decode(new byte[0]));
    // an array header claiming 2^32-1 elements with nothing behind it
    assertThrows(SocketIoParseException.class, () -> trees.decode(HEX.parseHex("ddffffffff")));
  }

  @Test
  void dateBecomesItsIsoString() {
    // timestamp 32 of 1 s after the epoch
    assertEquals(
        F.textNode("1970-01-01T00:00:01.000Z"), trees.decode(HEX.parseHex("d6ff00000001")));
    assertArrayEquals(HEX.parseHex("c3"), trees.encode(F.booleanNode(true)));
  }
}
