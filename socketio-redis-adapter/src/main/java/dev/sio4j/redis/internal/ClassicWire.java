package dev.sio4j.redis.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.socketio.parser.msgpack.MsgpackTrees;
import java.io.IOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The wire of the classic Redis adapter ({@code @socket.io/redis-adapter} {@code createAdapter})
 * and of the Redis emitter ({@code @socket.io/redis-emitter}), written once for both: channel
 * names, the request type numbers, the shapes of the requests they both send, and the two encodings
 * (msgpack as notepack.io writes it, JSON as {@code JSON.stringify} writes it).
 *
 * <p>Members of every object are written in the order the Node sources build them, so that the
 * bytes are the Node packages' own for the same input.
 *
 * <p>Thread-safety: stateless; {@link Channels} is immutable.
 */
public final class ClassicWire {
  /** {@code RequestType.SOCKETS}: the ids of the sockets in some rooms (legacy). */
  public static final int SOCKETS = 0;

  /** {@code RequestType.ALL_ROOMS}: every node's rooms. */
  public static final int ALL_ROOMS = 1;

  /** {@code RequestType.REMOTE_JOIN}: {@code socketsJoin} (or one socket's join, legacy). */
  public static final int REMOTE_JOIN = 2;

  /** {@code RequestType.REMOTE_LEAVE}: {@code socketsLeave} (or one socket's leave, legacy). */
  public static final int REMOTE_LEAVE = 3;

  /** {@code RequestType.REMOTE_DISCONNECT}: {@code disconnectSockets} (or one socket, legacy). */
  public static final int REMOTE_DISCONNECT = 4;

  /** {@code RequestType.REMOTE_FETCH}: {@code fetchSockets}. */
  public static final int REMOTE_FETCH = 5;

  /** {@code RequestType.SERVER_SIDE_EMIT}: {@code serverSideEmit}, with or without ack. */
  public static final int SERVER_SIDE_EMIT = 6;

  /** {@code RequestType.BROADCAST}: a broadcast with acks (msgpack). */
  public static final int BROADCAST = 7;

  /** {@code RequestType.BROADCAST_CLIENT_COUNT}: a node's client count for a broadcast. */
  public static final int BROADCAST_CLIENT_COUNT = 8;

  /** {@code RequestType.BROADCAST_ACK}: one client's ack of a broadcast (msgpack). */
  public static final int BROADCAST_ACK = 9;

  /** The {@code uid} the emitter writes in its broadcasts and server-side emits. */
  public static final String EMITTER_UID = "emitter";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  // JSON.parse refuses trailing garbage; so does this.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final MsgpackTrees MSGPACK = MsgpackTrees.create();

  private ClassicWire() {}

  // ---- channels ------------------------------------------------------------------------------

  /**
   * The channels of one namespace under one key: broadcasts on {@code <key>#<nsp>#} or, for a
   * single room, {@code <key>#<nsp>#<room>#}; requests on {@code <key>-request#<nsp>#}; responses
   * on {@code <key>-response#<nsp>#} or the requester's own {@code <key>-response#<nsp>#<uid>#}.
   *
   * <p>Thread-safety: immutable.
   *
   * @param key the key prefix ({@code socket.io} by default)
   * @param nsp the namespace name, e.g. {@code /}
   */
  public record Channels(String key, String nsp) {
    public Channels {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(nsp, "nsp");
    }

    /** {@code <key>#<nsp>#}. */
    public String broadcast() {
      return key + "#" + nsp + "#";
    }

    /** {@code <key>#<nsp>#<room>#}. */
    public String room(String room) {
      return broadcast() + room + "#";
    }

    /** Where a broadcast to these rooms goes: the room's channel for exactly one room. */
    public String broadcastTo(Collection<String> rooms) {
      return rooms.size() == 1 ? room(rooms.iterator().next()) : broadcast();
    }

    /**
     * The pattern receiving every broadcast of the namespace: the Node adapter's {@code
     * <key>#<nsp>#*}, with the glob characters of the key and namespace escaped so that they match
     * themselves only.
     */
    public String broadcastPattern() {
      return globEscape(broadcast()) + "*";
    }

    /**
     * The room a broadcast channel names: empty for the namespace channel; absent for a channel of
     * another namespace.
     */
    public Optional<String> roomOf(String channel) {
      String prefix = broadcast();
      if (!channel.startsWith(prefix)) {
        return Optional.empty();
      }
      // As the reference: whatever lies between the prefix and the last character.
      return Optional.of(
          channel.length() > prefix.length()
              ? channel.substring(prefix.length(), channel.length() - 1)
              : "");
    }

    /** {@code <key>-request#<nsp>#}. */
    public String request() {
      return key + "-request#" + nsp + "#";
    }

    /** {@code <key>-response#<nsp>#}. */
    public String response() {
      return key + "-response#" + nsp + "#";
    }

    /** {@code <key>-response#<nsp>#<uid>#}. */
    public String specificResponse(String uid) {
      return response() + uid + "#";
    }
  }

