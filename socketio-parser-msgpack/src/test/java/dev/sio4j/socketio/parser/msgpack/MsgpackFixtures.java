package dev.sio4j.socketio.parser.msgpack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.socketio.parser.SioPacket;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/** Shared helpers of the msgpack tests. */
final class MsgpackFixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final MsgpackParser PARSER = MsgpackParser.create();

  private MsgpackFixtures() {}

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ArrayNode args(Object... values) {
    ArrayNode array = NODES.arrayNode();
    for (Object value : values) {
      array.add(value instanceof JsonNode ? (JsonNode) value : MAPPER.valueToTree(value));
    }
    return array;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static byte[] encode(SioPacket packet) {
    return PARSER.encode(packet).binary(0);
  }

  static SioPacket decode(byte[] bytes) {
    return PARSER.newDecoder().add(bytes).orElseThrow();
  }

  static SioPacket decode(String hex) {
    return decode(bytes(hex));
  }

  /**
   * The JS packet object a test script builds for {@code packet}, as JSON with the tags of {@code
   * interop/js/msgpack-parser.mjs} for what JSON cannot say: keys in the order our encoder writes.
   */
  static ObjectNode jsPacket(SioPacket packet) {
    ObjectNode js = NODES.objectNode();
    js.put("type", packet.type().id());
    js.put("nsp", packet.namespace());
    packet.data().ifPresent(d -> js.set("data", tagged(d)));
    if (packet.hasAckId()) {
      js.put("id", packet.ackId());
    }
    return js;
  }

  /** {@code node} as the tagged JSON of a JS value. */
  static JsonNode tagged(JsonNode node) {
    switch (node.getNodeType()) {
      case BINARY:
        return NODES.objectNode().put("$binary", Base64.getEncoder().encodeToString(binary(node)));
      case NUMBER:
        double d = node.doubleValue();
        if (node.isFloatingPointNumber() && !Double.isFinite(d)) {
          return NODES
              .objectNode()
              .put("$number", Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        }
        if (node.isFloatingPointNumber() && d == 0 && 1 / d < 0) {
          return NODES.objectNode().put("$number", "-0");
        }
        return node;
      case MISSING:
        return NODES.objectNode().put("$undefined", true);
      case ARRAY:
        ArrayNode array = NODES.arrayNode();
        node.forEach(child -> array.add(tagged(child)));
        return array;
      case OBJECT:
        ObjectNode object = NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          object.set(e.getKey(), tagged(e.getValue()));
        }
        return object;
      default:
        return node;
    }
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
