package dev.sio4j.common.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sio4j.common.Arguments;
import dev.sio4j.socketio.parser.SioPacket;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Turns the Java values given to {@code emit} and {@code ack.send} into the JSON tree of a packet,
 * the same way on the server and the client: {@code byte[]} and {@link ByteBuffer} (its remaining
 * bytes, copied) become binary attachments, a {@code JsonNode} is taken as is, {@link Arguments}
 * become a JSON array, anything else goes through the mapper (which also handles binary nested in
 * maps and lists, as {@code BinaryNode}s).
 *
 * <p>Not part of the public API. Thread-safety: stateless (Jackson mappers are thread-safe).
 */
public final class Json {
  private Json() {}

  /** One value as a JSON tree. */
  public static JsonNode toNode(ObjectMapper mapper, Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    if (value instanceof byte[] bytes) {
      return BinaryNode.valueOf(bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return BinaryNode.valueOf(bytes);
    }
    if (value instanceof Arguments args) {
      return args.json();
    }
    return mapper.valueToTree(value);
  }

  /**
   * {@code [event, ...args]}, the data of an EVENT packet.
   *
   * @throws IllegalArgumentException if {@code event} is a reserved name
   */
  public static ArrayNode eventArray(ObjectMapper mapper, String event, Object[] args) {
    checkEvent(event);
    ArrayNode array = JsonNodeFactory.instance.arrayNode(args.length + 1);
    array.add(event);
    for (Object arg : args) {
      array.add(toNode(mapper, arg));
    }
    return array;
  }

  /** {@code [...args]}, the data of an ACK packet. */
  public static ArrayNode array(ObjectMapper mapper, Object[] args) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode(args.length);
    for (Object arg : args) {
      array.add(toNode(mapper, arg));
    }
    return array;
  }

  /**
   * Refuses the names the protocol reserves ({@code connect}, {@code disconnect}...): emitting one
   * is a programming error, as in the reference.
   *
   * @throws IllegalArgumentException if {@code event} is reserved
   */
  public static void checkEvent(String event) {
    Objects.requireNonNull(event, "event");
    if (SioPacket.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
  }
}
