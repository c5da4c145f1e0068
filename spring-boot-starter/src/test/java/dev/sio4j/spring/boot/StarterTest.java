package dev.sio4j.spring.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.common.Arguments;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.spring.boot.ChatApp.ChatMessage;
import dev.sio4j.spring.boot.ChatApp.Receipt;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot application context with the starter: properties bound, the server started with the
 * context, annotated handlers answering the official JS client and the Java client with typed
 * payloads and acks, the health indicator, and a clean shutdown when the context closes.
 */
@Timeout(90)
@ExtendWith(OutputCaptureExtension.class)
class StarterTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @AfterEach
  void tearDown() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  private ConfigurableApplicationContext start(String... properties) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ChatApp.class)
            .web(WebApplicationType.NONE)
            .properties("sio4j.host=127.0.0.1", "sio4j.port=0", "spring.main.banner-mode=off")
            .properties(properties)
            .run();
    cleanup.push(context::close);
    return context;
  }

  @Test
  void propertiesAreBoundAndTheServerListensWithTheContext() {
    ConfigurableApplicationContext context =
        start(
            "sio4j.path=/rt",
            "sio4j.ping-interval=7s",
            "sio4j.ping-timeout=3s",
            "sio4j.max-http-buffer-size=2KB",
            "sio4j.transports=websocket",
            "sio4j.cors.allowed-origins=https://a.example,https://b.example",
            "sio4j.cors.allow-credentials=true",
            "sio4j.recovery.enabled=true",
            "sio4j.recovery.max-disconnection-duration=30s",
            "sio4j.connect-timeout=5s");
    SocketIoServer server = context.getBean(SocketIoServer.class);
    assertEquals("/rt", server.options().path());
    assertEquals(Duration.ofSeconds(7), server.options().engine().pingInterval());
    assertEquals(Duration.ofSeconds(3), server.options().engine().pingTimeout());
    assertEquals(2048, server.options().engine().maxHttpBufferSize());
    assertEquals(
        java.util.Set.of(dev.sio4j.engineio.parser.TransportType.WEBSOCKET),
        server.options().engine().transports());
    dev.sio4j.engineio.server.CorsOptions cors = server.options().engine().cors().orElseThrow();
    assertEquals(
        java.util.Optional.of("https://b.example"), cors.allowedOrigin("https://b.example"));
    assertTrue(cors.allowedOrigin("https://c.example").isEmpty());
    assertTrue(cors.credentials());
    assertEquals(
        Duration.ofSeconds(30),
        server.options().connectionStateRecovery().orElseThrow().maxDisconnectionDuration());
    assertEquals(Duration.ofSeconds(5), server.options().connectTimeout());
    int port = context.getEnvironment().getProperty("local.sio4j.port", Integer.class);
    assertEquals(server.port(), port);
    assertTrue(port > 0);
  }

  /** The application's own Jackson 2 mapper, as a user configures it. */
  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class SnakeCaseMapper {
    @org.springframework.context.annotation.Bean
    com.fasterxml.jackson.databind.ObjectMapper jackson2Mapper() {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .setPropertyNamingStrategy(
              com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
    }
  }

  record Pair(String firstName, String lastName) {}

  @Test
  void payloadsGoThroughTheApplicationsJackson2Mapper() throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ChatApp.class, SnakeCaseMapper.class)
            .web(WebApplicationType.NONE)
            .properties("sio4j.host=127.0.0.1", "sio4j.port=0", "spring.main.banner-mode=off")
            .run();
    cleanup.push(context::close);
    SocketIoServer server = context.getBean(SocketIoServer.class);
    assertTrue(
        server.options().mapper()
            == context.getBean(com.fasterxml.jackson.databind.ObjectMapper.class));
    // the JSON the server writes follows the application's naming strategy
    assertEquals(
        "{\"first_name\":\"a\",\"last_name\":\"b\"}",
        server.options().mapper().writeValueAsString(new Pair("a", "b")));
  }

  @Test
  void withoutAJackson2MapperBeanTheServerHasItsOwn() {
    ConfigurableApplicationContext context = start();
    assertNotNull(context.getBean(SocketIoServer.class).options().mapper());
    assertTrue(context.getBeansOfType(com.fasterxml.jackson.databind.ObjectMapper.class).isEmpty());
  }

  @Test
  void theJavaClientTalksToAnnotatedHandlersWithTypedPayloadsAndAcks() throws Exception {
    ConfigurableApplicationContext context = start();
    int port = context.getBean(SocketIoServer.class).port();
    SocketIoClient client =
        SocketIoClient.builder().uri(URI.create("http://127.0.0.1:" + port)).build();
    cleanup.push(() -> client.close().get(10, TimeUnit.SECONDS));
    ClientSocket chat =
        client.socket("/chat", SocketOptions.builder().auth(Map.of("token", "secret")).build());
    CompletableFuture<Void> connected = new CompletableFuture<>();
    chat.onConnect(() -> connected.complete(null));
    connected.get(15, TimeUnit.SECONDS);

    Arguments reply =
        chat.timeout(WAIT)
            .emitWithAck("message", new ChatMessage("ann", "hello"))
            .get(15, TimeUnit.SECONDS);
    assertEquals(new Receipt("ann:hello", 5), reply.get(0, Receipt.class));

    Arguments sum =
        chat.timeout(WAIT).emitWithAck("sum", "total", List.of(1, 2, 3)).get(15, TimeUnit.SECONDS);
    assertEquals("total", sum.string(0));
    assertEquals(6, sum.get(1, Integer.class));

    Arguments reversed =
        chat.timeout(WAIT)
            .emitWithAck("reverse", (Object) new byte[] {1, 2, 3})
            .get(15, TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {3, 2, 1}, reversed.bytes(0));

    Arguments later = chat.timeout(WAIT).emitWithAck("later", "async").get(15, TimeUnit.SECONDS);
    assertEquals("ASYNC", later.string(0));
  }

  @Test
  void theOfficialJsClientTalksToAnnotatedHandlers() {
    ConfigurableApplicationContext context = start();
    int port = context.getBean(SocketIoServer.class).port();
    ChatApp.Seen seen = context.getBean(ChatApp.Seen.class);
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + port + "/chat",
            "{\"auth\":{\"token\":\"secret\"}}");
    cleanup.push(js);
    js.await("connect", WAIT);
    js.send(
        "{\"cmd\":\"emitWithAck\",\"name\":\"message\",\"args\":[{\"from\":\"bob\",\"text\":\"hey\"}],\"tag\":1}");
    JsonNode ack = js.await("ack", WAIT);
    assertEquals("[{\"id\":\"bob:hey\",\"length\":3}]", ack.get("args").toString());
    js.send(
        "{\"cmd\":\"emitWithAck\",\"name\":\"reverse\",\"args\":[{\"$binary\":\"AQID\"}],\"tag\":2}");
    assertEquals("[{\"$binary\":\"AwIB\"}]", js.await("ack", WAIT).get("args").toString());
    js.send("{\"cmd\":\"emitWithAck\",\"name\":\"sum\",\"args\":[\"n\",[4,5]],\"tag\":3}");
    assertEquals("[\"n\",9]", js.await("ack", WAIT).get("args").toString());
    assertTrue(poll(seen).startsWith("connect "));
    assertEquals("message ChatMessage[from=bob, text=hey]", poll(seen));
  }

  @Test
  void theMsgpackParserIsThePropertysChoice() {
    ConfigurableApplicationContext context = start("sio4j.parser=msgpack");
    int port = context.getBean(SocketIoServer.class).port();
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + port + "/chat",
            "{\"auth\":{\"token\":\"secret\"},\"parser\":\"msgpack\"}");
    cleanup.push(js);
    js.await("connect", WAIT);
    js.send(
        "{\"cmd\":\"emitWithAck\",\"name\":\"message\",\"args\":[{\"from\":\"mo\",\"text\":\"pack\"}],\"tag\":1}");
    assertEquals(
        "[{\"id\":\"mo:pack\",\"length\":4}]", js.await("ack", WAIT).get("args").toString());
  }

  @Test
  void theMiddlewareBeanGuardsItsNamespace() {
    ConfigurableApplicationContext context = start();
    int port = context.getBean(SocketIoServer.class).port();
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + port + "/chat",
            "{\"auth\":{\"token\":\"wrong\"},\"reconnection\":false}");
    cleanup.push(js);
    assertEquals("bad token", js.await("connect_error", WAIT).get("message").asText());
  }

  @Test
  void aPayloadThatDoesNotConvertIsLoggedWithNamespaceEventAndSocket(CapturedOutput output)
      throws Exception {
    ConfigurableApplicationContext context = start();
    int port = context.getBean(SocketIoServer.class).port();
    SocketIoClient client =
        SocketIoClient.builder().uri(URI.create("http://127.0.0.1:" + port)).build();
    cleanup.push(() -> client.close().get(10, TimeUnit.SECONDS));
    ClientSocket chat =
        client.socket("/chat", SocketOptions.builder().auth(Map.of("token", "secret")).build());
    CompletableFuture<Void> connected = new CompletableFuture<>();
    chat.onConnect(() -> connected.complete(null));
    connected.get(15, TimeUnit.SECONDS);
    String id = chat.id().orElseThrow();

    chat.emit("message", "not an object");
    chat.emit("boom");
    // a later event is handled: the failures did not break the socket
    assertEquals(
        "ASYNC",
        chat.timeout(WAIT).emitWithAck("later", "async").get(15, TimeUnit.SECONDS).string(0));
    String log = output.getOut();
    assertTrue(
        log.contains(
            "Socket.IO event 'message' in namespace /chat from socket " + id + ": argument 0"),
        log);
    assertTrue(log.contains("ChatApp$ChatController#message not called"), log);
    assertTrue(log.contains("for event 'boom' in namespace /chat (socket " + id + ") threw"), log);
    assertTrue(log.contains("handler failure"), log);
  }

  @Test
  void closingTheContextDisconnectsEveryClientCleanly() throws Exception {
    ConfigurableApplicationContext context = start();
    int port = context.getBean(SocketIoServer.class).port();
    ChatApp.Seen seen = context.getBean(ChatApp.Seen.class);
    SocketIoHealthIndicator health = context.getBean(SocketIoHealthIndicator.class);
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + port + "/chat",
            "{\"auth\":{\"token\":\"secret\"},\"reconnection\":false}");
    cleanup.push(js);
    js.await("connect", WAIT);
    assertTrue(poll(seen).startsWith("connect "));
    Health up = health.health();
    assertEquals(Status.UP, up.getStatus());
    assertEquals(port, up.getDetails().get("port"));
    assertEquals(1, up.getDetails().get("clients"));

    context.close();

    assertEquals("disconnect server shutting down", poll(seen));
    assertEquals("transport close", js.await("disconnect", WAIT).get("reason").asText());
    assertEquals(Status.DOWN, health.health().getStatus());
    // the port is released
    try (java.net.ServerSocket again = new java.net.ServerSocket()) {
      again.bind(new java.net.InetSocketAddress("127.0.0.1", port));
    }
  }

  @Test
  void theHealthIndicatorIsDownUntilTheServerListens() {
    ConfigurableApplicationContext context = start();
    SocketIoLifecycle lifecycle = context.getBean(SocketIoLifecycle.class);
    SocketIoHealthIndicator health = context.getBean(SocketIoHealthIndicator.class);
    assertEquals(Status.UP, health.health().getStatus());
    lifecycle.stop();
    assertFalse(lifecycle.isRunning());
    Health down = health.health();
    assertEquals(Status.DOWN, down.getStatus());
    assertNotNull(down.getDetails().get("path"));
  }

  private static String poll(ChatApp.Seen seen) {
    try {
      String line = seen.lines.poll(15, TimeUnit.SECONDS);
      assertNotNull(line, "no handler call within 15 s");
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
