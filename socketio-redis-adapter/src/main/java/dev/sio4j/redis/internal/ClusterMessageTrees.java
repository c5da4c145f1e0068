package dev.sio4j.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterMessage.AdapterClose;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterMessage.BroadcastData;
import dev.sio4j.adapter.ClusterMessage.DisconnectData;
import dev.sio4j.adapter.ClusterMessage.DisconnectSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSocketsData;
import dev.sio4j.adapter.ClusterMessage.Heartbeat;
import dev.sio4j.adapter.ClusterMessage.InitialHeartbeat;
import dev.sio4j.adapter.ClusterMessage.RoomsData;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmit;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmitData;
import dev.sio4j.adapter.ClusterMessage.SocketsJoin;
import dev.sio4j.adapter.ClusterMessage.SocketsLeave;
import dev.sio4j.adapter.ClusterResponse.AckData;
import dev.sio4j.adapter.ClusterResponse.BroadcastAck;
import dev.sio4j.adapter.ClusterResponse.BroadcastClientCount;
import dev.sio4j.adapter.ClusterResponse.ClientCountData;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponse;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponseData;
import dev.sio4j.adapter.ClusterResponse.ServerSideEmitResponse;
import dev.sio4j.adapter.MessageType;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketType;
import dev.sio4j.socketio.parser.msgpack.MsgpackTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference's {@code ClusterMessage} and {@code ClusterResponse} objects ({@code
 * socket.io-adapter}'s {@code cluster-adapter.ts}) as JSON trees, and their three encodings on
 * Redis: JSON text, msgpack, and the fields of a Redis stream entry. Written once for the sharded
 * adapter and the streams adapter.
 *
 * <p>Members are in the order Node builds them, so that JSON and msgpack bytes are the Node
 * adapters' own: the base class creates {@code {type, data}} and adds {@code uid} and {@code nsp}
 * when it publishes, giving {@code {type, data?, uid, nsp}}; {@code data} is {@code {packet,
 * requestId?, opts}} for a broadcast, {@code {opts, rooms}}, {@code {opts, close}}, {@code {opts,
 * requestId}}, {@code {requestId?, packet}} for the requests, {@code {requestId, ...}} for the
 * answers. The broadcast packet is {@code {type, data}}: Node publishes it before its own adapter
 * sets {@code nsp} and the ack id on it.
 *
 * <p>Binary: the Node adapters look for binary values in the {@code data} of the types that may
 * hold user values ({@link #mayContainBinary}) and switch to msgpack when they find one, since JSON
 * would turn a buffer into an object; a receiver tells JSON by its leading brace.
 *
 * <p>Reading is lenient where Node is (a packet without {@code nsp}, an ack without {@code packet})
 * and throws {@link IllegalArgumentException} for anything else, which the adapters turn into a
 * dropped message with a debug line.
 *
 * <p>Thread-safety: stateless.
 */
public final class ClusterMessageTrees {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MsgpackTrees MSGPACK = MsgpackTrees.create(MAPPER);
  private static final Base64.Encoder BASE64 = Base64.getEncoder();
  private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

  /** The stream entry fields, in the order the streams adapter writes them. */
  public static final String UID = "uid";

  public static final String NSP = "nsp";
  public static final String TYPE = "type";
  public static final String DATA = "data";

  private ClusterMessageTrees() {}

  // ---- whole messages --------------------------------------------------------------------------

  /** {@code {type, data?, uid, nsp}}. */
  public static ObjectNode tree(ClusterMessage message) {
    ObjectNode tree = F.objectNode();
    tree.put("type", message.type().code());
    data(message).ifPresent(d -> tree.set("data", d));
    tree.put("uid", message.uid());
    tree.put("nsp", message.nsp());
    return tree;
  }

  /** Reads a whole message object. */
  public static ClusterMessage message(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("a cluster message is an object");
    }
    JsonNode type = tree.get("type");
    if (type == null || !type.canConvertToInt()) {
      throw new IllegalArgumentException("cluster message without a numeric type");
    }
    return message(text(tree, "uid"), text(tree, "nsp"), type.intValue(), tree.get("data"));
  }

  /** JSON text, as {@code JSON.stringify(message)}. */
  public static byte[] json(ClusterMessage message) {
    return writeJson(tree(message));
  }

  /** msgpack, as notepack.io and {@code @msgpack/msgpack} write the message object. */
  public static byte[] msgpack(ClusterMessage message) {
    return MSGPACK.encode(tree(message));
  }

  /**
   * The sharded adapter's choice: msgpack when the message may carry user values and does carry a
   * binary one, JSON otherwise.
   */
  public static byte[] jsonOrMsgpack(ClusterMessage message) {
    ObjectNode tree = tree(message);
    if (mayContainBinary(message.type()) && hasBinary(tree.get("data"))) {
      return MSGPACK.encode(tree);
    }
    return writeJson(tree);
  }

  /** Reads JSON (first byte {@code '{'}) or msgpack (anything else). */
  public static ClusterMessage decode(byte[] payload) {
    if (payload.length == 0) {
      throw new IllegalArgumentException("empty message");
    }
    return message(payload[0] == '{' ? readJson(payload) : decodeMsgpack(payload));
  }

  // ---- stream entries (the streams adapter's RawClusterMessage) ---------------------------------

  /**
   * The fields of a stream entry: {@code uid}, {@code nsp}, {@code type} (the number as text) and,
   * when the message has data, {@code data}: JSON text, or base64 of its msgpack when it may carry
   * user values, does carry a binary one and {@code onlyPlaintext} is off.
   */
  public static Map<String, String> streamFields(ClusterMessage message, boolean onlyPlaintext) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(UID, message.uid());
    fields.put(NSP, message.nsp());
    fields.put(TYPE, Integer.toString(message.type().code()));
    data(message)
        .ifPresent(
            d -> {
              if (!onlyPlaintext && mayContainBinary(message.type()) && hasBinary(d)) {
                fields.put(DATA, BASE64.encodeToString(MSGPACK.encode(d)));
              } else {
                fields.put(DATA, new String(writeJson(d), StandardCharsets.UTF_8));
              }
            });
    return fields;
  }

  /** Reads the fields of a stream entry. */
  public static ClusterMessage fromStreamFields(Map<String, String> fields) {
    String type = fields.get(TYPE);
    if (type == null) {
      throw new IllegalArgumentException("stream entry without type");
    }
    int code;
    try {
      code = Integer.parseInt(type);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("stream entry with a bad type: " + type);
    }
    String data = fields.get(DATA);
    JsonNode tree = null;
    if (data != null && !data.isEmpty()) {
      tree =
          data.startsWith("{")
              ? readJson(data.getBytes(StandardCharsets.UTF_8))
              : decodeMsgpack(decodeBase64(data));
    }
    String uid = fields.get(UID);
    String nsp = fields.get(NSP);
    if (uid == null || nsp == null) {
      throw new IllegalArgumentException("stream entry without uid or nsp");
    }
    return message(uid, nsp, code, tree);
  }

  // ---- the parts -------------------------------------------------------------------------------

  /** Whether a message type may carry user values (and so binary ones), as the reference lists. */
  public static boolean mayContainBinary(MessageType type) {
    return switch (type) {
      case BROADCAST,
          BROADCAST_ACK,
          FETCH_SOCKETS_RESPONSE,
          SERVER_SIDE_EMIT,
          SERVER_SIDE_EMIT_RESPONSE ->
          true;
      default -> false;
    };
  }

  /** Whether a tree holds a binary value anywhere. */
  public static boolean hasBinary(JsonNode tree) {
    if (tree == null) {
      return false;
    }
    if (tree.isBinary()) {
      return true;
    }
    if (tree.isContainerNode()) {
      for (JsonNode child : tree) {
        if (hasBinary(child)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The {@code data} object of a message, in Node's member order; empty for heartbeats. */
  public static Optional<ObjectNode> data(ClusterMessage message) {
    ObjectNode d = F.objectNode();
    if (message instanceof Broadcast b) {
      d.set("packet", broadcastPacket(b.data().packet()));
      b.data().requestId().ifPresent(id -> d.put("requestId", id));
      d.set("opts", WireTrees.options(b.data().opts()));
    } else if (message instanceof SocketsJoin j) {
      rooms(d, j.data());
    } else if (message instanceof SocketsLeave l) {
      rooms(d, l.data());
    } else if (message instanceof DisconnectSockets ds) {
      d.set("opts", WireTrees.options(ds.data().opts()));
      d.put("close", ds.data().close());
    } else if (message instanceof FetchSockets fs) {
      d.set("opts", WireTrees.options(fs.data().opts()));
      d.put("requestId", fs.data().requestId());
    } else if (message instanceof ServerSideEmit sse) {
      sse.data().requestId().ifPresent(id -> d.put("requestId", id));
      d.set("packet", sse.data().packet());
    } else if (message instanceof FetchSocketsResponse r) {
      d.put("requestId", r.data().requestId());
      ArrayNode sockets = d.putArray("sockets");
      r.data().sockets().forEach(s -> sockets.add(WireTrees.socket(s)));
    } else if (message instanceof ServerSideEmitResponse r) {
      ack(d, r.data());
    } else if (message instanceof BroadcastClientCount r) {
      d.put("requestId", r.data().requestId());
      d.put("clientCount", r.data().clientCount());
    } else if (message instanceof BroadcastAck r) {
      ack(d, r.data());
    } else {
      // INITIAL_HEARTBEAT, HEARTBEAT, ADAPTER_CLOSE
      return Optional.empty();
    }
    return Optional.of(d);
  }

  /** The packet of a broadcast as Node publishes it: {@code {type, data}}. */
  public static ObjectNode broadcastPacket(SioPacket packet) {
    ObjectNode tree = F.objectNode();
    SioPacketType type = packet.type();
    if (type == SioPacketType.BINARY_EVENT) {
      type = SioPacketType.EVENT;
    } else if (type == SioPacketType.BINARY_ACK) {
      type = SioPacketType.ACK;
    }
    tree.put("type", type.id());
    tree.set("data", packet.data().orElse(null));
    return tree;
  }

  private static void rooms(ObjectNode d, RoomsData data) {
    d.set("opts", WireTrees.options(data.opts()));
    ArrayNode rooms = d.putArray("rooms");
    data.rooms().forEach(rooms::add);
  }

  private static void ack(ObjectNode d, AckData data) {
    d.put("requestId", data.requestId());
    d.set("packet", data.packet());
  }

  /** A message from its envelope and its {@code data} tree ({@code null} when it has none). */
  public static ClusterMessage message(String uid, String nsp, int code, JsonNode data) {
    MessageType type;
    try {
      type = MessageType.fromCode(code);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown cluster message type " + code);
    }
    switch (type) {
      case INITIAL_HEARTBEAT:
        return new InitialHeartbeat(uid, nsp);
      case HEARTBEAT:
        return new Heartbeat(uid, nsp);
      case ADAPTER_CLOSE:
        return new AdapterClose(uid, nsp);
      default:
        break;
    }
    if (data == null || !data.isObject()) {
      throw new IllegalArgumentException(type + " without a data object");
    }
    switch (type) {
      case BROADCAST:
        return new Broadcast(
            uid,
            nsp,
            new BroadcastData(
                opts(data), WireTrees.packet(data.get("packet"), nsp), optionalText(data)));
      case SOCKETS_JOIN:
        return new SocketsJoin(uid, nsp, new RoomsData(opts(data), roomList(data)));
      case SOCKETS_LEAVE:
        return new SocketsLeave(uid, nsp, new RoomsData(opts(data), roomList(data)));
      case DISCONNECT_SOCKETS:
        return new DisconnectSockets(
            uid, nsp, new DisconnectData(opts(data), data.path("close").asBoolean(false)));
      case FETCH_SOCKETS:
        return new FetchSockets(uid, nsp, new FetchSocketsData(opts(data), requestId(data)));
      case SERVER_SIDE_EMIT:
        {
          JsonNode packet = data.get("packet");
          if (packet == null || !packet.isArray()) {
            throw new IllegalArgumentException("SERVER_SIDE_EMIT without a packet array");
          }
          return new ServerSideEmit(
              uid, nsp, new ServerSideEmitData(optionalText(data), (ArrayNode) packet));
        }
      case FETCH_SOCKETS_RESPONSE:
        {
          JsonNode sockets = data.get("sockets");
          if (sockets == null || !sockets.isArray()) {
            throw new IllegalArgumentException("FETCH_SOCKETS_RESPONSE without sockets");
          }
          List<SocketDetails> list = new ArrayList<>();
          sockets.forEach(s -> list.add(WireTrees.socket(s)));
          return new FetchSocketsResponse(
              uid, nsp, new FetchSocketsResponseData(requestId(data), list));
        }
      case SERVER_SIDE_EMIT_RESPONSE:
        return new ServerSideEmitResponse(uid, nsp, ackData(data));
      case BROADCAST_CLIENT_COUNT:
        {
          JsonNode count = data.get("clientCount");
          if (count == null || !count.canConvertToInt() || count.intValue() < 0) {
            throw new IllegalArgumentException("BROADCAST_CLIENT_COUNT without a count");
          }
          return new BroadcastClientCount(
              uid, nsp, new ClientCountData(requestId(data), count.intValue()));
        }
      case BROADCAST_ACK:
        return new BroadcastAck(uid, nsp, ackData(data));
      default:
        throw new IllegalArgumentException("unexpected type " + type);
    }
  }

  private static AckData ackData(JsonNode data) {
    JsonNode packet = data.get("packet");
    return new AckData(requestId(data), packet == null ? NullNode.instance : packet);
  }

  private static BroadcastOptions opts(JsonNode data) {
    return WireTrees.options(data.get("opts"));
  }

  private static List<String> roomList(JsonNode data) {
    return List.copyOf(WireTrees.stringSet(data.get("rooms")));
  }

  private static String requestId(JsonNode data) {
    JsonNode id = data.get("requestId");
    if (id == null || !id.isTextual()) {
      throw new IllegalArgumentException("no requestId");
    }
    return id.textValue();
  }

  private static Optional<String> optionalText(JsonNode data) {
    JsonNode id = data.get("requestId");
    if (id == null || id.isNull()) {
      return Optional.empty();
    }
    if (!id.isTextual()) {
      throw new IllegalArgumentException("requestId is not a string");
    }
    return Optional.of(id.textValue());
  }

  private static String text(JsonNode tree, String field) {
    JsonNode v = tree.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("cluster message without " + field);
    }
    return v.textValue();
  }

  // ---- encodings -------------------------------------------------------------------------------

  /** JSON text of a tree, as {@code JSON.stringify} writes it for the values messages hold. */
  public static byte[] writeJson(JsonNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Reads JSON text. */
  public static JsonNode readJson(byte[] json) {
    try {
      JsonNode tree = MAPPER.readTree(json);
      if (tree == null) {
        throw new IllegalArgumentException("empty JSON");
      }
      return tree;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage());
    }
  }

  /** msgpack bytes of a tree. */
  public static byte[] encodeMsgpack(JsonNode tree) {
    return MSGPACK.encode(tree);
  }

  /** Reads msgpack bytes. */
  public static JsonNode decodeMsgpack(byte[] bytes) {
    try {
      return MSGPACK.decode(bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed msgpack: " + e.getMessage());
    }
  }

  /** Standard base64, as Node's {@code Buffer.toString("base64")}. */
  public static String base64(byte[] bytes) {
    return BASE64.encodeToString(bytes);
  }

  /** Reads base64 text. */
  public static byte[] decodeBase64(String text) {
    try {
      return BASE64_DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed base64");
    }
  }
}
