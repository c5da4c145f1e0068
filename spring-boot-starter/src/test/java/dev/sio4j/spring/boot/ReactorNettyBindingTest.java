package dev.sio4j.spring.boot;

import static dev.sio4j.spring.boot.BindingFixture.WAIT;
import static dev.sio4j.spring.boot.BindingFixture.get;
import static dev.sio4j.spring.boot.BindingFixture.poll;
import static dev.sio4j.spring.boot.BindingFixture.port;
import static dev.sio4j.spring.boot.BindingFixture.startOnAppPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.spring.boot.ChatApp.ChatMessage;
import dev.sio4j.spring.boot.ChatApp.Receipt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A WebFlux application on Reactor Netty serves Socket.IO on its own port: the official JS client
 * connects over polling and upgrades to WebSocket, or starts on WebSocket; events, acks and binary
 * go through; the application's own routes keep working on the same port and connections.
 */
@Timeout(90)
class ReactorNettyBindingTest {

  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @SpringBootConfiguration
  @Import(ChatApp.class)
  static class WebFluxChat {
    @Bean
    RouterFunction<ServerResponse> hello() {
      return RouterFunctions.route()
          .GET("/hello", request -> ServerResponse.ok().bodyValue("hello from webflux"))
          .build();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  private ConfigurableApplicationContext start(String... properties) {
    return startOnAppPort(WebFluxChat.class, WebApplicationType.REACTIVE, cleanup, properties);
  }

  @Test
  void theJsClientConnectsOverPollingAndUpgradesOnTheApplicationsPort() throws Exception {
    ConfigurableApplicationContext context = start();
    int port = port(context);
    ChatApp.Seen seen = context.getBean(ChatApp.Seen.class);
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + port + "/chat",
            "{\"auth\":{\"token\":\"secret\"},\"reconnection\":false}");
    cleanup.push(js);
    // The client starts on polling; the upgrade may be done before its connect event fires.
    js.await("connect", WAIT);
    assertEquals("websocket", js.await("upgrade", WAIT).get("transport").asText());

    js.send(
        "{\"cmd\":\"emitWithAck\",\"name\":\"message\",\"args\":[{\"from\":\"cy\",\"text\":\"yo\"}],\"tag\":1}");
    assertEquals("[{\"id\":\"cy:yo\",\"length\":2}]", js.await("ack", WAIT).get("args").toString());
    js.send(
        "{\"cmd\":\"emitWithAck\",\"name\":\"reverse\",\"args\":[{\"$binary\":\"AQID\"}],\"tag\":2}");
    assertEquals("[{\"$binary\":\"AwIB\"}]", js.await("ack", WAIT).get("args").toString());

    // The browser client bundle, the application's own route and an Engine.IO handshake, one
    // after the other on one keep-alive connection: each request finds its handler, and neither
    // side's bookkeeping stalls the connection for the other.
    HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    HttpResponse<String> bundle = get(http, port, "/socket.io/socket.io.min.js");
    assertEquals(200, bundle.statusCode());
    assertTrue(bundle.body().length() > 10_000);
    HttpResponse<String> hello = get(http, port, "/hello");
    assertEquals(200, hello.statusCode());
    assertEquals("hello from webflux", hello.body());
    HttpResponse<String> open = get(http, port, "/socket.io/?EIO=4&transport=polling");
    assertEquals(200, open.statusCode());
    assertTrue(open.body().startsWith("0{\"sid\""), open.body());
    assertEquals("hello from webflux", get(http, port, "/hello").body());
    assertEquals(404, get(http, port, "/nothing-here").statusCode());

    SocketIoHealthIndicator health = context.getBean(SocketIoHealthIndicator.class);
    Health up = health.health();
    assertEquals(Status.UP, up.getStatus());
    assertEquals("reactor-netty", up.getDetails().get("mode"));
    assertEquals(port, up.getDetails().get("port"));

    assertTrue(poll(seen).startsWith("connect "));
    assertEquals("message ChatMessage[from=cy, text=yo]", poll(seen));
    context.close();
    assertEquals("disconnect server shutting down", poll(seen));
    assertEquals("transport close", js.await("disconnect", WAIT).get("reason").asText());
  }

  @Test
  void theJsClientConnectsOverWebSocketOnly() {
    ConfigurableApplicationContext context = start();
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + port(context) + "/chat",
            "{\"auth\":{\"token\":\"secret\"},\"transports\":[\"websocket\"],\"reconnection\":false}");
    cleanup.push(js);
    JsonNode connect = js.await("connect", WAIT);
    assertEquals("websocket", connect.get("transport").asText());
    js.send("{\"cmd\":\"emitWithAck\",\"name\":\"sum\",\"args\":[\"n\",[4,5]],\"tag\":3}");
    assertEquals("[\"n\",9]", js.await("ack", WAIT).get("args").toString());
  }

  @Test
  void theJavaClientTalksOverPolling() throws Exception {
    ConfigurableApplicationContext context = start();
    SocketIoClient client =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + port(context)))
            .transports(TransportType.POLLING)
            .build();
    cleanup.push(() -> client.close().get(10, TimeUnit.SECONDS));
    ClientSocket chat =
        client.socket("/chat", SocketOptions.builder().auth(Map.of("token", "secret")).build());
    CompletableFuture<Void> connected = new CompletableFuture<>();
    chat.onConnect(() -> connected.complete(null));
    connected.get(15, TimeUnit.SECONDS);
    Receipt receipt =
        chat.timeout(WAIT)
            .emitWithAck("message", new ChatMessage("dee", "polling"))
            .get(15, TimeUnit.SECONDS)
            .get(0, Receipt.class);
    assertEquals(new Receipt("dee:polling", 7), receipt);
  }

  @Test
  void standaloneModeKeepsAPortOfItsOwn() {
    ConfigurableApplicationContext context =
        start("sio4j.mode=standalone", "sio4j.port=0", "sio4j.host=127.0.0.1");
    SocketIoLifecycle lifecycle = context.getBean(SocketIoLifecycle.class);
    assertEquals("standalone", lifecycle.mode());
    int own = context.getEnvironment().getProperty("local.sio4j.port", Integer.class);
    assertTrue(own != port(context));
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + own + "/chat",
            "{\"auth\":{\"token\":\"secret\"},\"reconnection\":false}");
    cleanup.push(js);
    js.await("connect", WAIT);
  }
}
