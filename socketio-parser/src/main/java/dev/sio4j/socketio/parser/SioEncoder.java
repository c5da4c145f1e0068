package dev.sio4j.socketio.parser;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.sio4j.engineio.parser.internal.JsStrings;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * The encoder of the default JSON parser ({@link SioParser#json()}): encodes {@link SioPacket}s
 * into their wire form (REFERENCE §4.2), a text frame followed by the binary attachments:
 *
 * <pre>{@code <type digit>[<attachments>-][<namespace>,][<ack id>][JSON]}</pre>
 *
 * <p>The namespace is written only when it is not {@code "/"}. An EVENT or ACK whose data contains
 * {@code BinaryNode}s becomes a BINARY_EVENT or BINARY_ACK: each binary value is replaced, in
 * depth-first order, by {@code {"_placeholder":true,"num":N}} and its bytes become attachment
 * {@code N}.
 *
 * <p>The JSON is what JavaScript's {@code JSON.stringify} prints for the same value, byte for byte:
 * no whitespace, integral doubles without fraction ({@code 1}, not {@code 1.0}), other doubles in
 * JS's shortest form ({@code 1e+21}, {@code 1e-7}), {@code NaN} and infinities as {@code null},
 * strings escaped only where JS escapes them ({@code "}, {@code \}, control characters, lone
 * surrogates; never {@code /} nor non-ASCII). A {@code MissingNode} is dropped from objects and
 * written as {@code null} in arrays, as JS does with {@code undefined}. {@code POJONode}s are
 * converted with the encoder's {@link ObjectMapper} first. Object members keep the tree's order (JS
 * would list integer-like keys first; trees decoded from a JS peer are already in that order).
 *
 * <p>Thread-safety: stateless and thread-safe; share one instance. The mapper given to the
 * constructor must not be reconfigured afterwards.
 */
public final class SioEncoder {
  private static final SioEncoder DEFAULT = new SioEncoder(JsJson.DEFAULT_MAPPER);
  private static final Object[] NO_ATTACHMENTS = new Object[0];

  private final ObjectMapper mapper;
  private final boolean plainDecimals;

  /** An encoder with a default {@link ObjectMapper}. */
  public SioEncoder() {
    this(JsJson.DEFAULT_MAPPER);
  }

  /**
   * An encoder that uses {@code mapper} for {@code POJONode}s (and its factory's {@code
   * WRITE_BIGDECIMAL_AS_PLAIN} setting). The mapper must produce JSON.
   */
  public SioEncoder(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.plainDecimals =
        mapper.getFactory().isEnabled(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  }

  /** A shared encoder with the default mapper. */
  public static SioEncoder defaultEncoder() {
    return DEFAULT;
  }

  /**
   * Encodes one packet.
   *
   * @throws IllegalArgumentException if a packet other than an event or ack holds binary data,
   *     which the wire format cannot carry
   */
  public EncodedSioPacket encode(SioPacket packet) {
    SioPacketType type = packet.type();
    JsonNode data = packet.dataOrNull();
    Scan scan = null;
    int binaries = 0;
    if (data != null) {
      scan = new Scan();
      scan.walk(data);
      if (scan.pojo) {
        data = normalize(data);
        scan = new Scan();
        scan.walk(data);
      }
      binaries = scan.binaries;
    }
    if (binaries > 0) {
      if (type == SioPacketType.EVENT) {
        type = SioPacketType.BINARY_EVENT;
      } else if (type == SioPacketType.ACK) {
        type = SioPacketType.BINARY_ACK;
      } else if (!type.isBinary()) {
        throw new IllegalArgumentException(type + " packets cannot carry binary data");
      }
    } else if (type == SioPacketType.BINARY_EVENT) {
      type = SioPacketType.EVENT; // no attachments: the plain type says the same, shorter
    } else if (type == SioPacketType.BINARY_ACK) {
      type = SioPacketType.ACK;
    }

    StringBuilder sb = new StringBuilder(64);
    sb.append((char) ('0' + type.id()));
    if (binaries > 0) {
      sb.append(binaries).append('-');
    }
    String namespace = packet.namespace();
    if (!SioPacket.DEFAULT_NAMESPACE.equals(namespace)) {
      sb.append(namespace).append(',');
    }
    if (packet.hasAckId()) {
      sb.append(packet.ackId());
    }
    if (data == null) {
      return new EncodedSioPacket(sb.toString(), NO_ATTACHMENTS);
    }
    // The scan knows the count, so the attachments go straight into the frame array.
    scan.attachments = binaries > 0 ? new Object[binaries] : NO_ATTACHMENTS;
    scan.binaries = 0;
    write(sb, data, scan);
    return new EncodedSioPacket(sb.toString(), scan.attachments);
  }

  // The tree is written by hand rather than through a Jackson generator: the JSON.stringify rules
  // above leave Jackson little to do, and its generator (writer, buffer recycling, escape tables)
  // cost as much as the rest of the event path together.
  private void write(StringBuilder sb, JsonNode node, Scan attachments) {
    switch (node.getNodeType()) {
      case STRING:
        JsStrings.appendQuoted(sb, node.textValue());
        break;
      case NUMBER:
        writeNumber(sb, node);
        break;
      case BOOLEAN:
        sb.append(node.booleanValue() ? "true" : "false");
        break;
      case NULL:
      case MISSING:
        sb.append("null");
        break;
      case ARRAY:
        sb.append('[');
        boolean firstElement = true;
        for (JsonNode child : node) {
          if (!firstElement) {
            sb.append(',');
          }
          firstElement = false;
          write(sb, child, attachments);
        }
        sb.append(']');
        break;
      case OBJECT:
        sb.append('{');
        boolean firstMember = true;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          JsonNode value = e.getValue();
          if (value.isMissingNode()) {
            continue;
          }
          if (!firstMember) {
            sb.append(',');
          }
          firstMember = false;
          JsStrings.appendQuoted(sb, e.getKey());
          sb.append(':');
          write(sb, value, attachments);
        }
        sb.append('}');
        break;
      case BINARY:
        int num = attachments.binaries++;
        attachments.attachments[num] = ((BinaryNode) node).binaryValue();
        sb.append("{\"_placeholder\":true,\"num\":").append(num).append('}');
        break;
      case POJO:
        // Only RawValue survives normalize(): the caller vouches for its JSON.
        Object raw = ((RawValue) ((POJONode) node).getPojo()).rawValue();
        sb.append(
            raw instanceof SerializableString
                ? ((SerializableString) raw).getValue()
                : String.valueOf(raw));
        break;
      default:
        throw new IllegalArgumentException("unsupported node type " + node.getNodeType());
    }
  }

  private void writeNumber(StringBuilder sb, JsonNode node) {
    switch (node.numberType()) {
      case INT:
      case LONG:
        sb.append(node.longValue());
        break;
      case BIG_INTEGER:
        sb.append(node.bigIntegerValue());
        break;
      case FLOAT:
        sb.append(JsJson.number(node.floatValue()));
        break;
      case DOUBLE:
        sb.append(JsJson.number(node.doubleValue()));
        break;
      case BIG_DECIMAL:
        writeDecimal(sb, node.decimalValue());
        break;
      default:
        throw new IllegalArgumentException("unsupported number type " + node.numberType());
    }
  }

  private void writeDecimal(StringBuilder sb, BigDecimal value) {
    // A mapper with USE_BIG_DECIMAL_FOR_FLOATS decodes JS numbers as BigDecimal: print those as
    // JS would; keep the exact digits of any value a double cannot hold.
    double d = value.doubleValue();
    if (!Double.isInfinite(d)) {
      String js = JsJson.number(d);
      if (new BigDecimal(js).compareTo(value) == 0) {
        sb.append(js);
        return;
      }
    }
    sb.append(plainDecimals ? value.toPlainString() : value.toString());
  }

  /** A copy of {@code node} with every POJONode (except raw JSON) replaced by its tree. */
  private JsonNode normalize(JsonNode node) {
    switch (node.getNodeType()) {
      case POJO:
        Object pojo = ((POJONode) node).getPojo();
        if (pojo instanceof RawValue) {
          return node;
        }
        JsonNode tree = mapper.valueToTree(pojo);
        return tree == null ? NullNode.getInstance() : normalize(tree);
      case ARRAY:
        ArrayNode array = JsonNodeFactory.instance.arrayNode(node.size());
        for (JsonNode child : node) {
          array.add(normalize(child));
        }
        return array;
      case OBJECT:
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          object.set(e.getKey(), normalize(e.getValue()));
        }
        return object;
      default:
        return node;
    }
  }

  /** Counts binaries in the order the writer meets them, and notes POJOs that need converting. */
  private static final class Scan {
    int binaries;
    boolean pojo;
    // Filled by write(), in the same order as walk() counted.
    Object[] attachments;

    void walk(JsonNode node) {
      switch (node.getNodeType()) {
        case BINARY:
          binaries++;
          break;
        case POJO:
          if (!(((POJONode) node).getPojo() instanceof RawValue)) {
            pojo = true;
          }
          break;
        case ARRAY:
          for (JsonNode child : node) {
            walk(child);
          }
          break;
        case OBJECT:
          for (Map.Entry<String, JsonNode> e : node.properties()) {
            walk(e.getValue());
          }
          break;
        default:
          break;
      }
    }
  }
}
