package dev.sio4j.socketio.parser.msgpack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Writes a packet as the msgpack map notepack.io 2.2 makes of the JavaScript packet object {@code
 * {type, nsp, data?, id?}} (the key order of the npm parser's README), byte for byte.
 *
 * <p>The JavaScript rules this follows, where Java and JS values differ:
 *
 * <ul>
 *   <li>Numbers are JS numbers: any integral value (also a {@code double} like {@code 1.0}, and
 *       {@code -0.0}) takes the smallest integer format (positive fixint, uint 8/16/32/64, negative
 *       fixint, int 8/16/32/64); anything else is a float 64 (never float 32), including NaN and
 *       the infinities. A {@code float} is first read as the double its shortest decimal form
 *       denotes, as the JSON parser does. Integral doubles beyond 64 bits, which notepack would
 *       mangle, are written as float 64.
 *   <li>Strings are UTF-8 (fixstr, str 8/16/32); a lone surrogate becomes U+FFFD as Node's Buffer
 *       writes it.
 *   <li>Binary values are {@code bin} 8/16/32, what notepack does for a Node Buffer.
 *   <li>A {@code MissingNode} (JS {@code undefined}) is left out of objects and is {@code nil} in
 *       arrays, like the JSON parser (and notepack 3.x) does, rather than notepack 2.2's {@code
 *       undefined} extension.
 *   <li>Object members keep the tree's order (JS would list integer-like keys first; trees decoded
 *       from a JS peer are already in that order).
 * </ul>
 *
 * <p>Thread-safety: stateless and thread-safe, given a mapper that is not reconfigured.
 */
final class MsgpackEncoder {
  private static final MessagePack.PackerConfig CONFIG =
      new MessagePack.PackerConfig().withBufferSize(256);
  private static final double TWO_POW_63 = 0x1p63;
  private static final double TWO_POW_64 = 0x1p64;

  private final ObjectMapper mapper;

  MsgpackEncoder(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  byte[] encode(SioPacket packet) {
    JsonNode data = packet.data().orElse(null);
    boolean hasId = packet.hasAckId();
    try (MessageBufferPacker out = CONFIG.newBufferPacker()) {
      out.packMapHeader(2 + (data != null ? 1 : 0) + (hasId ? 1 : 0));
      out.packString("type");
      out.packInt(wireType(packet.type()));
      out.packString("nsp");
      writeString(out, packet.namespace());
      if (data != null) {
        out.packString("data");
        write(out, data);
      }
      if (hasId) {
        out.packString("id");
        out.packLong(packet.ackId());
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory buffer does not fail
    }
  }

  /** One JSON tree as notepack writes the JS value it stands for (see the class notes). */
  byte[] encodeTree(JsonNode tree) {
    try (MessageBufferPacker out = CONFIG.newBufferPacker()) {
      write(out, tree);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory buffer does not fail
    }
  }

  /** msgpack carries binary inline: the BINARY_* types of the JSON format have no place here. */
  private static int wireType(SioPacketType type) {
    switch (type) {
      case BINARY_EVENT:
        return SioPacketType.EVENT.id();
      case BINARY_ACK:
        return SioPacketType.ACK.id();
      default:
        return type.id();
    }
  }

  private void write(MessagePacker out, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case STRING:
        writeString(out, node.textValue());
        break;
      case NUMBER:
        writeNumber(out, node);
        break;
      case BOOLEAN:
        out.packBoolean(node.booleanValue());
        break;
      case NULL:
      case MISSING:
        out.packNil();
        break;
      case BINARY:
        writeBinary(out, ((BinaryNode) node).binaryValue());
        break;
      case ARRAY:
        out.packArrayHeader(node.size());
        for (JsonNode child : node) {
          write(out, child);
        }
        break;
      case OBJECT:
        int members = 0;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          if (!e.getValue().isMissingNode()) {
            members++;
          }
        }
        out.packMapHeader(members);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          if (!e.getValue().isMissingNode()) {
            writeString(out, e.getKey());
            write(out, e.getValue());
          }
        }
        break;
      case POJO:
        writePojo(out, ((POJONode) node).getPojo());
        break;
      default:
        throw new IllegalArgumentException("unsupported node type " + node.getNodeType());
    }
  }

  private void writePojo(MessagePacker out, Object pojo) throws IOException {
    if (pojo == null) {
      out.packNil();
    } else if (pojo instanceof byte[]) {
      writeBinary(out, (byte[]) pojo);
    } else if (pojo instanceof RawValue) {
      // Raw JSON the caller vouches for: msgpack has no raw form, so it is parsed and re-encoded.
      Object raw = ((RawValue) pojo).rawValue();
      String json =
          raw instanceof SerializableString
              ? ((SerializableString) raw).getValue()
              : String.valueOf(raw);
      try {
        write(out, mapper.readTree(json));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("raw value is not JSON: " + json, e);
      }
    } else {
      JsonNode tree = mapper.valueToTree(pojo);
      if (tree == null) {
        out.packNil();
      } else {
        write(out, tree);
      }
    }
  }

  private static void writeBinary(MessagePacker out, byte[] bytes) throws IOException {
    out.packBinaryHeader(bytes.length);
    out.writePayload(bytes);
  }

  private static void writeString(MessagePacker out, String s) throws IOException {
    out.packString(wellFormed(s));
  }

  /**
   * {@code s} with every lone surrogate replaced by U+FFFD: Java's UTF-8 encoder would write {@code
   * ?} for it, Node writes U+FFFD.
   */
  static String wellFormed(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i += 2;
          continue;
        }
        break; // a lone one: fix the rest on a copy
      }
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n).append(s, 0, i);
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(i + 1));
        i += 2;
      } else {
        sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
        i++;
      }
    }
    return sb.toString();
  }

  private static void writeNumber(MessagePacker out, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT:
      case LONG:
        out.packLong(node.longValue());
        break;
      case BIG_INTEGER:
        writeBigInteger(out, node.bigIntegerValue());
        break;
      case FLOAT:
        float f = node.floatValue();
        writeDouble(
            out,
            Float.isFinite(f) ? Double.parseDouble(NumberOutput.toString(f, true)) : (double) f);
        break;
      case DOUBLE:
        writeDouble(out, node.doubleValue());
        break;
      case BIG_DECIMAL:
        BigDecimal d = node.decimalValue();
        // An exact integer of at most 64 bits (20 digits) keeps its digits, like a BIG_INTEGER.
        if (d.precision() - d.scale() <= 20
            && (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0)) {
          writeBigInteger(out, d.toBigIntegerExact());
        } else {
          writeDouble(out, d.doubleValue());
        }
        break;
      default:
        throw new IllegalArgumentException("unsupported number type " + node.numberType());
    }
  }

  private static void writeBigInteger(MessagePacker out, BigInteger value) throws IOException {
    if (value.bitLength() <= 63) {
      out.packLong(value.longValue());
    } else if (value.signum() > 0 && value.bitLength() == 64) {
      out.packBigInteger(value); // uint 64
    } else {
      writeDouble(out, value.doubleValue());
    }
  }

  private static void writeDouble(MessagePacker out, double d) throws IOException {
    if (d == Math.rint(d) && !Double.isInfinite(d)) { // integral; NaN fails the comparison
      if (d >= -TWO_POW_63 && d < TWO_POW_63) {
        out.packLong((long) d); // -0.0 becomes 0, as notepack writes it
        return;
      }
      if (d > 0 && d < TWO_POW_64) {
        out.packBigInteger(new BigDecimal(d).toBigIntegerExact());
        return;
      }
    }
    out.packDouble(d);
  }
}
