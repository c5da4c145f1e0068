package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.ByteBuffer;

/**
 * Turns Java arguments into the JSON tree of a packet: {@code byte[]} and {@link ByteBuffer} become
 * binary attachments, anything else goes through the server's mapper.
 *
 * <p>Thread-safety: stateless (the mapper is thread-safe).
 */
final class Json {
  private Json() {}

  static JsonNode toNode(ObjectMapper mapper, Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof JsonNode) {
      return (JsonNode) value;
    }
    if (value instanceof byte[]) {
      return BinaryNode.valueOf((byte[]) value);
    }
    if (value instanceof ByteBuffer) {
      ByteBuffer b = ((ByteBuffer) value).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return BinaryNode.valueOf(bytes);
    }
    if (value instanceof Arguments) {
      return ((Arguments) value).json();
    }
    return mapper.valueToTree(value);
  }

  /** {@code [event, ...args]}. */
  static ArrayNode eventArray(ObjectMapper mapper, String event, Object[] args) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode(args.length + 1);
    array.add(event);
    for (Object arg : args) {
      array.add(toNode(mapper, arg));
    }
    return array;
  }

  static ArrayNode array(ObjectMapper mapper, Object[] args) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode(args.length);
    for (Object arg : args) {
      array.add(toNode(mapper, arg));
    }
    return array;
  }

  /** The elements after the first (the event name). */
  static ArrayNode tail(ArrayNode array) {
    ArrayNode rest = JsonNodeFactory.instance.arrayNode(Math.max(0, array.size() - 1));
    for (int i = 1; i < array.size(); i++) {
      rest.add(array.get(i));
    }
    return rest;
  }
}
