package dev.sio4j.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Message(String text, int n) {}

  @Test
  void typedReadsGoThroughTheMapper() {
    Arguments args = Arguments.of(MAPPER, new Message("hi", 2), List.of(1, 2), "s", 7);
    assertEquals(4, args.size());
    assertFalse(args.isEmpty());
    assertEquals(new Message("hi", 2), args.get(0, Message.class));
    assertEquals(List.of(1, 2), args.get(1, new TypeReference<List<Integer>>() {}));
    assertEquals("s", args.string(2));
    assertEquals("7", args.string(3), "a non-string argument reads as its JSON");
    assertEquals("{\"text\":\"hi\",\"n\":2}", args.string(0));
    assertEquals(7, args.json(3).intValue());
  }

  @Test
  void aWrongTypeOrIndexIsAnIllegalArgumentOrIndexError() {
    Arguments args = Arguments.of(MAPPER, "text");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> args.get(0, Message.class));
    assertTrue(e.getMessage().startsWith("argument 0 is not a"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> args.get(0, new TypeReference<Map<String, Integer>>() {}));
    assertThrows(IndexOutOfBoundsException.class, () -> args.json(1));
    assertThrows(IndexOutOfBoundsException.class, () -> args.get(-1, String.class));
    assertThrows(IllegalArgumentException.class, () -> args.bytes(0));
  }

  @Test
  void binaryReadsAsBytesOrAReadOnlyBuffer() {
    ByteBuffer input = ByteBuffer.wrap(new byte[] {0, 1, 2, 3});
    input.position(1);
    Arguments args = Arguments.of(MAPPER, new byte[] {9, 8}, input);
    assertArrayEquals(new byte[] {9, 8}, args.bytes(0));
    assertArrayEquals(new byte[] {9, 8}, args.get(0, byte[].class));
    assertArrayEquals(new byte[] {1, 2, 3}, args.bytes(1), "a buffer's remaining bytes");
    assertEquals(1, input.position(), "the caller's buffer is not consumed");
    ByteBuffer out = args.get(0, ByteBuffer.class);
    assertTrue(out.isReadOnly());
    assertEquals(2, out.remaining());
    assertThrows(ReadOnlyBufferException.class, () -> out.put((byte) 0));
  }

  @Test
  void aSliceIsAViewOfPartOfAnArray() {
    ArrayNode array = MAPPER.createArrayNode().add("event").add(1).add("two").add("offset");
    Arguments args = Arguments.slice(MAPPER, array, 1, 3);
    assertEquals(2, args.size());
    assertEquals(1, args.get(0, Integer.class));
    assertEquals("[1,\"two\"]", args.toString());
    assertEquals("[1,\"two\"]", args.json().toString());
    assertEquals(List.of(1, "two"), args.toList());
    Object[] forwarded = args.toArray();
    assertEquals(2, forwarded.length);
    assertInstanceOf(JsonNode.class, forwarded[0]);
    assertEquals(2, args.asList().size());
    assertEquals("two", args.asList().get(1).textValue());
    assertThrows(UnsupportedOperationException.class, () -> args.asList().add(array));
    assertThrows(IndexOutOfBoundsException.class, () -> args.json(2));
    assertThrows(IndexOutOfBoundsException.class, () -> Arguments.slice(MAPPER, array, 3, 5));
    assertTrue(Arguments.slice(MAPPER, array, 4, 4).isEmpty());
  }

  @Test
  void equalArgumentsHaveEqualValues() {
    ArrayNode array = MAPPER.createArrayNode().add("e").add(1).add("x");
    Arguments a = Arguments.slice(MAPPER, array, 1, 3);
    Arguments b = Arguments.of(new ObjectMapper(), 1, "x");
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, Arguments.of(MAPPER, 1));
  }

  @Test
  void argumentsPassedOnKeepTheirBinary() {
    Arguments received = Arguments.of(MAPPER, "a", new byte[] {5});
    Arguments again = Arguments.of(MAPPER, received.toArray());
    assertEquals(received, again);
    assertArrayEquals(new byte[] {5}, again.bytes(1));
  }
}
