package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.interop.JsTransports;
import dev.sio4j.interop.NodeScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments.ArgumentSet;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official socket.io-client 2.5.x (Engine.IO v3, Socket.IO protocol v4, served through {@code
 * allowEIO3}) and 3.1.x (Engine.IO v4, protocol v5) against our server, over polling only,
 * WebSocket only, and polling upgraded to WebSocket; and old and new clients on one server at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LegacyClientInteropTest extends ServerTestSupport {
  /** A client release, as {@code interop/js/socketio-client.mjs} names it. */
  enum Client {
    V2,
    V3;

    String option() {
      return name().toLowerCase();
    }
  }

  private final List<NodeScript> scripts = new ArrayList<>();

  @AfterEach
  void stopScripts() {
    scripts.forEach(NodeScript::close);
    scripts.clear();
  }

  @Override
  SocketIoOptions.Builder baseOptions() {
    return SocketIoOptions.builder().engine(EngineIoOptions.builder().allowEIO3(true).build());
  }

  static Stream<ArgumentSet> clientsAndTransports() {
    List<ArgumentSet> sets = new ArrayList<>();
    for (Client c : Client.values()) {
      for (JsTransports t : JsTransports.values()) {
        sets.add(
            org.junit.jupiter.params.provider.Arguments.argumentSet(
                c.option() + " " + t.name().toLowerCase(), c, t));
      }
    }
    return sets.stream();
  }

  /** Starts a client; {@code extra} is more io() options. */
  private NodeScript js(SocketIoServer io, String client, JsTransports mode, String extra) {
    String options =
        "{\"client\":\""
            + client
            + "\",\"transports\":"
            + mode.json
            + ",\"reconnection\":false"
            + (extra.isEmpty() ? "" : "," + extra)
            + "}";
    NodeScript s =
        NodeScript.start(
            "socketio-client.mjs", "http://127.0.0.1:" + io.port(), options, "--timeout=60");
    scripts.add(s);
    return s;
  }

  private NodeScript js(SocketIoServer io, Client client, JsTransports mode, String extra) {
    return js(io, client.option(), mode, extra);
  }

  /** Opens a socket on another namespace, with auth (v3) or the query that carries it (v2). */
  private static void openNamespace(NodeScript js, Client client, String nsp, Map<String, ?> auth) {
    Map<String, Object> cmd = new LinkedHashMap<>();
    cmd.put("cmd", "socket");
    cmd.put("nsp", nsp);
    cmd.put("options", Map.of(client == Client.V2 ? "query" : "auth", auth));
    js.sendJson(cmd);
  }

  private static String idOf(NodeScript js) {
    return js.await("connect", WAIT).path("id").asText();
  }

  private static JsonNode connectOf(NodeScript js, String nsp) {
    return js.await("connect", n -> n.path("nsp").asText().equals(nsp), WAIT);
  }

  private static JsonNode event(NodeScript js, String name) {
    return js.await("event", n -> n.path("name").asText().equals(name), WAIT);
  }

  private static Map<String, String> binary(byte[] bytes) {
    return Map.of("$binary", Base64.getEncoder().encodeToString(bytes));
  }

  private static byte[] bytesOf(JsonNode node) {
    return Base64.getDecoder().decode(node.path("$binary").asText());
  }

  @ParameterizedTest
  @MethodSource("clientsAndTransports")
  void connectsToTheDefaultAndACustomNamespaceWithAuth(Client client, JsTransports mode) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s ->
            ev.add(
                "root:"
                    + s.id()
                    + ":"
                    + s.conn().id()
                    + ":"
                    + s.handshake().auth()
                    + ":"
                    + s.conn().transport().name().toLowerCase()));
    io.of("/custom").onConnection(s -> ev.add("custom:" + s.id() + ":" + s.handshake().auth()));
    NodeScript js = js(io, client, mode, "");
    JsonNode connect = js.await("connect", WAIT);
    String id = connect.path("id").asText();
    if (mode != JsTransports.UPGRADE) {
      assertEquals(mode.first, connect.path("transport").asText());
    }
    String root = ev.await("root:");
    String[] parts = root.split(":");
    assertEquals(id, parts[1]);
    String engineId = parts[2];
    if (client == Client.V2) {
      // Protocol v4: the socket id is the engine's, on both sides.
      assertEquals(engineId, id);
    } else {
      assertNotEquals(engineId, id);
    }
    assertEquals("{}", parts[3]);
    assertEquals(mode.first, parts[4]);

    openNamespace(js, client, "/custom", Map.of("token", "abc"));
    String customId = connectOf(js, "/custom").path("id").asText();
    assertEquals("custom:" + customId + ":{\"token\":\"abc\"}", ev.await("custom:"));
    if (client == Client.V2) {
      assertEquals("/custom#" + engineId, customId);
    }
    if (mode == JsTransports.UPGRADE) {
      assertEquals("websocket", js.await("upgrade", WAIT).path("transport").asText());
      Socket s = socketOf(io, id);
      awaitCondition(() -> s.conn().transport() == TransportType.WEBSOCKET, "upgraded");
      s.emit("after-upgrade", 1);
      assertEquals(1, event(js, "after-upgrade").path("args").get(0).asInt());
    }
  }

  @ParameterizedTest
  @MethodSource("clientsAndTransports")
  void middlewareRefusalsReachTheClient(Client client, JsTransports mode) {
    SocketIoServer io = server();
    io.use((s, next) -> next.fail("not allowed"));
    io.of("/custom")
        .use(
            (s, next) -> {
              if (s.handshake().auth().path("ok").asText().equals("yes")) {
                next.proceed();
              } else {
                next.fail("denied", Map.of("code", 42));
              }
            });
    NodeScript js = js(io, client, mode, "");
    JsonNode root = js.await("connect_error", WAIT);
    assertEquals("not allowed", root.path("message").asText());

    openNamespace(js, client, "/custom", Map.of("ok", "no"));
    JsonNode custom =
        js.await("connect_error", n -> n.path("nsp").asText().equals("/custom"), WAIT);
    if (client == Client.V2) {
      // Protocol v4: the error's data when it has some, else its message, as the payload.
      assertTrue(custom.path("legacy").asBoolean());
      assertEquals("{\"code\":42}", custom.path("data").toString());
    } else {
      assertEquals("denied", custom.path("message").asText());
      assertEquals("{\"code\":42}", custom.path("data").toString());
    }

    openNamespace(js, client, "/nope", Map.of());
    JsonNode invalid = js.await("connect_error", n -> n.path("nsp").asText().equals("/nope"), WAIT);
    assertEquals("Invalid namespace", invalid.path("message").asText());

    NodeScript ok = js(io, client, mode, "");
    ok.await("connect_error", WAIT);
    openNamespace(ok, client, "/custom", Map.of("ok", "yes"));
    connectOf(ok, "/custom");
    assertTrue(ok.events("connect").stream().noneMatch(n -> n.path("nsp").isMissingNode()));
  }

  @ParameterizedTest
  @MethodSource("clientsAndTransports")
  void eventsAndAcksBothWays(Client client, JsTransports mode) throws Exception {
    SocketIoServer io = server();
    io.onConnection(
        s -> {
          s.on("echo", (args, ack) -> ack.send(args.toArray()));
          s.on("hello", (args, ack) -> s.emit("reply", args.get(0, Integer.class) + 1, "é😀"));
        });
    NodeScript js = js(io, client, mode, "");
    String id = idOf(js);
    js.send("{\"cmd\":\"emit\",\"name\":\"hello\",\"args\":[1]}");
    JsonNode reply = event(js, "reply");
    assertEquals(2, reply.path("args").get(0).asInt());
    assertEquals("é😀", reply.path("args").get(1).asText());

    js.sendJson(Map.of("cmd", "emitWithAck", "name", "echo", "tag", "t1", "args", List.of("a", 2)));
    JsonNode ack = js.await("ack", WAIT);
    assertEquals("t1", ack.path("tag").asText());
    assertEquals("[\"a\",2]", ack.path("args").toString());

    js.sendJson(Map.of("cmd", "onAck", "name", "q", "reply", List.of("yes", 3)));
    js.sendJson(Map.of("cmd", "emitWithAck", "name", "echo", "tag", "sync", "args", List.of()));
    js.await("ack", WAIT);
    Arguments answer =
        socketOf(io, id).timeout(WAIT).emitWithAck("q", "x").get(10, TimeUnit.SECONDS);
    assertEquals("yes", answer.get(0, String.class));
    assertEquals(3, answer.get(1, Integer.class));
    JsonNode q = event(js, "q");
    assertTrue(q.path("ack").asBoolean());
    assertEquals("x", q.path("args").get(0).asText());
  }

  @ParameterizedTest
  @MethodSource("clientsAndTransports")
  void binaryTravelsBothWaysAlsoInAcks(Client client, JsTransports mode) throws Exception {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.on("echo", (args, ack) -> ack.send(args.toArray()));
          s.on(
              "up",
              (args, ack) ->
                  ev.add(
                      "up:"
                          + Base64.getEncoder().encodeToString(args.get(0, byte[].class))
                          + ":"
                          + Base64.getEncoder().encodeToString(args.get(1, byte[].class))));
        });
    NodeScript js = js(io, client, mode, "");
    String id = idOf(js);
    js.sendJson(
        Map.of(
            "cmd",
            "emit",
            "name",
            "up",
            "args",
            List.of(binary(new byte[] {1, 2}), binary(new byte[] {(byte) 0xff, 0}))));
    assertEquals("up:AQI=:/wA=", ev.await("up:"));

    js.sendJson(
        Map.of(
            "cmd",
            "emitWithAck",
            "name",
            "echo",
            "tag",
            "t1",
            "args",
            List.of(1, binary(new byte[] {1, 2, 3}), Map.of("k", binary(new byte[] {4})))));
    JsonNode ack = js.await("ack", WAIT);
    assertEquals(1, ack.path("args").get(0).asInt());
    assertArrayEquals(new byte[] {1, 2, 3}, bytesOf(ack.path("args").get(1)));
    assertArrayEquals(new byte[] {4}, bytesOf(ack.path("args").get(2).path("k")));

    Socket s = socketOf(io, id);
    s.emit("down", new byte[] {7, 8, 9}, Map.of("nested", new byte[] {10}));
    JsonNode down = event(js, "down");
    assertArrayEquals(new byte[] {7, 8, 9}, bytesOf(down.path("args").get(0)));
    assertArrayEquals(new byte[] {10}, bytesOf(down.path("args").get(1).path("nested")));

    js.sendJson(
        Map.of("cmd", "onAck", "name", "q", "reply", List.of("yes", binary(new byte[] {9, 8}))));
    js.sendJson(Map.of("cmd", "emitWithAck", "name", "echo", "tag", "sync", "args", List.of()));
    js.await("ack", WAIT);
    Arguments reply = s.timeout(WAIT).emitWithAck("q", new byte[] {5}).get(10, TimeUnit.SECONDS);
    assertEquals("yes", reply.get(0, String.class));
    assertArrayEquals(new byte[] {9, 8}, reply.get(1, byte[].class));
    assertArrayEquals(new byte[] {5}, bytesOf(event(js, "q").path("args").get(0)));
  }

  @ParameterizedTest
  @MethodSource("clientsAndTransports")
  void roomsJoinAndBroadcast(Client client, JsTransports mode) {
    SocketIoServer io = server();
    io.onConnection(
        s -> {
          s.on(
              "join",
              (args, ack) -> {
                s.join(args.string(0));
                ack.send("joined");
              });
          s.on("shout", (args, ack) -> s.to("r").emit("shout", args.toArray()));
        });
    NodeScript member = js(io, client, mode, "");
    NodeScript sender = js(io, client, mode, "");
    NodeScript outsider = js(io, client, mode, "");
    for (NodeScript js : List.of(member, sender)) {
      idOf(js);
      js.sendJson(Map.of("cmd", "emitWithAck", "name", "join", "args", List.of("r")));
      js.await("ack", WAIT);
    }
    idOf(outsider);
    sender.send("{\"cmd\":\"emit\",\"name\":\"shout\",\"args\":[\"hi\"]}");
    assertEquals("hi", event(member, "shout").path("args").get(0).asText());
    io.to("r").emit("news", new byte[] {1, 2});
    for (NodeScript js : List.of(member, sender)) {
      assertArrayEquals(new byte[] {1, 2}, bytesOf(event(js, "news").path("args").get(0)));
    }
    io.emit("marker");
    event(outsider, "marker");
    assertEquals(
        List.of("marker"),
        outsider.events("event").stream().map(n -> n.path("name").asText()).toList());
    event(sender, "marker");
    assertFalse(
        sender.events("event").stream().anyMatch(n -> n.path("name").asText().equals("shout")),
        "the sender is excluded from its own broadcast");
  }

  @ParameterizedTest
  @MethodSource("clientsAndTransports")
  void reconnectsAfterTheServerDropsTheConnection(Client client, JsTransports mode) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(s -> ev.add("connection:" + s.id()));
    NodeScript js =
        js(
            io,
            client.option(),
            mode,
            "\"reconnection\":true,\"reconnectionDelay\":50,\"reconnectionDelayMax\":100");
    String first = idOf(js);
    assertEquals("connection:" + first, ev.await("connection:"));
    if (mode == JsTransports.UPGRADE) {
      js.await("upgrade", WAIT);
    }
    socketOf(io, first).conn().close();
    assertEquals("transport close", js.await("disconnect", WAIT).path("reason").asText());
    js.await("reconnect", WAIT);
    String second = idOf(js);
    assertNotEquals(first, second);
    assertEquals("connection:" + second, ev.await("connection:"));
    socketOf(io, second).emit("back", "again");
    assertEquals("again", event(js, "back").path("args").get(0).asText());
  }

  /**
   * Engine.IO v3's heartbeat goes the other way: the client pings, the server answers and expects
   * the next ping within pingInterval + pingTimeout. Short intervals, watched over several of them.
   */
  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void theV2ClientsPingsKeepItsConnectionAlive(JsTransports mode) {
    SocketIoServer io =
        server(
            b ->
                b.engine(
                    EngineIoOptions.builder()
                        .allowEIO3(true)
                        .pingInterval(Duration.ofMillis(200))
                        .pingTimeout(Duration.ofMillis(200))
                        .build()));
    LineLog ev = new LineLog();
    io.onConnection(s -> s.onDisconnect(r -> ev.add("disconnect:" + r)));
    NodeScript js = js(io, "v2", mode, "");
    String id = idOf(js);
    ev.assertNoLine("disconnect:", Duration.ofMillis(1500));
    socketOf(io, id).emit("still", "here");
    assertEquals("here", event(js, "still").path("args").get(0).asText());
    assertTrue(js.events("disconnect").isEmpty(), js.events("disconnect").toString());
  }

  /** A v2, a v3 and a v4 client in one room of one server receive the same broadcasts. */
  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void oldAndNewClientsShareARoom(JsTransports mode) {
    SocketIoServer io = server();
    io.onConnection(s -> s.join("mixed"));
    Map<String, NodeScript> clients = new LinkedHashMap<>();
    for (String version : List.of("v2", "v3", "v4")) {
      NodeScript js = js(io, version, mode, "");
      idOf(js);
      clients.put(version, js);
    }
    // Each socket joined in its connection listener, which ran before its CONNECT answer went out.
    io.to("mixed").emit("news", "text", new byte[] {1, 2, 3}, Map.of("n", 1));
    for (Map.Entry<String, NodeScript> e : clients.entrySet()) {
      JsonNode news = event(e.getValue(), "news");
      assertEquals("text", news.path("args").get(0).asText(), e.getKey());
      assertArrayEquals(new byte[] {1, 2, 3}, bytesOf(news.path("args").get(1)), e.getKey());
      assertEquals("{\"n\":1}", news.path("args").get(2).toString(), e.getKey());
    }
    io.to("mixed").emit("plain", "é😀");
    for (Map.Entry<String, NodeScript> e : clients.entrySet()) {
      assertEquals("é😀", event(e.getValue(), "plain").path("args").get(0).asText(), e.getKey());
    }
  }

  // ---- Engine.IO v3 edge cases, with the v2 client polling ----------------------------------

  private NodeScript v2Polling(SocketIoServer io, String extra) {
    return js(io, "v2", JsTransports.POLLING, extra);
  }

  /**
   * Text payloads count UTF-16 units: characters outside the BMP (two units, four UTF-8 bytes) in
   * packets batched into one payload each way.
   */
  @Test
  void nonBmpCharactersInTextPayloadLengthPrefixes() {
    SocketIoServer io = server();
    List<String> texts = List.of("😀", "a😀€b", "𝄞𝄞𝄞", "é" + "🎉".repeat(40));
    LineLog ev = new LineLog();
    io.onConnection(
        s ->
            s.on(
                "t",
                (args, ack) -> {
                  ev.add("t:" + args.string(0));
                  if (args.string(0).equals(texts.get(texts.size() - 1))) {
                    // Emitted together: they leave in one poll response.
                    texts.forEach(t -> s.emit("back", t));
                  }
                }));
    NodeScript js = v2Polling(io, "");
    idOf(js);
    // Emitted together: the client sends them in one POST.
    texts.forEach(t -> js.sendJson(Map.of("cmd", "emit", "name", "t", "args", List.of(t))));
    for (String t : texts) {
      assertEquals("t:" + t, ev.await("t:"));
    }
    for (String t : texts) {
      assertEquals(t, event(js, "back").path("args").get(0).asText());
    }
  }

  /**
   * A base64-only client ({@code forceBase64}: {@code b64=1}) with binary whose base64 begins with
   * digits (0xdf 0xbf... encodes as "378..."), which a parser must not take for a length or type.
   */
  @Test
  void base64PacketsWhosePayloadStartsWithADigit() {
    SocketIoServer io = server();
    byte[] data = {(byte) 0xdf, (byte) 0xbf, 0x31, 0x32};
    assertTrue(Character.isDigit(Base64.getEncoder().encodeToString(data).charAt(0)));
    io.onConnection(s -> s.on("echo", (args, ack) -> ack.send(args.toArray())));
    NodeScript js = v2Polling(io, "\"forceBase64\":true");
    String id = idOf(js);
    js.sendJson(
        Map.of("cmd", "emitWithAck", "name", "echo", "tag", "b", "args", List.of(binary(data))));
    assertArrayEquals(data, bytesOf(js.await("ack", WAIT).path("args").get(0)));
    socketOf(io, id).emit("down", data, "12");
    JsonNode down = event(js, "down");
    assertArrayEquals(data, bytesOf(down.path("args").get(0)));
    assertEquals("12", down.path("args").get(1).asText());
  }

  /**
   * Several binary packets in one v3 polling payload, each way: a BINARY_EVENT with three
   * attachments and a second binary event right behind it, as a binary payload and, for a
   * base64-only client, as {@code b4} packets in a text payload.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void severalBinaryPacketsInOnePayload(boolean forceBase64) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s ->
            s.on(
                "three",
                (args, ack) -> {
                  StringBuilder line = new StringBuilder("three:");
                  for (int i = 0; i < 3; i++) {
                    line.append(args.get(i, byte[].class).length).append(',');
                  }
                  ev.add(line.append(args.get(3, byte[].class).length).toString());
                }));
    NodeScript js = v2Polling(io, "\"forceBase64\":" + forceBase64);
    String id = idOf(js);
    List<Object> args =
        List.of(
            binary(new byte[] {1}),
            binary(new byte[0]),
            binary(new byte[300]),
            binary(new byte[] {2, 3}));
    js.sendJson(Map.of("cmd", "emit", "name", "three", "args", args));
    js.sendJson(Map.of("cmd", "emit", "name", "three", "args", args));
    assertEquals("three:1,0,300,2", ev.await("three:"));
    assertEquals("three:1,0,300,2", ev.await("three:"));

    Socket s = socketOf(io, id);
    byte[] big = new byte[300];
    big[299] = 9;
    s.emit("many", new byte[] {1}, List.of(new byte[0], big), Map.of("k", new byte[] {4, 5}));
    s.emit("more", new byte[] {6});
    JsonNode many = event(js, "many");
    assertArrayEquals(new byte[] {1}, bytesOf(many.path("args").get(0)));
    assertArrayEquals(new byte[0], bytesOf(many.path("args").get(1).get(0)));
    assertArrayEquals(big, bytesOf(many.path("args").get(1).get(1)));
    assertArrayEquals(new byte[] {4, 5}, bytesOf(many.path("args").get(2).path("k")));
    assertArrayEquals(new byte[] {6}, bytesOf(event(js, "more").path("args").get(0)));
  }
}
