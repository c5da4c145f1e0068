package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponseData;
import dev.sio4j.adapter.ClusterResponse.ServerSideEmitResponse;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.redis.internal.ClassicCodec;
import dev.sio4j.redis.internal.ClassicCodec.Outgoing;
import dev.sio4j.redis.internal.ClassicCodec.Request;
import dev.sio4j.redis.internal.ClassicCodec.Response;
import dev.sio4j.redis.internal.ClassicWire;
import dev.sio4j.redis.internal.ClassicWire.Channels;
import dev.sio4j.socketio.parser.SioPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Golden vectors: the exact bytes of every classic message, as the official Node adapter writes
 * them ({@code interop/js/redis-vectors.mjs} runs its own code on recording fake clients), against
 * what {@link ClassicCodec} writes for the same input; and the other way, {@link ClassicCodec}
 * reads the Node bytes (each decoded message, written again, gives back the Node bytes).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClassicWireGoldenTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UID = "nodeuid1";

  /** name -> the Node adapter's message. */
  private static final Map<String, Outgoing> NODE = new HashMap<>();

  private final ClassicCodec root = codec("/", false);

  @BeforeAll
  static void runTheNodeAdapter() {
    try (NodeScript node = NodeScript.start("redis-vectors.mjs", "--timeout=30")) {
      node.await("done", Duration.ofSeconds(30));
      for (JsonNode v : node.events("vector")) {
        NODE.put(
            v.get("name").asText(),
            new Outgoing(
                v.get("channel").asText(), Base64.getDecoder().decode(v.get("payload").asText())));
      }
    }
  }

  private static ClassicCodec codec(String nsp, boolean specific) {
    return new ClassicCodec(new Channels("socket.io", nsp), UID, specific);
  }

  private static Outgoing node(String name) {
    Outgoing v = NODE.get(name);
    assertNotNull(v, "no Node vector " + name + " in " + NODE.keySet());
    return v;
  }

  /** Our message is the Node adapter's, channel and bytes. */
  private static void assertSame(String name, Outgoing ours) {
    Outgoing theirs = node(name);
    assertEquals(theirs.channel(), ours.channel(), name + ": channel");
    assertArrayEquals(
        theirs.payload(),
        ours.payload(),
        () ->
            name
                + ": bytes\n node: "
                + show(theirs.payload())
                + "\n ours: "
                + show(ours.payload()));
  }

  private static String show(byte[] bytes) {
    return bytes.length > 0 && bytes[0] == '{'
        ? new String(bytes, StandardCharsets.UTF_8)
        : HexFormat.of().formatHex(bytes);
  }

  private static ArrayNode args(Object... values) {
    ArrayNode array = F.arrayNode();
    for (Object v : values) {
      array.add(JSON.<JsonNode>valueToTree(v));
    }
    return array;
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> ordered(String... values) {
    return new LinkedHashSet<>(List.of(values));
  }

  private static BroadcastOptions opts(Set<String> rooms, Set<String> except) {
    return new BroadcastOptions(rooms, except, BroadcastFlags.DEFAULT);
  }

  private Outgoing broadcast(ClassicCodec codec, String nsp, ArrayNode data, BroadcastOptions o) {
    return codec
        .encode(
            new Broadcast(
                UID, nsp, new BroadcastData(o, SioPacket.event(nsp, data), Optional.empty())))
        .orElseThrow();
  }

  private Outgoing encode(ClusterMessage message) {
    return root.encode(message).orElseThrow();
  }

  private static String requestIdOf(String name) {
    return ClassicWire.readMessage(node(name).payload()).get("requestId").asText();
  }

  // ---- what we write is what Node writes -------------------------------------------------------

  @Test
  void broadcastsAreNodeBytes() {
    ObjectNode a = F.objectNode();
    a.putArray("a").add(true).addNull();
    assertSame("b.all", broadcast(root, "/", args("tick", 1, "two", a), BroadcastOptions.ALL));
    assertSame("b.room", broadcast(root, "/", args("tick", "r"), opts(Set.of("r1"), Set.of())));
    assertSame("b.rooms", broadcast(root, "/", args("tick"), opts(ordered("r1", "r2"), Set.of())));
    assertSame(
        "b.except", broadcast(root, "/", args("tick", "e"), opts(Set.of(), ordered("x1", "x2"))));
    ObjectNode nested = F.objectNode();
    nested.set("nested", BinaryNode.valueOf(new byte[] {(byte) 255, 0}));
    ArrayNode binary = args("tick");
    binary.add(BinaryNode.valueOf(new byte[] {1, 2, 3})).add(nested);
    assertSame("b.binary", broadcast(root, "/", binary, opts(Set.of("r1"), Set.of("sid1"))));
    assertSame(
        "b.flags",
        broadcast(
            root,
            "/",
            args("tick"),
            BroadcastOptions.ALL.withFlags(
                BroadcastFlags.DEFAULT.withVolatile(true).withCompress(false))));
    ArrayNode numbers = args("tick");
    numbers.add(1.5).add(-7).add(1L << 40).add(-(1L << 33)).add(0.1).add(300).add(-200);
    assertSame("b.numbers", broadcast(root, "/", numbers, BroadcastOptions.ALL));
    assertSame(
        "b.unicode",
        broadcast(root, "/", args("tick", "héllo ✓ 😀"), opts(Set.of("salle ✓"), Set.of())));
    assertSame(
        "b.chat",
        broadcast(codec("/chat", false), "/chat", args("tick", 1), opts(Set.of("r1"), Set.of())));
  }

  @Test
  void requestsAreNodeBytes() {
    // A broadcast with acks: the packet goes without its ack id, as the reference encodes it
    // before its local part assigns one.
    assertSame(
        "q.broadcastAck",
        encode(
            new Broadcast(
                UID,
                "/",
                new BroadcastData(
                    new BroadcastOptions(
                        Set.of("r1"),
                        Set.of(),
                        BroadcastFlags.DEFAULT.withTimeout(Duration.ofMillis(1000))),
                    SioPacket.event("/", args("ask", "r1"), 5),
                    Optional.of(requestIdOf("q.broadcastAck"))))));
    ArrayNode ask = args("ask");
    ask.add(BinaryNode.valueOf(new byte[] {9, 8}));
    assertSame(
        "q.broadcastAckBinary",
        encode(
            new Broadcast(
                UID,
                "/",
                new BroadcastData(
                    new BroadcastOptions(
                        Set.of(),
                        Set.of("x"),
                        BroadcastFlags.DEFAULT.withTimeout(Duration.ofMillis(1500))),
                    SioPacket.event("/", ask, 0),
                    Optional.of(requestIdOf("q.broadcastAckBinary"))))));
    assertSame(
        "q.join",
        encode(
            new SocketsJoin(
                UID,
                "/",
                new RoomsData(opts(Set.of("r1"), Set.of("x")), List.of("new1", "new2")))));
    assertSame(
        "q.leave",
        encode(
            new SocketsLeave(
                UID, "/", new RoomsData(opts(Set.of(), Set.of("x")), List.of("old1")))));
    assertSame(
        "q.disconnect",
        encode(
            new DisconnectSockets(
                UID, "/", new DisconnectData(opts(Set.of("r1"), Set.of()), true))));
    assertSame(
        "q.disconnectAll",
        encode(new DisconnectSockets(UID, "/", new DisconnectData(BroadcastOptions.ALL, false))));
    ObjectNode ab = F.objectNode().put("a", "b");
    assertSame(
        "q.sse",
        encode(
            new ServerSideEmit(
                UID,
                "/",
                new ServerSideEmitData(Optional.empty(), args("sse", 1, ab, "ü\n\"\u0001")))));
    ArrayNode sseBinary = args("sse");
    sseBinary.add(BinaryNode.valueOf(new byte[] {1, 2}));
    assertSame(
        "q.sseBinary",
        encode(new ServerSideEmit(UID, "/", new ServerSideEmitData(Optional.empty(), sseBinary))));
    assertSame(
        "q.fetch",
        encode(
            new FetchSockets(
                UID,
                "/",
                new FetchSocketsData(opts(Set.of("r1"), Set.of("x")), requestIdOf("q.fetch")))));
    assertSame(
        "q.sseAck",
        encode(
            new ServerSideEmit(
                UID,
                "/",
                new ServerSideEmitData(
                    Optional.of(requestIdOf("q.sseAck")), args("sse-ack", "x")))));
    assertSame("q.allRooms", root.allRoomsRequest(requestIdOf("q.allRooms")));
  }

  private static final String HANDSHAKE =
      "{\"headers\":{\"host\":\"127.0.0.1:3000\",\"user-agent\":\"vectors\"},"
          + "\"time\":\"Tue Dec 01 2026 00:00:00 GMT+0000 (Coordinated Universal Time)\","
          + "\"address\":\"127.0.0.1\",\"xdomain\":false,\"secure\":false,\"issued\":1764547200000,"
          + "\"url\":\"/socket.io/?EIO=4&transport=websocket\","
          + "\"query\":{\"EIO\":\"4\",\"transport\":\"websocket\"},\"auth\":{\"token\":\"abc\"}}";

  private static FetchSocketsResponse fetchResponse(String requestId) {
    return new FetchSocketsResponse(
        UID,
        "/",
        new FetchSocketsResponseData(
            requestId,
            List.of(
                new SocketDetails(
                    "sidA", tree(HANDSHAKE), Set.of("sidA"), tree("{\"user\":\"bob\",\"n\":1}")))));
  }

  @Test
  void responsesAreNodeBytes() {
    assertSame("r.fetch", root.encodeResponse("req1", fetchResponse("fetch1")));
    assertSame("r.fetchSpecific", codec("/", true).encodeResponse("req1", fetchResponse("fetch2")));
    ObjectNode answer = F.objectNode().put("port", 3000).put("x", "hello");
    assertSame(
        "r.sse",
        root.encodeResponse(
            "req1", new ServerSideEmitResponse(UID, "/", new AckData("sse1", answer))));
    assertSame("r.allRooms", root.allRoomsResponse("req1", "rooms1", ordered("sidA", "r1")));
    assertSame("r.sockets", root.socketsResponse("req1", "socks1", Set.of("sidA")));
    assertSame("r.legacyJoin", root.legacyResponse("req1", Optional.of("lj1")));
    assertSame(
        "r.count",
        root.encodeResponse(
            "req1", new BroadcastClientCount(UID, "/", new ClientCountData("bc1", 1))));
    assertSame(
        "r.ack",
        root.encodeResponse(
            "req1", new BroadcastAck(UID, "/", new AckData("bc1", F.textNode("sidA-answer")))));
    assertSame(
        "r.ackBinary",
        root.encodeResponse(
            "req1",
            new BroadcastAck(
                UID, "/", new AckData("bc1", BinaryNode.valueOf(new byte[] {7, 7, 7})))));
  }

  // ---- what Node writes, we read -------------------------------------------------------------

  @Test
  void nodeBroadcastsReadBackToTheSameBytes() {
    for (String name :
        List.of(
            "b.all",
            "b.room",
            "b.rooms",
            "b.except",
            "b.binary",
            "b.flags",
            "b.numbers",
            "b.unicode")) {
      Outgoing theirs = node(name);
      Broadcast read = root.decodeBroadcast(theirs.payload());
      assertEquals(UID, read.uid(), name);
      assertEquals("/", read.nsp(), name);
      assertEquals(theirs.channel(), root.channels().broadcastTo(read.data().opts().rooms()), name);
      assertSame(name, root.encode(read).orElseThrow());
    }
    Broadcast binary = root.decodeBroadcast(node("b.binary").payload());
    JsonNode data = binary.data().packet().data().orElseThrow();
    assertArrayEquals(new byte[] {1, 2, 3}, ((BinaryNode) data.get(1)).binaryValue());
    assertEquals(Set.of("sid1"), binary.data().opts().except());
    Broadcast flags = root.decodeBroadcast(node("b.flags").payload());
    assertTrue(flags.data().opts().flags().isVolatile());
    assertFalse(flags.data().opts().flags().compress());
    assertEquals("/chat", root.decodeBroadcast(node("b.chat").payload()).nsp());
    assertEquals(Optional.of("salle ✓"), root.channels().roomOf(node("b.unicode").channel()));
  }

  @Test
  void nodeRequestsReadBackToTheSameBytes() {
    for (String name :
        List.of(
            "q.broadcastAck",
            "q.broadcastAckBinary",
            "q.join",
            "q.leave",
            "q.disconnect",
            "q.disconnectAll",
            "q.sse",
            "q.fetch",
            "q.sseAck")) {
      Request read = root.decodeRequest(node(name).payload());
      ClusterMessage message = assertInstanceOf(Request.Cluster.class, read, name).message();
      assertEquals(UID, message.uid(), name);
      assertSame(name, root.encode(message).orElseThrow());
    }
    Broadcast ack =
        (Broadcast)
            ((Request.Cluster) root.decodeRequest(node("q.broadcastAck").payload())).message();
    assertEquals(Optional.of(requestIdOf("q.broadcastAck")), ack.data().requestId());
    assertEquals(Optional.of(Duration.ofMillis(1000)), ack.data().opts().flags().timeout());
    Request.AllRooms rooms =
        assertInstanceOf(Request.AllRooms.class, root.decodeRequest(node("q.allRooms").payload()));
    assertEquals(UID, rooms.uid());
    assertSame("q.allRooms", root.allRoomsRequest(rooms.requestId()));
    // A buffer in a JSON request stays what JSON.parse makes of it on a Node node: an object.
    ServerSideEmit sse =
        (ServerSideEmit)
            ((Request.Cluster) root.decodeRequest(node("q.sseBinary").payload())).message();
    assertEquals("Buffer", sse.data().packet().get(1).get("type").asText());
  }

  @Test
  void nodeResponsesReadBackToTheSameBytes() {
    for (String name : List.of("r.fetch", "r.sse", "r.count", "r.ack", "r.ackBinary")) {
      Response read = root.decodeResponse(node(name).payload());
      ClusterResponse response = assertInstanceOf(Response.Cluster.class, read, name).response();
      assertSame(name, root.encodeResponse("req1", response));
    }
    FetchSocketsResponse fetch =
        (FetchSocketsResponse)
            ((Response.Cluster) root.decodeResponse(node("r.fetch").payload())).response();
    SocketDetails socket = fetch.data().sockets().get(0);
    assertEquals("sidA", socket.id());
    assertEquals("abc", socket.handshake().path("auth").path("token").asText());
    assertEquals("bob", socket.data().path("user").asText());
    Response.Rooms rooms =
        assertInstanceOf(Response.Rooms.class, root.decodeResponse(node("r.allRooms").payload()));
    assertEquals(Set.of("sidA", "r1"), rooms.rooms());
    // Nothing here waits for these: read, and let go.
    assertInstanceOf(Response.Other.class, root.decodeResponse(node("r.sockets").payload()));
    assertInstanceOf(Response.Other.class, root.decodeResponse(node("r.legacyJoin").payload()));
  }

  @Test
  void theEmittersMessagesReadAsFromTheEmitter() {
    Broadcast all = root.decodeBroadcast(node("e.all").payload());
    assertEquals(ClassicWire.EMITTER_UID, all.uid());
    assertEquals(BroadcastOptions.ALL, all.data().opts());
    Broadcast rooms = root.decodeBroadcast(node("e.rooms").payload());
    assertEquals(ordered("r1", "r2"), rooms.data().opts().rooms());
    assertEquals(Set.of("x"), rooms.data().opts().except());
    Broadcast flags = root.decodeBroadcast(node("e.flags").payload());
    assertEquals(
        BroadcastFlags.DEFAULT.withVolatile(true).withCompress(false), flags.data().opts().flags());
    assertEquals("/chat", root.decodeBroadcast(node("e.chat").payload()).nsp());

    SocketsJoin join =
        (SocketsJoin) ((Request.Cluster) root.decodeRequest(node("e.join").payload())).message();
    assertEquals(ClassicWire.EMITTER_UID, join.uid(), "no uid reads as the emitter");
    assertEquals(Set.of("r1"), join.data().opts().rooms());
    assertEquals(List.of("a", "b"), join.data().rooms());
    DisconnectSockets kick =
        (DisconnectSockets)
            ((Request.Cluster) root.decodeRequest(node("e.disconnect").payload())).message();
    assertTrue(kick.data().close());
    ServerSideEmit sse =
        (ServerSideEmit) ((Request.Cluster) root.decodeRequest(node("e.sse").payload())).message();
    assertEquals(ClassicWire.EMITTER_UID, sse.uid());
    assertEquals(Optional.empty(), sse.data().requestId());
    assertEquals(42, sse.data().packet().get(1).asInt());
  }
}
