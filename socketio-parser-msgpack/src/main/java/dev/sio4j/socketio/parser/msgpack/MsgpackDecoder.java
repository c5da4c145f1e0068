package dev.sio4j.socketio.parser.msgpack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.SioPacketType;
import dev.sio4j.socketio.parser.SocketIoParseException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Decodes msgpack packets: every Engine.IO message is one binary message holding one packet map.
 * There is no state between messages, so nothing to reassemble.
 *
 * <p>Values become the Jackson nodes the JSON parser would produce for what the JS peer sent:
 *
 * <ul>
 *   <li>integers: {@code IntNode}/{@code LongNode} ({@code BigIntegerNode} above {@code
 *       Long.MAX_VALUE}); floats: {@code DoubleNode} ({@code DecimalNode} when the mapper reads
 *       floats as {@code BigDecimal});
 *   <li>{@code bin}, and the ext type 0 with which notepack 2.x writes an ArrayBuffer: {@code
 *       BinaryNode}s wrapping fresh arrays;
 *   <li>JS {@code undefined} (notepack 2.x: fixext 1 of type 0): left out of objects, {@code null}
 *       in arrays, absent as packet data or id (as {@code JSON.stringify} treats it);
 *   <li>a {@code Date} (notepack 2.x: fixext 8 of type 0 with the epoch milliseconds; notepack 3.x:
 *       the timestamp extension -1 in its 32, 64 and 96-bit forms): its {@code toISOString()}, what
 *       {@code JSON.stringify} sends ({@code null} outside the JS date range);
 *   <li>any other extension: {@code [type, <binary>]}, as notepack decodes it;
 *   <li>map keys that are not strings: their JS property-key string ({@code 1} is {@code "1"}).
 * </ul>
 *
 * <p>The packet rules are the npm parser's (REFERENCE §4.5), with its messages: a map whose {@code
 * type} is an integer 0..4 ({@code invalid packet type}), {@code nsp} a string ({@code invalid
 * namespace}), data by type ({@code invalid payload}), {@code id} absent or an integer ({@code
 * invalid packet id}); other keys (the JS client adds {@code options}) are ignored. Stricter, since
 * a {@link SioPacket} cannot hold it: the namespace must start with {@code /} and hold no {@code
 * ,}, the id must be a non-negative {@code long}, events must be non-empty and start with a
 * non-reserved name (the JSON parser's rule). Malformed msgpack, trailing bytes, a text message, or
 * nesting deeper than the limit are rejected too.
 *
 * <p>Thread-safety: not thread-safe (per the SPI), though it happens to keep no state.
 */
final class MsgpackDecoder implements SioPacketDecoder {
  /** What a JS {@code undefined} decodes to before it is dropped; never escapes this class. */
  private static final JsonNode UNDEFINED = MissingNode.getInstance();

  private static final long MAX_JS_DATE_MS = 8_640_000_000_000_000L;

  private final JsonNodeFactory nodes;
  private final boolean bigDecimals;
  private final int maxDepth;

  MsgpackDecoder(JsonNodeFactory nodes, boolean bigDecimals, int maxDepth) {
    this.nodes = nodes;
    this.bigDecimals = bigDecimals;
    this.maxDepth = maxDepth;
  }

  static MsgpackDecoder of(ObjectMapper mapper) {
    return new MsgpackDecoder(
        mapper.getNodeFactory(),
        mapper.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS),
        mapper.getFactory().streamReadConstraints().getMaxNestingDepth());
  }

  @Override
  public Optional<SioPacket> add(String text) {
    Objects.requireNonNull(text, "text");
    throw new SocketIoParseException("invalid msgpack: text message");
  }

  @Override
  public Optional<SioPacket> add(byte[] binary) {
    Objects.requireNonNull(binary, "binary");
    return Optional.of(toPacket(decodeTree(binary)));
  }

  /**
   * One msgpack value as a JSON tree, by the rules of the class notes; a top-level JS {@code
   * undefined} becomes {@code null}.
   *
   * @throws SocketIoParseException when the bytes are not exactly one well-formed value
   */
  JsonNode decodeTree(byte[] bytes) {
    JsonNode decoded;
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
      if (!in.hasNext()) {
        throw new SocketIoParseException("invalid msgpack: empty message");
      }
      decoded = new Reader(in, bytes.length).value(0);
      long trailing = bytes.length - in.getTotalReadBytes();
      if (trailing > 0) {
        throw new SocketIoParseException("invalid msgpack: " + trailing + " trailing bytes");
      }
    } catch (MessagePackException | IOException e) {
      throw new SocketIoParseException("invalid msgpack: " + e.getMessage(), e);
    }
    return decoded == UNDEFINED ? nodes.nullNode() : decoded;
  }

  @Override
  public void destroy() {
    // Nothing is held between messages.
  }

  private static SioPacket toPacket(JsonNode decoded) {
    if (!decoded.isObject()) {
      throw new SocketIoParseException("invalid packet type");
    }
    JsonNode typeNode = decoded.get("type");
    long type = integer(typeNode);
    if (type < SioPacketType.CONNECT.id() || type > SioPacketType.CONNECT_ERROR.id()) {
      throw new SocketIoParseException("invalid packet type");
    }
    JsonNode nsp = decoded.get("nsp");
    if (nsp == null || !nsp.isTextual()) {
      throw new SocketIoParseException("invalid namespace");
    }
    String namespace = nsp.textValue();
    if (namespace.isEmpty() || namespace.charAt(0) != '/' || namespace.indexOf(',') >= 0) {
      throw new SocketIoParseException("invalid namespace");
    }
    SioPacketType packetType = SioPacketType.fromId((int) type);
    JsonNode data = decoded.get("data");
    if (!isDataValid(packetType, data)) {
      throw new SocketIoParseException("invalid payload");
    }
    JsonNode idNode = decoded.get("id");
    long id = SioPacket.NO_ACK_ID;
    if (idNode != null) {
      id = integer(idNode);
      if (id < 0) {
        throw new SocketIoParseException("invalid packet id");
      }
    }
    try {
      return SioPacket.of(packetType, namespace, data, id);
    } catch (IllegalArgumentException e) {
      // An empty event or a reserved event name: what the JSON parser refuses too.
      throw new SocketIoParseException("invalid payload", e);
    }
  }

  /** The npm parser's {@code isDataValid}; absent data is a JS {@code undefined}. */
  private static boolean isDataValid(SioPacketType type, JsonNode data) {
    switch (type) {
      case CONNECT:
        return data == null || data.isObject();
      case DISCONNECT:
        return data == null;
      case CONNECT_ERROR:
        return data != null && (data.isTextual() || data.isObject());
      default:
        return data != null && data.isArray();
    }
  }

  /** The value of an integral number node, or -1 for anything else (never a valid value here). */
  private static long integer(JsonNode node) {
    if (node == null || !node.isNumber()) {
      return -1;
    }
    if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
      return node.longValue();
    }
    return -1;
  }

  /** One pass over one message. */
  private final class Reader {
    private final MessageUnpacker in;
    private final int length;

    Reader(MessageUnpacker in, int length) {
      this.in = in;
      this.length = length;
    }

    private long remaining() {
      return length - in.getTotalReadBytes();
    }

    /** Checks a declared size against the bytes left, before anything is allocated for it. */
    private int checkSize(long declared, int minBytesEach) {
      if (declared < 0 || declared * minBytesEach > remaining()) {
        throw new SocketIoParseException("invalid msgpack: truncated");
      }
      return (int) declared;
    }

    JsonNode value(int depth) throws IOException {
      MessageFormat format = in.getNextFormat();
      switch (format.getValueType()) {
        case NIL:
          in.unpackNil();
          return nodes.nullNode();
        case BOOLEAN:
          return nodes.booleanNode(in.unpackBoolean());
        case INTEGER:
          return integer(format);
        case FLOAT:
          return number(format == MessageFormat.FLOAT32 ? in.unpackFloat() : in.unpackDouble());
        case STRING:
          return nodes.textNode(string());
        case BINARY:
          return nodes.binaryNode(payload(checkSize(in.unpackBinaryHeader(), 1)));
        case ARRAY:
          return array(depth);
        case MAP:
          return map(depth);
        case EXTENSION:
          return extension(format);
        default:
          throw new SocketIoParseException("invalid msgpack: Could not parse");
      }
    }

    private JsonNode integer(MessageFormat format) throws IOException {
      if (format == MessageFormat.UINT64) {
        BigInteger big = in.unpackBigInteger();
        return big.bitLength() <= 63 ? longNode(big.longValue()) : nodes.numberNode(big);
      }
      return longNode(in.unpackLong());
    }

    private JsonNode longNode(long value) {
      // Jackson's JSON parser makes an IntNode when the value fits; trees compare equal that way.
      return value == (int) value ? nodes.numberNode((int) value) : nodes.numberNode(value);
    }

    private JsonNode number(double value) {
      if (bigDecimals && Double.isFinite(value)) {
        return nodes.numberNode(BigDecimal.valueOf(value));
      }
      return nodes.numberNode(value);
    }

    private String string() throws IOException {
      int size = checkSize(in.unpackRawStringHeader(), 1);
      // Malformed UTF-8 becomes U+FFFD, as Node's Buffer#toString does.
      return new String(payload(size), StandardCharsets.UTF_8);
    }

    private byte[] payload(int size) throws IOException {
      checkSize(size, 1);
      return in.readPayload(size);
    }

    private JsonNode array(int depth) throws IOException {
      int size = checkSize(in.unpackArrayHeader(), 1);
      checkDepth(depth);
      ArrayNode array = nodes.arrayNode(Math.min(size, 16));
      for (int i = 0; i < size; i++) {
        JsonNode element = value(depth + 1);
        array.add(element == UNDEFINED ? nodes.nullNode() : element);
      }
      return array;
    }

    private JsonNode map(int depth) throws IOException {
      int size = checkSize(in.unpackMapHeader(), 2);
      checkDepth(depth);
      ObjectNode object = nodes.objectNode();
      for (int i = 0; i < size; i++) {
        String key = key(value(depth + 1));
        JsonNode member = value(depth + 1);
        if (member == UNDEFINED) {
          object.remove(key); // JS keeps the key with an undefined value, which JSON drops
        } else {
          object.set(key, member);
        }
      }
      return object;
    }

    private void checkDepth(int depth) {
      if (depth >= maxDepth) {
        throw new SocketIoParseException("invalid msgpack: nesting deeper than " + maxDepth);
      }
    }

    /** The property key JS makes of a decoded key ({@code value[key] = ...}). */
    private String key(JsonNode key) {
      if (key.isTextual()) {
        return key.textValue();
      }
      if (key.isIntegralNumber()) {
        return key.asText();
      }
      if (key.isBoolean() || key.isNull()) {
        return key.asText();
      }
      if (key == UNDEFINED) {
        return "undefined";
      }
      throw new SocketIoParseException("invalid msgpack: unsupported map key " + key.getNodeType());
    }

    private JsonNode extension(MessageFormat format) throws IOException {
      ExtensionTypeHeader header = in.unpackExtensionTypeHeader();
      byte type = header.getType();
      int size = checkSize(header.getLength(), 1);
      if (type == 0) {
        switch (format) {
          case FIXEXT1: // notepack 2.x undefined
            payload(size);
            return UNDEFINED;
          case FIXEXT8: // notepack 2.x Date: int64 milliseconds as two 32-bit halves
            byte[] ms = payload(size);
            return date(readInt(ms, 0) * 0x1p32 + (readInt(ms, 4) & 0xffffffffL));
          case EXT8:
          case EXT16:
          case EXT32: // notepack 2.x ArrayBuffer
            return nodes.binaryNode(payload(size));
          default:
            break;
        }
      } else if (type == -1) { // the timestamp extension (notepack 3.x Date)
        if (format == MessageFormat.FIXEXT4) {
          byte[] b = payload(size);
          return date((readInt(b, 0) & 0xffffffffL) * 1e3);
        }
        if (format == MessageFormat.FIXEXT8) {
          byte[] b = payload(size);
          long hi = readInt(b, 0) & 0xffffffffL;
          long lo = readInt(b, 4) & 0xffffffffL;
          double seconds = (hi & 0x3) * 0x1p32 + lo;
          return date(seconds * 1e3 + (hi >>> 2) / 1e6);
        }
        if (format == MessageFormat.EXT8 && size == 12) {
          byte[] b = payload(size);
          long nanos = readInt(b, 0) & 0xffffffffL;
          double seconds = readInt(b, 4) * 0x1p32 + (readInt(b, 8) & 0xffffffffL);
          return date(seconds * 1e3 + nanos / 1e6);
        }
      }
      ArrayNode pair = nodes.arrayNode(2);
      pair.add((int) type);
      pair.add(nodes.binaryNode(payload(size)));
      return pair;
    }

    private JsonNode date(double epochMillis) {
      // JS: new Date(x) truncates x towards zero; outside +-8.64e15 it is an Invalid Date, which
      // JSON.stringify writes as null.
      if (!(Math.abs(epochMillis) <= MAX_JS_DATE_MS)) {
        return nodes.nullNode();
      }
      return nodes.textNode(isoString((long) epochMillis));
    }
  }

  private static int readInt(byte[] b, int offset) {
    return ((b[offset] & 0xff) << 24)
        | ((b[offset + 1] & 0xff) << 16)
        | ((b[offset + 2] & 0xff) << 8)
        | (b[offset + 3] & 0xff);
  }

  /**
   * JS {@code Date.prototype.toISOString}: always milliseconds, six-digit signed years outside
   * 0..9999.
   */
  static String isoString(long epochMillis) {
    LocalDateTime t =
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(epochMillis, 1000L),
            (int) Math.floorMod(epochMillis, 1000L) * 1_000_000,
            ZoneOffset.UTC);
    int year = t.getYear();
    String y =
        year >= 0 && year <= 9999
            ? String.format("%04d", year)
            : (year < 0 ? "-" : "+") + String.format("%06d", Math.abs(year));
    return String.format(
        "%s-%02d-%02dT%02d:%02d:%02d.%03dZ",
        y,
        t.getMonthValue(),
        t.getDayOfMonth(),
        t.getHour(),
        t.getMinute(),
        t.getSecond(),
        t.getNano() / 1_000_000);
  }
}
