package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterMessage.BroadcastData;
import dev.sio4j.adapter.ClusterMessage.DisconnectData;
import dev.sio4j.adapter.ClusterMessage.DisconnectSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSocketsData;
import dev.sio4j.adapter.ClusterMessage.RoomsData;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmit;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmitData;
import dev.sio4j.adapter.ClusterMessage.SocketsJoin;
import dev.sio4j.adapter.ClusterMessage.SocketsLeave;
import dev.sio4j.adapter.ClusterResponse;
import dev.sio4j.adapter.ClusterResponse.AckData;
import dev.sio4j.adapter.ClusterResponse.BroadcastAck;
import dev.sio4j.adapter.ClusterResponse.BroadcastClientCount;
import dev.sio4j.adapter.ClusterResponse.ClientCountData;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponse;
import dev.sio4j.adapter.ClusterResponse.ServerSideEmitResponse;
import dev.sio4j.adapter.MessageType;
import dev.sio4j.adapter.RecoverySession;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.redis.ShardedRedisAdapterOptions.SubscriptionMode;
import dev.sio4j.redis.internal.ClusterMessageTrees;
import dev.sio4j.socketio.parser.SioPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Golden vectors: the bytes the Node adapters put on Redis for every cluster message they send
 * (recorded by {@code interop/js/cluster-vectors.mjs} through their own code paths, driven by a
 * real socket.io server), against ours. Both ways: each Node message decodes to the expected record
 * and encodes back to the same bytes; and the messages our adapters build from the same operations
 * are byte for byte Node's.
 */
