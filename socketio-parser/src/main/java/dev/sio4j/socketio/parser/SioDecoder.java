package dev.sio4j.socketio.parser;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The decoder of the default JSON parser ({@link SioParser#json()}): decodes the Socket.IO packets
 * of one connection (REFERENCE §4.3). Feed it every Engine.IO {@code message} in arrival order:
 * text with {@link #add(String)}, binary with {@link #add(byte[])}. A BINARY_EVENT or BINARY_ACK
 * header is held until its attachments have arrived; the packet is then reported as an EVENT or ACK
 * whose placeholders have been replaced by {@code BinaryNode}s wrapping the received arrays (not
 * copied: the decoder takes ownership of them).
 *
 * <p>Any violation throws {@link SocketIoParseException} with the reference parser's message. The
 * connection should then be closed; to go on anyway, call {@link #reset()} first.
 *
 * <p>Deliberately stricter than the reference, since no official peer sends these: a packet must
 * start with a type digit (the reference reads an empty string as CONNECT), an attachment count
 * must have at least one digit, EVENT/ACK/CONNECT_ERROR packets must carry data, a BINARY_* packet
 * announcing 0 attachments must not contain placeholders, a placeholder {@code num} must be an
 * integer, and an ack id must fit in a {@code long} (else {@code invalid ack id}).
 *
 * <p>Thread-safety: not thread-safe. It holds the state of a partially received binary packet, so
 * use one decoder per connection, confined to the thread (event loop) that reads that connection.
 */
public final class SioDecoder implements SioPacketDecoder {
  /** The default limit on attachments per packet, the reference's since its 4.2.6 fix. */
  public static final int DEFAULT_MAX_ATTACHMENTS = 10;

  private static final ObjectReader DEFAULT_READER = readerFor(JsJson.DEFAULT_MAPPER);
  private static final FlatArrayParser DEFAULT_FLAT = new FlatArrayParser(DEFAULT_READER);

  private final int maxAttachments;
  private final ObjectReader reader;
  private final FlatArrayParser flat;

  // The BINARY_* packet waiting for attachments, or null.
  private SioPacket pending;
  private int expectedAttachments;
  private final List<byte[]> attachments = new ArrayList<>();

  /** A decoder accepting up to {@value #DEFAULT_MAX_ATTACHMENTS} attachments per packet. */
  public SioDecoder() {
    this(DEFAULT_MAX_ATTACHMENTS);
  }

  /**
   * A decoder with its own attachment limit.
   *
   * @param maxAttachments the largest attachment count a packet may announce; bounds the memory a
   *     peer can make this decoder hold for one packet
   */
  public SioDecoder(int maxAttachments) {
    this(maxAttachments, DEFAULT_READER, DEFAULT_FLAT);
  }

  /**
   * A decoder whose JSON is parsed by {@code mapper} (its node factory and read features apply,
   * e.g. {@code USE_BIG_DECIMAL_FOR_FLOATS}).
   */
  public SioDecoder(int maxAttachments, ObjectMapper mapper) {
    this(maxAttachments, readerFor(Objects.requireNonNull(mapper, "mapper")));
  }

  private SioDecoder(int maxAttachments, ObjectReader reader) {
    this(maxAttachments, reader, new FlatArrayParser(reader));
  }

  private SioDecoder(int maxAttachments, ObjectReader reader, FlatArrayParser flat) {
    if (maxAttachments < 0) {
      throw new IllegalArgumentException("maxAttachments must be >= 0, got " + maxAttachments);
    }
    this.maxAttachments = maxAttachments;
    this.reader = reader;
    this.flat = flat;
  }

  /**
   * Makes decoders that share one JSON reader made from {@code mapper}: a server creates one
   * decoder per connection, and a reader (with its configuration) per decoder would be a few
   * hundred bytes of every connection.
   */
  public static Supplier<SioDecoder> factory(int maxAttachments, ObjectMapper mapper) {
    ObjectReader reader =
        mapper == JsJson.DEFAULT_MAPPER
            ? DEFAULT_READER
            : readerFor(Objects.requireNonNull(mapper, "mapper"));
    FlatArrayParser flat = reader == DEFAULT_READER ? DEFAULT_FLAT : new FlatArrayParser(reader);
    new SioDecoder(maxAttachments, reader, flat); // validates the limit now, not per connection
    return () -> new SioDecoder(maxAttachments, reader, flat);
  }

  private static ObjectReader readerFor(ObjectMapper mapper) {
    // JSON.parse rejects trailing content, e.g. `2["a"]x`; Jackson ignores it unless told.
    return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The attachment limit of this decoder. */
  public int maxAttachments() {
    return maxAttachments;
  }

  /** Whether a binary packet header has been received and its attachments are still awaited. */
  public boolean isReconstructing() {
    return pending != null;
  }

  /**
   * Decodes a text message.
   *
   * @return the packet, or empty when it is a binary packet whose attachments are still to come
   * @throws SocketIoParseException if the text is not a valid packet, or attachments are awaited
   */
  @Override
  public Optional<SioPacket> add(String text) {
    Objects.requireNonNull(text, "text");
    if (pending != null) {
      throw new SocketIoParseException("got plaintext data when reconstructing a packet");
    }
    int length = text.length();
    if (length == 0) {
      throw new SocketIoParseException("unknown packet type (empty packet)");
    }
    char first = text.charAt(0);
    if (first < '0' || first > '6') {
      throw new SocketIoParseException("unknown packet type " + describe(first));
    }
    SioPacketType type = SioPacketType.fromId(first - '0');
    int i = 1;

    int count = 0;
    if (type.isBinary()) {
      int start = i;
      long n = 0;
      while (i < length && isDigit(text.charAt(i))) {
        // Saturate rather than overflow: anything this big is over the limit anyway.
        n = Math.min(n * 10 + (text.charAt(i) - '0'), Integer.MAX_VALUE);
        i++;
      }
      if (i == start || i == length || text.charAt(i) != '-') {
        throw new SocketIoParseException("Illegal attachments");
      }
      if (n > maxAttachments) {
        throw new SocketIoParseException("too many attachments");
      }
      count = (int) n;
      i++;
    }

    String namespace = SioPacket.DEFAULT_NAMESPACE;
    if (i < length && text.charAt(i) == '/') {
      int comma = text.indexOf(',', i);
      int end = comma < 0 ? length : comma;
      if (end - i > 1) {
        namespace = text.substring(i, end);
      }
      i = comma < 0 ? length : comma + 1;
    }

    long ackId = SioPacket.NO_ACK_ID;
    if (i < length && isDigit(text.charAt(i))) {
      int start = i;
      while (i < length && isDigit(text.charAt(i))) {
        i++;
      }
      try {
        ackId = Long.parseLong(text, start, i, 10);
      } catch (NumberFormatException e) {
        throw new SocketIoParseException("invalid ack id", e);
      }
    }

    JsonNode data = null;
    if (i < length) {
      data = flat.parse(text, i);
      if (data == null) {
        data = parseJson(text.substring(i));
      }
    }
    if (!SioPacket.isPayloadValid(type, data)) {
      throw new SocketIoParseException("invalid payload");
    }

    if (!type.isBinary()) {
      return Optional.of(new SioPacket(type, namespace, ackId, data));
    }
    SioPacketType plain =
        type == SioPacketType.BINARY_EVENT ? SioPacketType.EVENT : SioPacketType.ACK;
    SioPacket header = new SioPacket(plain, namespace, ackId, data);
    if (count == 0) {
      return Optional.of(reconstruct(header, List.of()));
    }
    pending = header;
    expectedAttachments = count;
    return Optional.empty();
  }

  /**
   * Decodes a binary message: the next attachment of the packet being reconstructed.
   *
   * @return the reconstructed packet once its last attachment has arrived, else empty
   * @throws SocketIoParseException if no binary packet is awaiting attachments, or a placeholder
   *     points to no attachment
   */
  @Override
  public Optional<SioPacket> add(byte[] binary) {
    Objects.requireNonNull(binary, "binary");
    if (pending == null) {
      throw new SocketIoParseException("got binary data when not reconstructing a packet");
    }
    attachments.add(binary);
    if (attachments.size() < expectedAttachments) {
      return Optional.empty();
    }
    SioPacket header = pending;
    List<byte[]> buffers = List.copyOf(attachments);
    reset();
    return Optional.of(reconstruct(header, buffers));
  }

  /**
   * Drops a partially received binary packet, so that decoding can resume with the next header; the
   * equivalent of the reference's {@code destroy()}.
   */
  public void reset() {
    pending = null;
    expectedAttachments = 0;
    attachments.clear();
  }

  /** Releases the decoder's state; same as {@link #reset()}, named after the reference. */
  @Override
  public void destroy() {
    reset();
  }

  private JsonNode parseJson(String json) {
    if (!unicodeEscapesAreHex(json)) {
      throw new SocketIoParseException("invalid payload");
    }
    JsonNode node;
    try {
      node = reader.readTree(json);
    } catch (JacksonException e) {
      throw new SocketIoParseException("invalid payload", e);
    }
    if (node == null || node.isMissingNode()) {
      throw new SocketIoParseException("invalid payload"); // only whitespace
    }
    return node;
  }

  /**
   * Whether every {@code \\u} escape of {@code json} has four ASCII hex digits, as JSON.parse
   * demands. Jackson (2.20) also takes other chars for hex digits: {@code "\\u١٢٣٤"} (Arabic-Indic
   * digits) reads as U+ABCD where the reference rejects the packet. Outside strings a backslash is
   * an error Jackson reports anyway, so escapes are found without tracking strings. Costs nothing
   * for the usual payload, which has no backslash.
   */
  static boolean unicodeEscapesAreHex(String json) {
    int n = json.length();
    int i = json.indexOf('\\');
    while (i >= 0 && i + 1 < n) {
      if (json.charAt(i + 1) == 'u') {
        if (i + 6 > n) {
          return true; // truncated: Jackson rejects it
        }
        for (int j = i + 2; j < i + 6; j++) {
          if (!isHexDigit(json.charAt(j))) {
            return false;
          }
        }
      }
      // Past the escaped char: the second backslash of "\\\\" starts no escape.
      i = json.indexOf('\\', i + 2);
    }
    return true;
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static SioPacket reconstruct(SioPacket header, List<byte[]> buffers) {
    // The tree was parsed by this decoder and nobody else has seen it, so it is patched in place.
    JsonNode data = header.dataOrNull();
    JsonNode rebuilt = replacePlaceholders(data, buffers);
    return rebuilt == data
        ? header
        : new SioPacket(header.type(), header.namespace(), header.ackId(), rebuilt);
  }

  private static JsonNode replacePlaceholders(JsonNode node, List<byte[]> buffers) {
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0, n = array.size(); i < n; i++) {
        JsonNode child = array.get(i);
        JsonNode replaced = replacePlaceholders(child, buffers);
        if (replaced != child) {
          array.set(i, replaced);
        }
      }
    } else if (node.isObject()) {
      JsonNode marker = node.get("_placeholder");
      if (marker != null && marker.isBoolean() && marker.booleanValue()) {
        return BinaryNode.valueOf(buffers.get(attachmentIndex(node.get("num"), buffers.size())));
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode child = e.getValue();
        JsonNode replaced = replacePlaceholders(child, buffers);
        if (replaced != child) {
          e.setValue(replaced); // replaces a value only: no structural change to the map
        }
      }
    }
    return node;
  }

  private static int attachmentIndex(JsonNode num, int size) {
    if (num != null && num.isNumber()) {
      double value = num.doubleValue();
      if (value >= 0 && value < size && value == Math.rint(value)) {
        return (int) value;
      }
    }
    throw new SocketIoParseException("illegal attachments");
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String describe(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}