  static String globEscape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  // ---- shapes --------------------------------------------------------------------------------

  /** {@code [uid, packet, opts]}, a message of the broadcast channels, as msgpack. */
  public static byte[] broadcastMessage(String uid, JsonNode packet, JsonNode opts) {
    ArrayNode message = F.arrayNode(3);
    message.add(uid);
    message.add(packet);
    message.add(opts);
    return msgpack(message);
  }

  /** {@code {rooms, except}}: the targets of a request (the requests carry no flags). */
  public static ObjectNode targets(Set<String> rooms, Set<String> except) {
    ObjectNode opts = F.objectNode();
    opts.set("rooms", WireTrees.strings(rooms));
    opts.set("except", WireTrees.strings(except));
    return opts;
  }

  /**
   * {@code {rooms, flags, except}}: the options of the emitter's broadcasts, in the emitter's own
   * member order (the adapter writes {@code {rooms, except, flags}}).
   */
  public static ObjectNode emitterOptions(Set<String> rooms, JsonNode flags, Set<String> except) {
    ObjectNode opts = F.objectNode();
    opts.set("rooms", WireTrees.strings(rooms));
    opts.set("flags", flags);
    opts.set("except", WireTrees.strings(except));
    return opts;
  }

  /** {@code {uid?, requestId?, type}}: the head every request starts with. */
  public static ObjectNode request(Optional<String> uid, Optional<String> requestId, int type) {
    ObjectNode request = F.objectNode();
    uid.ifPresent(u -> request.put("uid", u));
    requestId.ifPresent(id -> request.put("requestId", id));
    request.put("type", type);
    return request;
  }

  /** {@code {uid?, type: 2|3, opts: {rooms, except}, rooms}}: socketsJoin / socketsLeave. */
  public static ObjectNode roomsRequest(
      Optional<String> uid,
      int type,
      Set<String> rooms,
      Set<String> except,
      Collection<String> roomsToChange) {
    ObjectNode request = request(uid, Optional.empty(), type);
    request.set("opts", targets(rooms, except));
    ArrayNode list = F.arrayNode(roomsToChange.size());
    roomsToChange.forEach(list::add);
    request.set("rooms", list);
    return request;
  }

  /** {@code {uid?, type: 4, opts: {rooms, except}, close}}: disconnectSockets. */
  public static ObjectNode disconnectRequest(
      Optional<String> uid, Set<String> rooms, Set<String> except, boolean close) {
    ObjectNode request = request(uid, Optional.empty(), REMOTE_DISCONNECT);
    request.set("opts", targets(rooms, except));
    request.put("close", close);
    return request;
  }

  /** {@code {uid, requestId?, type: 6, data: [event, ...args]}}: serverSideEmit. */
  public static ObjectNode serverSideEmitRequest(
      String uid, Optional<String> requestId, ArrayNode data) {
    ObjectNode request = request(Optional.of(uid), requestId, SERVER_SIDE_EMIT);
    request.set("data", data);
    return request;
  }

  // ---- encodings -----------------------------------------------------------------------------

  /** The bytes notepack.io writes for the value. */
  public static byte[] msgpack(JsonNode tree) {
    return MSGPACK.encode(tree);
  }

  /** The bytes {@code JSON.stringify} writes for the value. */
  public static byte[] json(JsonNode tree) {
    return JsJson.bytes(tree);
  }

  /**
   * Reads a message of the request or response channels as the reference does: JSON when it starts
   * with <code>{</code>, msgpack otherwise.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static JsonNode readMessage(byte[] message) {
    if (message.length == 0) {
      throw new IllegalArgumentException("empty message");
    }
    return message[0] == '{' ? readJson(message) : readMsgpack(message);
  }

  /**
   * Reads one msgpack value.
   *
   * @throws IllegalArgumentException when the bytes are not exactly one msgpack value
   */
  public static JsonNode readMsgpack(byte[] message) {
    try {
      return MSGPACK.decode(message);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed msgpack: " + e.getMessage(), e);
    }
  }

  private static JsonNode readJson(byte[] message) {
    try {
      JsonNode tree = JSON.readTree(message);
      if (tree == null) {
        throw new IllegalArgumentException("empty JSON");
      }
      return tree;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
  }

  // ---- reading helpers -----------------------------------------------------------------------

  /** The text member, if it is a string. */
  public static Optional<String> text(JsonNode tree, String field) {
    JsonNode value = tree.get(field);
    return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }

  /** The integral member, if it is a number. */
  public static Optional<Integer> integer(JsonNode tree, String field) {
    JsonNode value = tree.get(field);
    return value != null && value.isNumber() && value.canConvertToInt()
        ? Optional.of(value.intValue())
        : Optional.empty();
  }

  /** Whether every element of the array is a string. */
  static boolean allText(JsonNode array) {
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      if (!it.next().isTextual()) {
        return false;
      }
    }
    return true;
  }
}
