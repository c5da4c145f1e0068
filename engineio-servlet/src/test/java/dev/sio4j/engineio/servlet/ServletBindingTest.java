package dev.sio4j.engineio.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.StalledWebSocket;
import dev.sio4j.interop.JsTransports;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.server.DisconnectReason;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@link SocketIoServer} mounted with {@link EngineIoServlet} in a servlet container, next to the
 * application's own servlet, talked to by the official JavaScript client and by ours over polling
 * only, WebSocket only, and polling upgraded to WebSocket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ServletBindingTest {
  static final Duration WAIT = Duration.ofSeconds(15);

  private final List<AutoCloseable> resources = new ArrayList<>();

  abstract Container.Factory containers();

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    resources.clear();
  }

  private Container container;

  /** A server without a port of its own, mounted in a new container at /socket.io/. */
  String mount(SocketIoServer io) throws Exception {
    return mount(io, "");
  }

  String mount(SocketIoServer io, String contextPath) throws Exception {
    container =
        containers()
            .start(contextPath, (classes, ctx) -> EngineIoServlet.register(ctx, io.engine()));
    resources.add(container);
    // Closed before the container: the sessions end with "server shutting down".
    resources.add(() -> io.close().get(10, TimeUnit.SECONDS));
    return "http://127.0.0.1:" + container.port() + contextPath;
  }

  private NodeScript js(String url, JsTransports mode) {
    NodeScript s =
        NodeScript.start(
            "socketio-client.mjs",
            url,
            "{\"transports\":" + mode.json + ",\"reconnection\":false}",
            "--timeout=60");
    resources.add(s);
    return s;
  }

  private static Map<String, String> binary(byte[] bytes) {
    return Map.of("$binary", Base64.getEncoder().encodeToString(bytes));
  }

  private static byte[] bytesOf(JsonNode node) {
    return Base64.getDecoder().decode(node.path("$binary").asText());
  }

  private static JsonNode event(NodeScript js, String name) {
    return js.await("event", n -> n.path("name").asText().equals(name), WAIT);
  }

  @Test
  void theApplicationKeepsItsOwnRoutes() throws Exception {
    String url = mount(SocketIoServer.builder().build());
    HttpResponse<byte[]> page = Http.get(url + "/page");
    assertEquals(200, page.statusCode());
    assertEquals("the app's page", Http.text(page));
    HttpResponse<byte[]> handshake = Http.get(url + "/socket.io/?EIO=4&transport=polling");
    assertEquals(200, handshake.statusCode());
    assertTrue(Http.text(handshake).startsWith("0{\"sid\":"), Http.text(handshake));
    assertEquals(404, Http.get(url + "/elsewhere").statusCode());
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void theOfficialClientConnectsEmitsAndAcksWithBinary(JsTransports mode) throws Exception {
    SocketIoServer io = SocketIoServer.builder().build();
    CompletableFuture<Socket> connected = new CompletableFuture<>();
    io.onConnection(
        s -> {
          s.on("echo", (args, ack) -> ack.send(args.toArray()));
          s.emit("welcome", "hi", new byte[] {7, 7});
          connected.complete(s);
        });
    String url = mount(io);
    NodeScript js = js(url, mode);
    JsonNode connect = js.await("connect", WAIT);
    if (mode != JsTransports.UPGRADE) {
      assertEquals(mode.first, connect.path("transport").asText());
    }
    Socket socket = connected.get(10, TimeUnit.SECONDS);
    assertEquals(connect.path("id").asText(), socket.id());

    JsonNode welcome = event(js, "welcome");
    assertEquals("hi", welcome.path("args").get(0).asText());
    assertArrayEquals(new byte[] {7, 7}, bytesOf(welcome.path("args").get(1)));

    js.sendJson(
        Map.of(
            "cmd",
            "emitWithAck",
            "name",
            "echo",
            "tag",
            "t1",
            "args",
            List.of(1, binary(new byte[] {1, 2, 3}))));
    JsonNode ack = js.await("ack", WAIT);
    assertEquals("t1", ack.path("tag").asText());
    assertEquals(1, ack.path("args").get(0).asInt());
    assertArrayEquals(new byte[] {1, 2, 3}, bytesOf(ack.path("args").get(1)));

    js.sendJson(
        Map.of("cmd", "onAck", "name", "q", "reply", List.of("yes", binary(new byte[] {9, 8}))));
    js.sendJson(Map.of("cmd", "emitWithAck", "name", "echo", "tag", "sync", "args", List.of()));
    js.await("ack", WAIT);
    Arguments reply =
        socket.timeout(WAIT).emitWithAck("q", new byte[] {5}).get(10, TimeUnit.SECONDS);
    assertEquals("yes", reply.get(0, String.class));
    assertArrayEquals(new byte[] {9, 8}, reply.get(1, byte[].class));

    if (mode == JsTransports.UPGRADE) {
      assertEquals("websocket", js.await("upgrade", WAIT).path("transport").asText());
      io.emit("after-upgrade", 2);
      assertEquals(2, event(js, "after-upgrade").path("args").get(0).asInt());
      assertEquals(TransportType.WEBSOCKET, socket.conn().transport());
    } else {
      assertEquals(mode.first, socket.conn().transport().name().toLowerCase());
    }
  }

  @ParameterizedTest
  @EnumSource(JsTransports.class)
  void ourJavaClientConnectsAndAcks(JsTransports mode) throws Exception {
    SocketIoServer io = SocketIoServer.builder().build();
    io.onConnection(s -> s.on("echo", (args, ack) -> ack.send(args.toArray())));
    String url = mount(io);
    SocketIoClient.Builder b = SocketIoClient.builder().uri(URI.create(url)).reconnection(false);
    switch (mode) {
      case POLLING -> b.transports(TransportType.POLLING);
      case WEBSOCKET -> b.transports(TransportType.WEBSOCKET);
      case UPGRADE -> b.transports(TransportType.POLLING, TransportType.WEBSOCKET);
    }
    SocketIoClient client = b.build();
    resources.add(() -> client.close().get(10, TimeUnit.SECONDS));
    ClientSocket socket = client.socket("/");
    socket.connect();
    Arguments reply =
        socket.timeout(WAIT).emitWithAck("echo", "x", new byte[] {4}).get(10, TimeUnit.SECONDS);
    assertEquals("x", reply.get(0, String.class));
    assertArrayEquals(new byte[] {4}, reply.get(1, byte[].class));
  }

  @Test
  void aPollingBodyOverMaxHttpBufferSizeIsRefusedAndClosesTheSession() throws Exception {
    SocketIoServer io =
        SocketIoServer.builder()
            .options(
                SocketIoOptions.builder()
                    .engine(EngineIoOptions.builder().maxHttpBufferSize(1000).build())
                    .build())
            .build();
    String url = mount(io);
    String open = Http.text(Http.get(url + "/socket.io/?EIO=4&transport=polling"));
    String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\",\""));
    String session = url + "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    assertEquals(413, Http.post(session, "4" + "x".repeat(5000)).statusCode());
    HttpResponse<byte[]> after = Http.get(session);
    assertEquals(400, after.statusCode());
    assertTrue(Http.text(after).contains("Session ID unknown"), Http.text(after));
  }

  @Test
  void theClientBundleAndJsonpAreServedThroughTheServlet() throws Exception {
    String url = mount(SocketIoServer.builder().build());
    HttpResponse<byte[]> bundle = Http.get(url + "/socket.io/socket.io.min.js");
    assertEquals(200, bundle.statusCode());
    assertTrue(Http.text(bundle).contains("io"), "a script");
    String open = Http.text(Http.get(url + "/socket.io/?EIO=4&transport=polling&j=3"));
    assertTrue(open.startsWith("___eio[3](\"0{"), open);
  }

  @Test
  void aWebSocketMessageOverMaxHttpBufferSizeClosesTheSession() throws Exception {
    SocketIoServer io =
        SocketIoServer.builder()
            .options(
                SocketIoOptions.builder()
                    .engine(EngineIoOptions.builder().maxHttpBufferSize(1000).build())
                    .build())
            .build();
    CompletableFuture<Object> gone = new CompletableFuture<>();
    io.onConnection(s -> s.onDisconnect(gone::complete));
    String url = mount(io);
    NodeScript js = js(url, JsTransports.WEBSOCKET);
    js.await("connect", WAIT);
    js.sendJson(Map.of("cmd", "emit", "name", "big", "args", List.of("x".repeat(5000))));
    gone.get(10, TimeUnit.SECONDS);
    js.await("disconnect", WAIT);
  }

  @Test
  void stoppingTheContainerClosesTheSessions() throws Exception {
    SocketIoServer io = SocketIoServer.builder().build();
    CompletableFuture<Object> gone = new CompletableFuture<>();
    io.onConnection(s -> s.onDisconnect(gone::complete));
    String url = mount(io);
    NodeScript js = js(url, JsTransports.WEBSOCKET);
    js.await("connect", WAIT);
    container.close();
    gone.get(10, TimeUnit.SECONDS);
    js.await("disconnect", WAIT);
  }

  @Test
  void underAContextPathTheServerIsAtTheContextsSocketIoPath() throws Exception {
    String url = mount(SocketIoServer.builder().build(), "/app");
    assertEquals("the app's page", Http.text(Http.get(url + "/page")));
    String open = Http.text(Http.get(url + "/socket.io/?EIO=4&transport=polling"));
    assertTrue(open.startsWith("0{\"sid\":"), open);
    String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf("\",\""));
    String session = url + "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    assertEquals("ok", Http.text(Http.post(session, "40")));
    assertTrue(Http.text(Http.get(session)).startsWith("40{\"sid\":"), "the CONNECT answer");
  }

  @Test
  void aWebSocketClientThatStopsReadingIsDisconnectedWithinTheSessionsBound() throws Exception {
    long cap = 256 * 1024;
    // The channel's high water mark, crossed by at most one packet, over the session's bound.
    long slack = 64 * 1024 + 2 * 1024;
    SocketIoServer io =
        SocketIoServer.builder()
            .options(
                SocketIoOptions.builder()
                    .engine(EngineIoOptions.builder().maxBufferedBytes(cap).build())
                    .build())
            .build();
    CompletableFuture<Socket> connected = new CompletableFuture<>();
    CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
    io.onConnection(
        s -> {
          s.onDisconnect(reason::complete);
          connected.complete(s);
        });
    mount(io);
    try (StalledWebSocket stalled =
        StalledWebSocket.connect(container.port(), "/socket.io/?EIO=4&transport=websocket", 4096)) {
      stalled.send("40");
      Socket socket = connected.get(10, TimeUnit.SECONDS);
      String kb = "x".repeat(1000);
      long maxBuffered = 0;
      int sent = 0;
      while (!reason.isDone() && sent < 40_000) {
        for (int i = 0; i < 100; i++) {
          socket.emit("e", sent + i, kb);
        }
        sent += 100;
        socket.conn().executor().submit(() -> {}).get(10, TimeUnit.SECONDS);
        maxBuffered = Math.max(maxBuffered, socket.bufferedBytes());
      }
      assertEquals(DisconnectReason.SLOW_CONSUMER, reason.get(10, TimeUnit.SECONDS));
      assertTrue(maxBuffered <= cap + slack, "held " + maxBuffered + " bytes");
      // Its backlog went with it, not on into the container: the client reads what the kernel and
      // the container's one send in flight held, then the end of the stream. The container closes
      // (no abort in the API): Tomcat within its close timeouts the binding sets to 5 s, plus the
      // period of its background check (10 s).
      long read = stalled.drainToEof(Duration.ofSeconds(30));
      assertTrue(read < sent * 1000L / 2, "read " + read + " bytes of " + sent * 1000L);
    }
  }
}
