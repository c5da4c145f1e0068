package dev.sio4j.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sio4j.common.internal.Json;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of an event or acknowledgement, read as typed values through the JSON mapper of the
 * server or client that received them: {@code args.get(0, ChatMessage.class)}. Binary arguments are
 * {@code BinaryNode}s in the tree and read as {@code byte[]} ({@link #bytes(int)}) or as a
 * read-only {@link ByteBuffer} ({@code get(i, ByteBuffer.class)}).
 *
 * <p>Thread-safety: immutable, as long as nobody modifies the JSON trees handed out by {@link
 * #json(int)} and {@link #asList()} (they are the received values, not copies).
 */
public final class Arguments {
  private final ArrayNode array;
  private final int from;
  private final int to;
  private final ObjectMapper mapper;

  private Arguments(ObjectMapper mapper, ArrayNode array, int from, int to) {
    this.mapper = mapper;
    this.array = array;
    this.from = from;
    this.to = to;
  }

  /**
   * Arguments made from Java values, converted as {@code emit} converts them ({@code byte[]} and
   * {@code ByteBuffer} become binary, the rest goes through {@code mapper}). Useful to test
   * listeners without a connection.
   */
  public static Arguments of(ObjectMapper mapper, Object... values) {
    ArrayNode array = Json.array(mapper, values);
    return new Arguments(Objects.requireNonNull(mapper, "mapper"), array, 0, array.size());
  }

  /**
   * The elements {@code from} (inclusive) to {@code to} (exclusive) of a JSON array, not copied:
   * the array must not be modified afterwards.
   *
   * @throws IndexOutOfBoundsException if the range is not inside the array
   */
  public static Arguments slice(ObjectMapper mapper, ArrayNode array, int from, int to) {
    Objects.checkFromToIndex(from, to, array.size());
    return new Arguments(Objects.requireNonNull(mapper, "mapper"), array, from, to);
  }

  /** The number of arguments. */
  public int size() {
    return to - from;
  }

  /** Whether there are no arguments. */
  public boolean isEmpty() {
    return to == from;
  }

  /**
   * Argument {@code index} converted to {@code type} by the mapper; {@code byte[].class} and {@code
   * ByteBuffer.class} (read-only, not copied) read a binary argument.
   *
   * @throws IndexOutOfBoundsException if there is no such argument
   * @throws IllegalArgumentException if it cannot be converted
   */
  public <T> T get(int index, Class<T> type) {
    JsonNode node = json(index);
    if (type == ByteBuffer.class && node.isBinary()) {
      return type.cast(ByteBuffer.wrap(((BinaryNode) node).binaryValue()).asReadOnlyBuffer());
    }
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "argument " + index + " is not a " + type.getName() + ": " + message(e), e);
    }
  }

  /**
   * Argument {@code index} converted to a generic type, e.g. {@code new
   * TypeReference<List<ChatMessage>>() {}}.
   *
   * @throws IndexOutOfBoundsException if there is no such argument
   * @throws IllegalArgumentException if it cannot be converted
   */
  public <T> T get(int index, TypeReference<T> type) {
    JsonNode node = json(index);
    try {
      return mapper.treeToValue(node, mapper.getTypeFactory().constructType(type));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "argument " + index + " is not a " + type.getType().getTypeName() + ": " + message(e), e);
    }
  }

  private static String message(Exception e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  /** Argument {@code index} as a string: its text if a JSON string, else its JSON. */
  public String string(int index) {
    JsonNode node = json(index);
    return node.isTextual() ? node.textValue() : node.toString();
  }

  /**
   * Binary argument {@code index}, not copied.
   *
   * @throws IllegalArgumentException if it is not binary
   */
  public byte[] bytes(int index) {
    JsonNode node = json(index);
    if (!node.isBinary()) {
      throw new IllegalArgumentException("argument " + index + " is not binary: " + node);
    }
    return ((BinaryNode) node).binaryValue();
  }

  /**
   * Argument {@code index} as a JSON tree (binary values are {@code BinaryNode}s).
   *
   * @throws IndexOutOfBoundsException if there is no such argument
   */
  public JsonNode json(int index) {
    Objects.checkIndex(index, size());
    return array.get(from + index);
  }

  /** All arguments as a new JSON array (of the same, uncopied, element trees). */
  public ArrayNode json() {
    ArrayNode copy = JsonNodeFactory.instance.arrayNode(size());
    for (int i = from; i < to; i++) {
      copy.add(array.get(i));
    }
    return copy;
  }

  /** All arguments as an unmodifiable list of JSON trees. */
  public List<JsonNode> asList() {
    return new AbstractList<>() {
      @Override
      public JsonNode get(int index) {
        return json(index);
      }

      @Override
      public int size() {
        return Arguments.this.size();
      }
    };
  }

  /**
   * The arguments as JSON trees, ready to be passed on unchanged (binary included) to another
   * {@code emit} or {@code ack.send}: {@code ack.send(args.toArray())}.
   */
  public Object[] toArray() {
    Object[] values = new Object[size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(from + i);
    }
    return values;
  }

  /** The arguments as plain Java values (maps, lists, strings, numbers, booleans, byte[]). */
  public List<Object> toList() {
    List<Object> list = new ArrayList<>(size());
    for (int i = from; i < to; i++) {
      list.add(mapper.convertValue(array.get(i), Object.class));
    }
    return list;
  }

  /** Equal when the JSON values are equal (the mappers are not compared). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Arguments other && asList().equals(other.asList());
  }

  @Override
  public int hashCode() {
    return asList().hashCode();
  }

  /** The arguments as a JSON array text. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append('[');
    for (int i = from; i < to; i++) {
      if (i > from) {
        sb.append(',');
      }
      sb.append(array.get(i));
    }
    return sb.append(']').toString();
  }
}
