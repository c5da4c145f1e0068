package dev.sio4j.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketType;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The JS objects the Node adapters put inside their messages, as JSON trees: the packet {@code
 * {type, data, nsp, id?}} (not Socket.IO-encoded: binary stays inline), the options {@code {rooms,
 * except, flags}} and a fetched socket {@code {id, handshake, rooms, data}}. Shared by every Redis
 * adapter and the emitter; the trees then go out as JSON or msgpack ({@link
 * dev.sio4j.socketio.parser.msgpack.MsgpackTrees}).
 *
 * <p>Members are written in the order the Node objects have them, so that the msgpack bytes are the
 * Node adapters' own. Readers are lenient where Node is (a missing {@code nsp}, {@code except} or
 * {@code flags}) and throw {@link IllegalArgumentException} on anything else, which the adapters
 * turn into a dropped message with a debug line.
 *
 * <p>Thread-safety: stateless.
 */
public final class WireTrees {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private WireTrees() {}

  /** {@code {type, data, nsp, id?}}: the packet as socket.io hands it to its adapter. */
  public static ObjectNode packet(SioPacket packet) {
    ObjectNode tree = F.objectNode();
    tree.put("type", wireType(packet.type()));
    tree.set("data", packet.data().orElse(null));
    tree.put("nsp", packet.namespace());
    if (packet.hasAckId()) {
      tree.put("id", packet.ackId());
    }
    return tree;
  }

  /**
   * Reads a packet object; {@code nsp} defaults to the message's namespace, the binary types read
   * as their plain ones (binary is inline here).
   */
  public static SioPacket packet(JsonNode tree, String defaultNsp) {
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("packet is not an object");
    }
    JsonNode type = tree.get("type");
    if (type == null || !type.canConvertToInt()) {
      throw new IllegalArgumentException("packet without type");
    }
    SioPacketType t = SioPacketType.fromId(type.intValue());
    if (t == SioPacketType.BINARY_EVENT) {
      t = SioPacketType.EVENT;
    } else if (t == SioPacketType.BINARY_ACK) {
      t = SioPacketType.ACK;
    }
    JsonNode nsp = tree.get("nsp");
    JsonNode id = tree.get("id");
    long ackId =
        id == null || id.isNull()
            ? SioPacket.NO_ACK_ID
            : id.canConvertToLong() ? id.longValue() : SioPacket.NO_ACK_ID;
    return SioPacket.of(
        t, nsp != null && nsp.isTextual() ? nsp.textValue() : defaultNsp, tree.get("data"), ackId);
  }

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

  /** {@code {rooms: [...], except: [...], flags: {...}}}. */
  public static ObjectNode options(BroadcastOptions options) {
    ObjectNode tree = F.objectNode();
    tree.set("rooms", strings(options.rooms()));
    tree.set("except", strings(options.except()));
    tree.set("flags", flags(options.flags()));
    return tree;
  }

  /** Reads an options object; absent members are empty, absent flags the defaults. */
  public static BroadcastOptions options(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("opts is not an object");
    }
    return new BroadcastOptions(
        stringSet(tree.get("rooms")), stringSet(tree.get("except")), flags(tree.get("flags")));
  }

  /**
   * The flags object of a Node broadcast: only the flags that were set ({@code io.emit} sends
   * {@code {}}): {@code volatile}, {@code compress} when turned off, {@code timeout} in
   * milliseconds. {@code local} never travels (a local operation is not published).
   */
  public static ObjectNode flags(BroadcastFlags flags) {
    ObjectNode tree = F.objectNode();
    if (flags.isVolatile()) {
      tree.put("volatile", true);
    }
    if (!flags.compress()) {
      tree.put("compress", false);
    }
    flags.timeout().ifPresent(t -> tree.put("timeout", t.toMillis()));
    return tree;
  }

  /** Reads a flags object; unknown members are ignored. */
  public static BroadcastFlags flags(JsonNode tree) {
    BroadcastFlags flags = BroadcastFlags.DEFAULT;
    if (tree == null || !tree.isObject()) {
      return flags;
    }
    if (tree.path("volatile").asBoolean(false)) {
      flags = flags.withVolatile(true);
    }
    JsonNode compress = tree.get("compress");
    if (compress != null && compress.isBoolean()) {
      flags = flags.withCompress(compress.booleanValue());
    }
    JsonNode timeout = tree.get("timeout");
    if (timeout != null && timeout.isNumber() && timeout.asLong() >= 0) {
      flags = flags.withTimeout(Duration.ofMillis(timeout.asLong()));
    }
    return flags;
  }

  /** {@code {id, handshake, rooms: [...], data}}: one socket of a fetch answer. */
  public static ObjectNode socket(SocketDetails socket) {
    ObjectNode tree = F.objectNode();
    tree.put("id", socket.id());
    tree.set("handshake", socket.handshake());
    tree.set("rooms", strings(socket.rooms()));
    tree.set("data", socket.data());
    return tree;
  }

  /** Reads one socket of a fetch answer. */
  public static SocketDetails socket(JsonNode tree) {
    if (tree == null || !tree.isObject() || !tree.path("id").isTextual()) {
      throw new IllegalArgumentException("socket without id");
    }
    JsonNode handshake = tree.get("handshake");
    JsonNode data = tree.get("data");
    return new SocketDetails(
        tree.get("id").textValue(),
        handshake == null ? F.objectNode() : handshake,
        stringSet(tree.get("rooms")),
        data == null ? NullNode.instance : data);
  }

  /** A JSON array of the strings, in the set's order. */
  public static ArrayNode strings(Set<String> values) {
    ArrayNode array = F.arrayNode(values.size());
    values.forEach(array::add);
    return array;
  }

  /** A set of the array's strings (absent or null: empty); anything but strings is an error. */
  public static Set<String> stringSet(JsonNode array) {
    if (array == null || array.isNull()) {
      return Set.of();
    }
    if (!array.isArray()) {
      throw new IllegalArgumentException("not an array of rooms: " + array.getNodeType());
    }
    Set<String> set = new LinkedHashSet<>();
    for (JsonNode room : array) {
      if (!room.isTextual()) {
        // Node allows numbers as rooms unofficially; they travel as numbers.
        if (!room.isNumber()) {
          throw new IllegalArgumentException("room is not a string: " + room.getNodeType());
        }
        set.add(room.asText());
      } else {
        set.add(room.textValue());
      }
    }
    return set;
  }
}
