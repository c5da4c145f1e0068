package dev.sio4j.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One Socket.IO packet: a type, a namespace, an optional acknowledgement id and optional JSON data.
 *
 * <p>Data is a Jackson tree. Binary values are {@link
 * com.fasterxml.jackson.databind.node.BinaryNode BinaryNode}s anywhere in it, which is what {@code
 * ObjectMapper.valueToTree} produces for a {@code byte[]} and what {@code treeToValue(node,
 * byte[].class)} reads back. Create {@link SioPacketType#EVENT EVENT} and {@link SioPacketType#ACK
 * ACK} packets even when they carry binary data: the {@link SioEncoder} switches to the {@code
 * BINARY_*} wire types by itself.
 *
 * <p>Absent data is {@link Optional#empty()} from {@link #data()}; JSON {@code null} is present
 * data (a {@code NullNode}). The absent ack id is {@code -1}, chosen over {@code OptionalLong}
 * because the id is read on every event and ack.
 *
 * <p>The factories check the same payload rules the decoder enforces on input (REFERENCE §4.1), so
 * a packet built here is one the peer accepts; they throw {@link IllegalArgumentException}
 * otherwise.
 *
 * <p>Thread-safety: immutable, provided the data tree is not modified after the packet is created.
 * The tree is not copied (copying every broadcast argument would cost more than the rule), so treat
 * it as frozen once handed over; the encoder and decoder never modify a packet's tree.
 */
public final class SioPacket {
  /** The default namespace. */
  public static final String DEFAULT_NAMESPACE = "/";

  /**
   * Event names that must not be emitted, as they have a meaning of their own on one side or the
   * other; the decoder rejects events carrying them.
   */
  public static final Set<String> RESERVED_EVENTS =
      Set.of(
          "connect",
          "connect_error",
          "disconnect",
          "disconnecting",
          "newListener",
          "removeListener");

  /** The value of {@link #ackId()} when the packet carries no acknowledgement id. */
  public static final long NO_ACK_ID = -1;

  private final SioPacketType type;
  private final String namespace;
  private final long ackId;
  private final JsonNode data;

  SioPacket(SioPacketType type, String namespace, long ackId, JsonNode data) {
    this.type = type;
    this.namespace = namespace;
    this.ackId = ackId;
    this.data = data;
  }

  /** A CONNECT request (or the server's reply) without data. */
  public static SioPacket connect(String namespace) {
    return connect(namespace, null);
  }

  /**
   * A CONNECT packet; {@code authOrNull} is the client's auth object or the server's {@code
   * {"sid":...}} reply.
   *
   * @throws IllegalArgumentException if the data is not a JSON object
   */
  public static SioPacket connect(String namespace, JsonNode authOrNull) {
    return of(SioPacketType.CONNECT, namespace, authOrNull, NO_ACK_ID);
  }

  /** A DISCONNECT packet, which never carries data. */
  public static SioPacket disconnect(String namespace) {
    return of(SioPacketType.DISCONNECT, namespace, null, NO_ACK_ID);
  }

  /** An event without acknowledgement id; see {@link #event(String, ArrayNode, long)}. */
  public static SioPacket event(String namespace, ArrayNode args) {
    return event(namespace, args, NO_ACK_ID);
  }

  /**
   * An event: {@code args} holds the event name (a string not in {@link #RESERVED_EVENTS}, or a
   * number) followed by the arguments.
   *
   * @param ackId the id the peer must answer with an ACK, or {@link #NO_ACK_ID}
   * @throws IllegalArgumentException if {@code args} is empty, the name is reserved or not a
   *     string/number, or {@code ackId} is below {@code -1}
   */
  public static SioPacket event(String namespace, ArrayNode args, long ackId) {
    return of(SioPacketType.EVENT, namespace, Objects.requireNonNull(args, "args"), ackId);
  }

  /**
   * An acknowledgement of the event that carried {@code ackId}.
   *
   * @throws IllegalArgumentException if {@code ackId} is negative
   */
  public static SioPacket ack(String namespace, ArrayNode args, long ackId) {
    if (ackId < 0) {
      throw new IllegalArgumentException("an ack needs an ack id, got " + ackId);
    }
    return of(SioPacketType.ACK, namespace, Objects.requireNonNull(args, "args"), ackId);
  }

  /**
   * A CONNECT_ERROR packet. Protocol v5 servers send an object {@code {"message":...,"data":...}};
   * a string is also accepted by the peers.
   *
   * @throws IllegalArgumentException if the payload is neither a string nor an object
   */
  public static SioPacket connectError(String namespace, JsonNode payload) {
    return of(
        SioPacketType.CONNECT_ERROR,
        namespace,
        Objects.requireNonNull(payload, "payload"),
        NO_ACK_ID);
  }

  /**
   * A packet of any type, checked against the payload rules of REFERENCE §4.1 (CONNECT data is an
   * object if present, DISCONNECT has no data, events are a non-empty array starting with a
   * non-reserved name, acks are an array, CONNECT_ERROR is a string or an object).
   *
   * @param dataOrNull the data, or {@code null} when absent ({@code MissingNode} counts as absent)
   * @param ackId the acknowledgement id or {@link #NO_ACK_ID}
   * @throws IllegalArgumentException if the namespace, the ack id or the data break the rules
   */
  public static SioPacket of(
      SioPacketType type, String namespace, JsonNode dataOrNull, long ackId) {
    Objects.requireNonNull(type, "type");
    checkNamespace(namespace);
    if (ackId < NO_ACK_ID) {
      throw new IllegalArgumentException("ack id must be >= 0 or NO_ACK_ID, got " + ackId);
    }
    JsonNode data = dataOrNull == null || dataOrNull.isMissingNode() ? null : dataOrNull;
    if (!isPayloadValid(type, data)) {
      throw new IllegalArgumentException("invalid payload for " + type + ": " + data);
    }
    return new SioPacket(type, namespace, ackId, data);
  }

  private static void checkNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    // The decoder only recognises a namespace that starts with '/' and ends at the first ','.
    if (namespace.isEmpty() || namespace.charAt(0) != '/' || namespace.indexOf(',') >= 0) {
      throw new IllegalArgumentException(
          "namespace must start with '/' and contain no ',': " + namespace);
    }
  }

  /**
   * The payload rules of the reference decoder. Absent data passes for CONNECT and DISCONNECT only:
   * unlike the reference we require data on events, acks and connect errors, as no official peer
   * sends them without.
   */
  static boolean isPayloadValid(SioPacketType type, JsonNode data) {
    switch (type) {
      case CONNECT:
        return data == null || data.isObject();
      case DISCONNECT:
        return data == null;
      case CONNECT_ERROR:
        return data != null && (data.isTextual() || data.isObject());
      case EVENT:
      case BINARY_EVENT:
        if (data == null || !data.isArray() || data.isEmpty()) {
          return false;
        }
        JsonNode name = data.get(0);
        // A number that overflows a double (1e400) is refused: the reference would take it as
        // Infinity, which JSON writes as null, so the event could never be sent on.
        return (name.isNumber() && (!name.isDouble() || Double.isFinite(name.doubleValue())))
            || (name.isTextual() && !RESERVED_EVENTS.contains(name.textValue()));
      case ACK:
      case BINARY_ACK:
        return data != null && data.isArray();
      default:
        throw new AssertionError(type);
    }
  }

  /**
   * Whether {@code node} contains binary data anywhere: a {@code BinaryNode}, or a {@code POJONode}
   * wrapping a {@code byte[]}. {@code null} has none.
   */
  public static boolean hasBinary(JsonNode node) {
    if (node == null) {
      return false;
    }
    if (node.isBinary()) {
      return true;
    }
    if (node instanceof POJONode) {
      return ((POJONode) node).getPojo() instanceof byte[];
    }
    if (node.isArray()) {
      for (JsonNode child : node) {
        if (hasBinary(child)) {
          return true;
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (hasBinary(e.getValue())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The packet type. */
  public SioPacketType type() {
    return type;
  }

  /** The namespace, {@code "/"} by default. */
  public String namespace() {
    return namespace;
  }

  /** The acknowledgement id, or {@link #NO_ACK_ID} ({@code -1}) when there is none. */
  public long ackId() {
    return ackId;
  }

  /** Whether the packet carries an acknowledgement id. */
  public boolean hasAckId() {
    return ackId >= 0;
  }

  /**
   * The data: the argument array of an event or ack, the auth or handshake object of a CONNECT, the
   * string or object of a CONNECT_ERROR; empty when the packet has none.
   */
  public Optional<JsonNode> data() {
    return Optional.ofNullable(data);
  }

  /** The data or null, for the encoder's hot path. */
  JsonNode dataOrNull() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SioPacket)) {
      return false;
    }
    SioPacket other = (SioPacket) o;
    return type == other.type
        && ackId == other.ackId
        && namespace.equals(other.namespace)
        && Objects.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, namespace, ackId, data);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SioPacket{").append(type).append(' ').append(namespace);
    if (hasAckId()) {
      sb.append(" ackId=").append(ackId);
    }
    if (data != null) {
      sb.append(' ').append(data);
    }
    return sb.append('}').toString();
  }
}
