package dev.sio4j.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of a received event or acknowledgement, read as typed values through the client's
 * Jackson {@link ObjectMapper}: {@code args.get(0, ChatMessage.class)}. Binary values are {@link
 * BinaryNode}s and read back as {@code byte[]} ({@link #bytes(int)}).
 *
 * <p>Thread-safety: immutable (the JSON tree is not modified and must not be by callers of {@link
 * #json(int)}).
 */
public final class Arguments {
  private final List<JsonNode> values;
  private final ObjectMapper mapper;

  Arguments(List<JsonNode> values, ObjectMapper mapper) {
    this.values = Collections.unmodifiableList(values);
    this.mapper = mapper;
  }

  /** The elements of {@code array} from {@code from} on. */
  static Arguments of(JsonNode array, int from, ObjectMapper mapper) {
    return of(array, from, array.size(), mapper);
  }

  /** The elements of {@code array} from {@code from} (inclusive) to {@code to} (exclusive). */
  static Arguments of(JsonNode array, int from, int to, ObjectMapper mapper) {
    List<JsonNode> list = new ArrayList<>();
    for (int i = from; i < to; i++) {
      list.add(array.get(i));
    }
    return new Arguments(list, mapper);
  }

  /** The number of arguments. */
  public int size() {
    return values.size();
  }

  /** Whether there are no arguments. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * Argument {@code index} converted to {@code type} by the mapper.
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
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "argument " + index + " is not a " + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Argument {@code index} converted to a generic type, e.g. {@code new TypeReference<List<Foo>>}.
   */
  public <T> T get(int index, TypeReference<T> type) {
    return mapper.convertValue(json(index), type);
  }

  /** Argument {@code index} as a JSON tree. */
  public JsonNode json(int index) {
    Objects.checkIndex(index, values.size());
    return values.get(index);
  }

  /** Argument {@code index} as a string (its text if a JSON string, else its JSON). */
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

  /** All arguments as JSON trees. */
  public List<JsonNode> asList() {
    return values;
  }

  /** All arguments as a new JSON array. */
  public ArrayNode asArray() {
    ArrayNode array = JsonNodeFactory.instance.arrayNode(values.size());
    values.forEach(array::add);
    return array;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
