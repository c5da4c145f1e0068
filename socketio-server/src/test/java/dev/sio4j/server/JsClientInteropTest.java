package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.interop.JsTransports;
import dev.sio4j.interop.NodeScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official JavaScript client ({@code interop/js/socketio-client.mjs}) against our server, over
 * polling only, WebSocket only, and polling with the upgrade to WebSocket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsClientInteropTest extends ServerTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<NodeScript> scripts = new ArrayList<>();

  @AfterEach
  void stopScripts() {
    scripts.forEach(NodeScript::close);
    scripts.clear();
  }

  /** io() options every client of a test gets (e.g. its parser), as JSON members, or "". */
  String clientOptions() {
    return "";
  }

  /** Starts a client; {@code extra} is more io() options, e.g. {@code "auth":{...}}. */
  private NodeScript js(SocketIoServer io, JsTransports mode, String extra) {
    String options =
        "{\"transports\":"
            + mode.json
            + ",\"reconnection\":false"
            + (clientOptions().isEmpty() ? "" : "," + clientOptions())
            + (extra.isEmpty() ? "" : "," + extra)
            + "}";
    NodeScript s =
        NodeScript.start(
            "socketio-client.mjs", "http://127.0.0.1:" + io.port(), options, "--timeout=60");
    scripts.add(s);
    return s;
  }

  private static String idOf(NodeScript js) {
    return js.await("connect", WAIT).path("id").asText();
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

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("completed normally");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void connectsWithAuthOnTheRequestedTransport(JsTransports mode) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s ->
            ev.add(
                "connection:"
                    + s.id()
                    + ":"
                    + s.handshake().auth()
                    + ":"
                    + s.conn().transport().name().toLowerCase()));
    NodeScript js = js(io, mode, "\"auth\":{\"token\":\"abc\"}");
    JsonNode connect = js.await("connect", WAIT);
    String id = connect.path("id").asText();
    if (mode != JsTransports.UPGRADE) {
      // With the upgrade, the client may already be on WebSocket when it reports the connect.
      assertEquals(mode.first, connect.path("transport").asText());
    }
    assertEquals(
        "connection:" + id + ":{\"token\":\"abc\"}:" + mode.first, ev.await("connection:"));
    if (mode == JsTransports.UPGRADE) {
      assertEquals("websocket", js.await("upgrade", WAIT).path("transport").asText());
      Socket s = socketOf(io, id);
      awaitCondition(() -> s.conn().transport() == TransportType.WEBSOCKET, "upgraded");
      assertTrue(s.conn().upgraded());
      s.emit("after-upgrade", 1);
      assertEquals(1, event(js, "after-upgrade").path("args").get(0).asInt());
    }
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void middlewareRefusalIsConnectErrorWithData(JsTransports mode) {
    SocketIoServer io = server();
    io.use(
        (s, next) -> {
          if (s.handshake().auth().path("ok").asBoolean()) {
            next.proceed();
          } else {
            next.fail("not allowed", Map.of("code", 42));
          }
        });
    NodeScript js = js(io, mode, "");
    JsonNode err = js.await("connect_error", WAIT);
    assertEquals("not allowed", err.path("message").asText());
    assertEquals("{\"code\":42}", err.path("data").toString());
    NodeScript ok = js(io, mode, "\"auth\":{\"ok\":true}");
    idOf(ok);
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void dynamicNamespacesAndInvalidNamespace(JsTransports mode) {
    SocketIoServer io = server();
    io.of(Pattern.compile("/dyn-\\d+")).onConnection(s -> s.emit("welcome", s.namespace().name()));
    NodeScript js = js(io, mode, "");
    idOf(js);
    js.send("{\"cmd\":\"socket\",\"nsp\":\"/dyn-7\"}");
    JsonNode welcome = event(js, "welcome");
    assertEquals("/dyn-7", welcome.path("nsp").asText());
    assertEquals("/dyn-7", welcome.path("args").get(0).asText());
    js.send("{\"cmd\":\"socket\",\"nsp\":\"/nope\"}");
    JsonNode err = js.await("connect_error", WAIT);
    assertEquals("/nope", err.path("nsp").asText());
    assertEquals("Invalid namespace", err.path("message").asText());
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void roomsAndBroadcastsWithExceptExcludeTheSender(JsTransports mode) {
    SocketIoServer io = server();
    io.use(
        (s, next) -> {
          for (JsonNode room : s.handshake().auth().path("rooms")) {
            s.join(room.asText());
          }
          next.proceed();
        });
    io.onConnection(
        s -> s.on("shout", (args, ack) -> s.to("r").except("muted").emit("shout", args.toArray())));
    NodeScript muted = js(io, mode, "\"auth\":{\"rooms\":[\"r\",\"muted\"]}");
    NodeScript member = js(io, mode, "\"auth\":{\"rooms\":[\"r\"]}");
    NodeScript outsider = js(io, mode, "");
    NodeScript sender = js(io, mode, "\"auth\":{\"rooms\":[\"r\"]}");
    List<NodeScript> all = List.of(muted, member, outsider, sender);
    all.forEach(JsClientInteropTest::idOf);
    sender.send("{\"cmd\":\"emit\",\"name\":\"shout\",\"args\":[\"hi\"]}");
    assertEquals("hi", event(member, "shout").path("args").get(0).asText());
    io.except("muted").emit("all");
    for (NodeScript js : List.of(member, outsider, sender)) {
      event(js, "all");
    }
    io.emit("marker");
    for (NodeScript js : all) {
      event(js, "marker");
    }
    assertEquals(List.of("marker"), names(muted));
    assertEquals(List.of("shout", "all", "marker"), names(member));
    assertEquals(List.of("all", "marker"), names(outsider));
    assertEquals(List.of("all", "marker"), names(sender));
  }

  private static List<String> names(NodeScript js) {
    return js.events("event").stream().map(n -> n.path("name").asText()).toList();
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void acksTravelBothWaysWithBinary(JsTransports mode) throws Exception {
    SocketIoServer io = server();
    io.onConnection(s -> s.on("echo", (args, ack) -> ack.send(args.toArray())));
    NodeScript js = js(io, mode, "");
    String id = idOf(js);
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
    assertEquals("t1", ack.path("tag").asText());
    assertEquals(1, ack.path("args").get(0).asInt());
    assertArrayEquals(new byte[] {1, 2, 3}, bytesOf(ack.path("args").get(1)));
    assertArrayEquals(new byte[] {4}, bytesOf(ack.path("args").get(2).path("k")));

    js.sendJson(
        Map.of("cmd", "onAck", "name", "q", "reply", List.of("yes", binary(new byte[] {9, 8}))));
    // The handler is in place once an event sent after the command comes back.
    js.sendJson(Map.of("cmd", "emitWithAck", "name", "echo", "tag", "sync", "args", List.of()));
    js.await("ack", WAIT);
    Arguments reply =
        socketOf(io, id).timeout(WAIT).emitWithAck("q", new byte[] {5}).get(10, TimeUnit.SECONDS);
    assertEquals("yes", reply.get(0, String.class));
    assertArrayEquals(new byte[] {9, 8}, reply.get(1, byte[].class));
    assertArrayEquals(new byte[] {5}, bytesOf(event(js, "q").path("args").get(0)));
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void ackTimeoutsOnBothSides(JsTransports mode) {
    SocketIoServer io = server();
    NodeScript answering = js(io, mode, "");
    NodeScript silent = js(io, mode, "");
    String a = idOf(answering);
    idOf(silent);
    answering.send("{\"cmd\":\"emitWithAck\",\"name\":\"silent\",\"timeout\":200,\"tag\":\"s\"}");
    assertEquals(
        "operation has timed out", answering.await("ackError", WAIT).path("message").asText());

    answering.sendJson(Map.of("cmd", "onAck", "name", "vote", "reply", List.of("yes", "x")));
    answering.send("{\"cmd\":\"emitWithAck\",\"name\":\"sync\",\"timeout\":200}");
    answering.await("ackError", WAIT);
    Throwable single =
        failure(socketOf(io, a).timeout(Duration.ofMillis(200)).emitWithAck("unanswered"));
    assertInstanceOf(AckTimeoutException.class, single);

    CompletableFuture<List<Arguments>> votes = io.timeout(ACK_WINDOW).emitWithAck("vote");
    // The answer is taken once the answering socket waits for nothing: within the window, or the
    // machine is too slow for it (told apart from a lost answer).
    event(answering, "vote");
    Socket answeringSocket = socketOf(io, a);
    awaitCondition(() -> answeringSocket.pendingAcks() == 0, "the answer was taken");
    assertFalse(votes.isDone(), "the answer came within " + ACK_WINDOW);
    Throwable partial = failure(votes);
    AckTimeoutException e = assertInstanceOf(AckTimeoutException.class, partial);
    assertEquals(1, e.responses().size());
    assertEquals("yes", e.responses().get(0).get(0, String.class));
    assertEquals(1, e.responses().get(0).size(), "only the first argument of each answer");
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void volatileEmitsArriveOnAnIdleConnection(JsTransports mode) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(s -> s.on("v", (args, ack) -> ev.add("v:" + args.string(0))));
    NodeScript js = js(io, mode, "");
    Socket s = socketOf(io, idOf(js));
    // Either side drops a volatile packet while its transport is busy (a polling request in
    // flight), so each side emits every 50 ms until one gets through.
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger n = new AtomicInteger();
    try {
      timer.scheduleAtFixedRate(
          () -> js.send("{\"cmd\":\"volatileEmit\",\"name\":\"v\",\"args\":[\"client\"]}"),
          0,
          50,
          TimeUnit.MILLISECONDS);
      assertEquals("v:client", ev.await("v:"));
    } finally {
      timer.shutdownNow();
    }
    ScheduledExecutorService timer2 = Executors.newSingleThreadScheduledExecutor();
    try {
      timer2.scheduleAtFixedRate(
          () -> s.volatile_().emit("vol", n.getAndIncrement()), 0, 50, TimeUnit.MILLISECONDS);
      event(js, "vol");
    } finally {
      timer2.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void catchAllListenersOnBothSides(JsTransports mode) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.onAny((event, args) -> ev.add("any:" + event + ":" + args.json()));
          s.onAnyOutgoing((event, args) -> ev.add("out:" + event + ":" + args.json()));
          s.on("hello", (args, ack) -> s.emit("reply", args.get(0, Integer.class) + 1));
        });
    NodeScript js = js(io, mode, "");
    idOf(js);
    js.send("{\"cmd\":\"emit\",\"name\":\"hello\",\"args\":[1]}");
    assertEquals("any:hello:[1]", ev.await("any:"));
    assertEquals("out:reply:[2]", ev.await("out:"));
    assertEquals(2, event(js, "reply").path("args").get(0).asInt());
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void disconnectReasonsOnBothSides(JsTransports mode) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(s -> s.onDisconnect(r -> ev.add("disconnect:" + s.id() + ":" + r)));
    // The server leaves the namespace.
    NodeScript a = js(io, mode, "");
    String ida = idOf(a);
    socketOf(io, ida).disconnect();
    assertEquals("io server disconnect", a.await("disconnect", WAIT).path("reason").asText());
    assertEquals("disconnect:" + ida + ":server namespace disconnect", ev.await("disconnect:"));
    // The client leaves the namespace.
    NodeScript b = js(io, mode, "");
    String idb = idOf(b);
    b.send("{\"cmd\":\"disconnect\"}");
    assertEquals("io client disconnect", b.await("disconnect", WAIT).path("reason").asText());
    assertEquals("disconnect:" + idb + ":client namespace disconnect", ev.await("disconnect:"));
    // The client closes its connection.
    NodeScript c = js(io, mode, "");
    String idc = idOf(c);
    c.send("{\"cmd\":\"closeEngine\"}");
    assertEquals("disconnect:" + idc + ":transport close", ev.await("disconnect:"));
    // The server closes the connection without a DISCONNECT packet.
    NodeScript d = js(io, mode, "");
    String idd = idOf(d);
    socketOf(io, idd).conn().close();
    assertEquals("transport close", d.await("disconnect", WAIT).path("reason").asText());
    assertEquals("disconnect:" + idd + ":forced close", ev.await("disconnect:"));
    // The server closes: every client loses its connection.
    NodeScript e = js(io, mode, "");
    String ide = idOf(e);
    if (mode == JsTransports.UPGRADE) {
      e.await("upgrade", WAIT);
    }
    join(io.close());
    assertEquals("disconnect:" + ide + ":server shutting down", ev.await("disconnect:"));
    if (mode != JsTransports.POLLING) {
      assertEquals("transport close", e.await("disconnect", WAIT).path("reason").asText());
    }
    // Not asserted for polling: a poll that reaches the server while it stops is sometimes left
    // unanswered on a connection that stays open (an Engine.IO shutdown race, see the report),
    // and the client only notices at its ping timeout.
  }
}
