package dev.sio4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of an event or acknowledgement, read with typed access through the server's JSON
 * mapper: {@code args.get(0, ChatMessage.class)}; binary arguments read as {@code byte[]}.
 *
 * <p>Thread-safety: immutable as long as the tree from {@link #json()} is not changed.
 */
public final class Arguments {
  private final ArrayNode values;
  private final ObjectMapper mapper;

  Arguments(ArrayNode values, ObjectMapper mapper) {
    this.values = values;
    this.mapper = mapper;
  }

  static Arguments empty(ObjectMapper mapper) {
    return new Arguments(JsonNodeFactory.instance.arrayNode(), mapper);
  }

  public int size() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * Argument {@code index} converted to {@code type}.
   *
   * @throws IndexOutOfBoundsException if there is no such argument
   * @throws IllegalArgumentException if it cannot be converted
   */
  public <T> T get(int index, Class<T> type) {
    JsonNode node = node(index);
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "argument " + index + " is not a " + type.getSimpleName(), e);
    }
  }

  /** Argument {@code index} converted to a generic type. */
  public <T> T get(int index, TypeReference<T> type) {
    JsonNode node = node(index);
    try {
      return mapper.treeToValue(node, mapper.getTypeFactory().constructType(type));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("argument " + index + " has not the expected type", e);
    }
  }

  /** Argument {@code index} as a string; a non-string argument is rendered as JSON text. */
  public String getString(int index) {
    JsonNode node = node(index);
    return node.isTextual() ? node.textValue() : node.toString();
  }

  /** Argument {@code index} as a JSON tree (binary values are {@code BinaryNode}s). */
  public JsonNode node(int index) {
    if (index < 0 || index >= values.size()) {
      throw new IndexOutOfBoundsException("no argument " + index + " (size " + values.size() + ")");
    }
    return values.get(index);
  }

  /** All arguments as a JSON array. Do not modify it. */
  public ArrayNode json() {
    return values;
  }

  /**
   * The arguments as JSON trees, ready to be passed on to another {@code emit} or {@code ack.send}
   * unchanged (binary included).
   */
  public Object[] toArray() {
    Object[] array = new Object[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }

  /** The arguments as plain Java values (maps, lists, strings, numbers, booleans, byte[]). */
  public List<Object> toList() {
    List<Object> list = new ArrayList<>(values.size());
    for (JsonNode n : values) {
      list.add(mapper.convertValue(n, Object.class));
    }
    return list;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
