package dev.sio4j.common.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sio4j.common.Arguments;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void valuesBecomeTrees() {
    assertTrue(Json.toNode(MAPPER, null).isNull());
    JsonNode node = TextNode.valueOf("x");
    assertSame(node, Json.toNode(MAPPER, node), "a tree is taken as is");
    assertEquals("{\"a\":1}", Json.toNode(MAPPER, Map.of("a", 1)).toString());
    assertEquals("[1,\"b\"]", Json.toNode(MAPPER, Arguments.of(MAPPER, 1, "b")).toString());
  }

  @Test
  void bytesAndBuffersBecomeBinary() {
    assertArrayEquals(new byte[] {1, 2}, bytes(Json.toNode(MAPPER, new byte[] {1, 2})));
    ByteBuffer b = ByteBuffer.allocateDirect(4).put(new byte[] {1, 2, 3, 4});
    b.flip().position(2);
    assertArrayEquals(new byte[] {3, 4}, bytes(Json.toNode(MAPPER, b)));
    assertEquals(2, b.position());
    JsonNode nested = Json.toNode(MAPPER, Map.of("file", new byte[] {7}));
    assertArrayEquals(new byte[] {7}, bytes(nested.get("file")), "binary inside an object");
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return n.binaryValue();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void eventArraysStartWithTheNameAndRefuseReservedOnes() {
    assertEquals(
        "[\"chat\",1,null]", Json.eventArray(MAPPER, "chat", new Object[] {1, null}).toString());
    assertEquals("[true]", Json.array(MAPPER, new Object[] {true}).toString());
    for (String reserved :
        new String[] {
          "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"
        }) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Json.eventArray(MAPPER, reserved, new Object[0]));
      assertEquals("\"" + reserved + "\" is a reserved event name", e.getMessage());
    }
    assertThrows(NullPointerException.class, () -> Json.checkEvent(null));
  }
}