@Timeout(120)
class NodeWireVectorsTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String UID = "0123456789abcdef";
  private static final String PEER = "fedcba9876543210";
  private static final BroadcastOptions NONE =
      new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.DEFAULT);

  private static RedisServer redis;
  private static List<JsonNode> vectors;

  @BeforeAll
  static void record() {
    redis = RedisServer.start();
    try (NodeScript node = NodeScript.start("cluster-vectors.mjs", redis.uri(), "--timeout=90")) {
      node.await("done", Duration.ofSeconds(90));
      vectors = node.events("vector");
    }
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  // ---- sharded adapter: JSON or notepack.io msgpack on SPUBLISH ---------------------------------

  @Test
  void everyShardedMessageDecodesAndEncodesBackToNodesBytes() {
    Set<MessageType> json = EnumSet.noneOf(MessageType.class);
    Set<MessageType> msgpack = EnumSet.noneOf(MessageType.class);
    for (JsonNode v : of("sharded")) {
      byte[] payload = payload(v);
      ClusterMessage m = ClusterMessageTrees.decode(payload);
      assertArrayEquals(payload, ClusterMessageTrees.jsonOrMsgpack(m), v.toString());
      (payload[0] == '{' ? json : msgpack).add(m.type());
      String channel = v.get("channel").asText();
      if (m instanceof ClusterResponse) {
        assertEquals("socket.io#/#" + PEER + "#", channel);
      } else {
        assertEquals(
            channel,
            ShardedRedisAdapter.channelOf(m, SubscriptionMode.DYNAMIC, "socket.io#/#"),
            v.get("op").asText());
      }
    }
    assertEquals(
        EnumSet.of(
            MessageType.BROADCAST,
            MessageType.SOCKETS_JOIN,
            MessageType.SOCKETS_LEAVE,
            MessageType.DISCONNECT_SOCKETS,
            MessageType.FETCH_SOCKETS,
            MessageType.SERVER_SIDE_EMIT,
            MessageType.FETCH_SOCKETS_RESPONSE,
            MessageType.BROADCAST_CLIENT_COUNT),
        json);
    assertEquals(
        EnumSet.of(
            MessageType.BROADCAST,
            MessageType.SERVER_SIDE_EMIT,
            MessageType.SERVER_SIDE_EMIT_RESPONSE,
            MessageType.BROADCAST_ACK),
        msgpack);
  }

  @Test
  void shardedMessagesBuiltFromOurOperationsAreNodesBytes() {
    for (Map.Entry<String, ClusterMessage> e : ourMessages("sharded").entrySet()) {
      assertArrayEquals(
          payload(one("sharded", e.getKey())),
          ClusterMessageTrees.jsonOrMsgpack(e.getValue()),
          e.getKey());
    }
    // The dynamic modes' channels, as Node chose them.
    assertEquals("socket.io#/#room1#", one("sharded", "broadcast-binary").get("channel").asText());
    assertEquals(
        "socket.io#/#room1#",
        ShardedRedisAdapter.channelOf(
            ourMessages("sharded").get("broadcast-binary"),
            SubscriptionMode.DYNAMIC_PRIVATE,
            "socket.io#/#"));
    assertEquals(
        "socket.io#/#",
        ShardedRedisAdapter.channelOf(
            ourMessages("sharded").get("broadcast-binary"),
            SubscriptionMode.STATIC,
            "socket.io#/#"));
    assertEquals(
        one("sharded-dynamic-private", "broadcast-binary").get("channel").asText(),
        "socket.io#/#room1#");
  }

  @Test
  void nodeMessagesDecodeToWhatWasSent() throws Exception {
    Broadcast binary =
        (Broadcast) ClusterMessageTrees.decode(payload(one("sharded", "broadcast-binary")));
    ArrayNode args = (ArrayNode) binary.data().packet().data().orElseThrow();
    assertEquals("bin", args.get(0).asText());
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, args.get(1).binaryValue());
    assertArrayEquals(
        "hi".getBytes(StandardCharsets.UTF_8), args.get(2).get("nested").binaryValue());
    assertEquals(Set.of("room1"), binary.data().opts().rooms());

    Broadcast flags =
        (Broadcast) ClusterMessageTrees.decode(payload(one("sharded", "broadcast-flags")));
    assertTrue(flags.data().opts().flags().isVolatile());
    assertFalse(flags.data().opts().flags().compress());

    FetchSocketsResponse fetched =
        (FetchSocketsResponse)
            ClusterMessageTrees.decode(payload(one("sharded", "fetch-sockets-response")));
    assertEquals(1, fetched.data().sockets().size());
    assertEquals(
        F.objectNode().put("name", "alice").put("n", 3), fetched.data().sockets().get(0).data());
    assertTrue(fetched.data().sockets().get(0).rooms().contains("room1"));
    assertEquals("127.0.0.1", fetched.data().sockets().get(0).handshake().get("address").asText());

    ServerSideEmitResponse answer =
        (ServerSideEmitResponse)
            ClusterMessageTrees.decode(payload(one("sharded", "server-side-emit-response")));
    assertArrayEquals(new byte[] {9, 8}, answer.data().packet().get("ok").binaryValue());
  }

  // ---- streams adapter: XADD fields, @msgpack/msgpack on PUBLISH, sessions -------------------

  @Test
  void everyStreamEntryDecodesAndEncodesBackToNodesFields() {
    Set<MessageType> seen = EnumSet.noneOf(MessageType.class);
    for (JsonNode v : of("streams")) {
      if (!v.get("command").asText().equals("XADD")) {
        continue;
      }
      assertEquals("socket.io", v.get("key").asText());
      assertEquals(
          "{\"TRIM\":{\"strategy\":\"MAXLEN\",\"strategyModifier\":\"~\",\"threshold\":10000}}",
          v.get("options").toString());
      Map<String, String> fields = fields(v);
      ClusterMessage m = ClusterMessageTrees.fromStreamFields(fields);
      assertEquals(
          List.copyOf(fields.entrySet()),
          List.copyOf(ClusterMessageTrees.streamFields(m, false).entrySet()),
          v.toString());
      seen.add(m.type());
    }
    assertEquals(
        EnumSet.of(
            MessageType.BROADCAST,
            MessageType.SOCKETS_JOIN,
            MessageType.SOCKETS_LEAVE,
            MessageType.DISCONNECT_SOCKETS),
        seen);
  }

  @Test
  void streamEntriesBuiltFromOurOperationsAreNodesFields() {
    Map<String, ClusterMessage> ours = ourMessages("streams");
    for (String op :
        List.of(
            "broadcast",
            "broadcast-rooms-except",
            "broadcast-binary",
            "broadcast-flags",
            "sockets-join",
            "sockets-leave",
            "disconnect-sockets",
            "disconnect-sockets-no-close")) {
      assertEquals(
          List.copyOf(fields(one("streams", op)).entrySet()),
          List.copyOf(ClusterMessageTrees.streamFields(ours.get(op), false).entrySet()),
          op);
    }
    // onlyPlaintext: JSON even with binary (the reference's choice, binary then lost).
    assertTrue(
        ClusterMessageTrees.streamFields(ours.get("broadcast-binary"), true)
            .get("data")
            .startsWith("{"));
  }

  @Test
  void everyStreamsPubSubMessageIsMsgpackByteForByte() {
    Set<MessageType> seen = EnumSet.noneOf(MessageType.class);
    for (JsonNode v : of("streams")) {
      if (!v.get("command").asText().equals("PUBLISH")) {
        continue;
      }
      byte[] payload = payload(v);
      ClusterMessage m = ClusterMessageTrees.decode(payload);
      assertArrayEquals(payload, ClusterMessageTrees.msgpack(m), v.toString());
      seen.add(m.type());
      assertEquals(
          m instanceof ClusterResponse ? "socket.io#/#" + PEER + "#" : "socket.io#/#",
          v.get("channel").asText());
    }
    assertEquals(
        EnumSet.of(
            MessageType.BROADCAST,
            MessageType.FETCH_SOCKETS,
            MessageType.SERVER_SIDE_EMIT,
            MessageType.FETCH_SOCKETS_RESPONSE,
            MessageType.SERVER_SIDE_EMIT_RESPONSE,
            MessageType.BROADCAST_CLIENT_COUNT,
            MessageType.BROADCAST_ACK),
        seen);
    Map<String, ClusterMessage> ours = ourMessages("streams");
    for (String op :
        List.of(
            "broadcast-with-ack",
            "fetch-sockets",
            "server-side-emit",
            "server-side-emit-binary",
            "server-side-emit-with-ack")) {
      assertArrayEquals(payload(one("streams", op)), ClusterMessageTrees.msgpack(ours.get(op)), op);
    }
  }

  @Test
  void theSessionIsNodesObjectUnderNodesKey() {
    JsonNode set = one("streams", "persist-session");
    String key = set.get("key").asText();
    assertTrue(key.startsWith("sio:session:"), key);
    assertEquals(60000, set.get("options").get("PX").asInt());
    String value = set.get("value").asText();
    byte[] bytes = Base64.getDecoder().decode(value);
    JsonNode tree = ClusterMessageTrees.decodeMsgpack(bytes);
    assertArrayEquals(bytes, ClusterMessageTrees.encodeMsgpack(tree));

    String pid = key.substring("sio:session:".length());
    RecoverySession session = RedisStreamsAdapter.decodeSession(value, pid);
    assertEquals(tree.get("sid").asText(), session.sid());
    assertEquals(pid, session.pid());
    assertEquals(Set.of(session.sid(), "room1", "b"), session.rooms());
    assertEquals(F.objectNode().put("name", "alice").put("n", 3), session.data());
    // Ours, for the same session: the same object, the socket's own room first.
    RecoverySession same =
        new RecoverySession(
            session.sid(),
            pid,
            new LinkedHashSet<>(List.of(session.sid(), "room1", "b")),
            session.data(),
            List.of());
    assertEquals(
        List.of("sid", "pid", "rooms", "data"), fieldNames(RedisStreamsAdapter.tree(same)));
    assertEquals(session.sid(), RedisStreamsAdapter.tree(same).get("rooms").get(0).asText());
  }

  // ---- what our adapters build for the operations the script ran ------------------------------

  /** The messages sio4j builds for the script's operations; random request ids taken from Node. */
  private static Map<String, ClusterMessage> ourMessages(String adapter) {
    Map<String, ClusterMessage> m = new LinkedHashMap<>();
    m.put(
        "broadcast",
        broadcast(args("ev", F.numberNode(1), F.textNode("two"), three()), NONE, Optional.empty()));
    m.put(
        "broadcast-rooms-except",
        broadcast(
            args("ev", F.textNode("x")),
            new BroadcastOptions(
                new LinkedHashSet<>(List.of("room1", "room2")),
                Set.of("room3"),
                BroadcastFlags.DEFAULT),
            Optional.empty()));
    m.put(
        "broadcast-binary",
        broadcast(
            args(
                "bin",
                BinaryNode.valueOf(new byte[] {0, 1, 2, (byte) 255}),
                F.objectNode()
                    .set("nested", BinaryNode.valueOf("hi".getBytes(StandardCharsets.UTF_8)))),
            new BroadcastOptions(Set.of("room1"), Set.of(), BroadcastFlags.DEFAULT),
            Optional.empty()));
    m.put(
        "broadcast-flags",
        broadcast(
            args("flags", F.textNode("y")),
            NONE.withFlags(BroadcastFlags.DEFAULT.withVolatile(true).withCompress(false)),
            Optional.empty()));
    m.put(
        "broadcast-with-ack",
        broadcast(
            args("ask", F.textNode("q")),
            NONE.withFlags(BroadcastFlags.DEFAULT.withTimeout(Duration.ofSeconds(1))),
            Optional.of(requestId(adapter, "broadcast-with-ack"))));
    BroadcastOptions room1Not2 =
        new BroadcastOptions(Set.of("room1"), Set.of("room2"), BroadcastFlags.DEFAULT);
    m.put("sockets-join", new SocketsJoin(UID, "/", new RoomsData(room1Not2, List.of("a", "b"))));
    m.put(
        "sockets-leave",
        new SocketsLeave(
            UID,
            "/",
            new RoomsData(
                new BroadcastOptions(Set.of("room1"), Set.of(), BroadcastFlags.DEFAULT),
                List.of("a"))));
    BroadcastOptions nobody =
        new BroadcastOptions(Set.of("nobody"), Set.of(), BroadcastFlags.DEFAULT);
    m.put("disconnect-sockets", new DisconnectSockets(UID, "/", new DisconnectData(nobody, true)));
    m.put(
        "disconnect-sockets-no-close",
        new DisconnectSockets(UID, "/", new DisconnectData(nobody, false)));
    m.put(
        "fetch-sockets",
        new FetchSockets(
            UID,
            "/",
            new FetchSocketsData(
                new BroadcastOptions(
                    Set.of("room1"),
                    Set.of(),
                    BroadcastFlags.DEFAULT.withTimeout(Duration.ofSeconds(2))),
                requestId(adapter, "fetch-sockets"))));
    m.put(
        "server-side-emit",
        new ServerSideEmit(
            UID,
            "/",
            new ServerSideEmitData(
                Optional.empty(), args("hello", F.textNode("world"), F.numberNode(1)))));
    m.put(
        "server-side-emit-binary",
        new ServerSideEmit(
            UID,
            "/",
            new ServerSideEmitData(
                Optional.empty(), args("hello", BinaryNode.valueOf(new byte[] {7})))));
    m.put(
        "server-side-emit-with-ack",
        new ServerSideEmit(
            UID,
            "/",
            new ServerSideEmitData(
                Optional.of(requestId(adapter, "server-side-emit-with-ack")),
                args("hello", F.numberNode(2)))));
    m.put(
        "server-side-emit-response",
        new ServerSideEmitResponse(
            UID,
            "/",
            new AckData(
                "req-sse",
                F.objectNode()
                    .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                        "ok", BinaryNode.valueOf(new byte[] {9, 8}))
                    .put("n", 1))));
    m.put(
        "broadcast-client-count",
        new BroadcastClientCount(UID, "/", new ClientCountData("req-ack", 1)));
    m.put(
        "broadcast-ack",
        new BroadcastAck(
            UID,
            "/",
            new AckData(
                "req-ack",
                F.objectNode().put("got", "p").set("bin", BinaryNode.valueOf(new byte[] {1, 2})))));
    return m;
  }

  /** {@code {three: 3, four: [4.5, null, true]}}. */
  private static JsonNode three() {
    return F.objectNode().put("three", 3).set("four", F.arrayNode().add(4.5).addNull().add(true));
  }

  private static Broadcast broadcast(
      ArrayNode args, BroadcastOptions options, Optional<String> requestId) {
    return new Broadcast(
        UID, "/", new BroadcastData(options, SioPacket.event("/", args), requestId));
  }

  private static ArrayNode args(String event, JsonNode... rest) {
    ArrayNode a = F.arrayNode().add(event);
    for (JsonNode r : rest) {
      a.add(r);
    }
    return a;
  }

  private static String requestId(String adapter, String op) {
    JsonNode v = one(adapter, op);
    ClusterMessage m = ClusterMessageTrees.decode(payload(v));
    return ClusterMessageTrees.data(m).orElseThrow().get("requestId").asText();
  }

  // ---- the recorded vectors ------------------------------------------------------------------

  private static List<JsonNode> of(String adapter) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode v : vectors) {
      if (v.get("adapter").asText().equals(adapter)) {
        out.add(v);
      }
    }
    assertFalse(out.isEmpty(), "no vectors of " + adapter);
    return out;
  }

  /**
   * The vector of an operation; an operation that sent two messages (count then ack) is told apart
   * by the suffix of {@code op}: {@code broadcast-client-count} and {@code broadcast-ack}.
   */
  private static JsonNode one(String adapter, String op) {
    String recorded = op;
    int index = 0;
    if (op.equals("broadcast-client-count")) {
      recorded = "broadcast-client-count-and-ack";
    } else if (op.equals("broadcast-ack")) {
      recorded = "broadcast-client-count-and-ack";
      index = 1;
    }
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode v : of(adapter)) {
      if (v.get("op").asText().equals(recorded)) {
        found.add(v);
      }
    }
    assertTrue(found.size() > index, "no vector " + adapter + "/" + op + " in " + vectors);
    return found.get(index);
  }

  private static byte[] payload(JsonNode v) {
    return Base64.getDecoder().decode(v.get("payload").asText());
  }

  private static Map<String, String> fields(JsonNode v) {
    Map<String, String> fields = new LinkedHashMap<>();
    v.get("fields").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
    return fields;
  }

  private static List<String> fieldNames(JsonNode tree) {
    List<String> names = new ArrayList<>();
    tree.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
