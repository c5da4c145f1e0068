package dev.sio4j.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.common.Arguments;
import dev.sio4j.interop.NodeScript;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the example as it ships (WebFlux, Socket.IO on the application's port, actuator), chats
 * through the official JS client and the Java client, and reads the health and Prometheus endpoints
 * on the same port.
 */
@Timeout(90)
class ChatApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @AfterEach
  void tearDown() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  @Test
  void chatsAndExposesHealthAndPrometheusOnOnePort() throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ChatApplication.class)
            .properties("server.address=127.0.0.1", "server.port=0")
            .run();
    cleanup.push(context::close);
    int port = context.getEnvironment().getProperty("local.server.port", Integer.class);
    String base = "http://127.0.0.1:" + port;

    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            base,
            "{\"auth\":{\"nickname\":\"ann\"},\"reconnection\":false}");
    cleanup.push(js);
    js.await("connect", WAIT);

    SocketIoClient client = SocketIoClient.builder().uri(URI.create(base)).build();
    cleanup.push(() -> client.close().get(10, TimeUnit.SECONDS));
    ClientSocket bob =
        client.socket("/", SocketOptions.builder().auth(Map.of("nickname", "bob")).build());
    CompletableFuture<Void> connected = new CompletableFuture<>();
    bob.onConnect(() -> connected.complete(null));
    connected.get(15, TimeUnit.SECONDS);
    // (with connection state recovery on, a broadcast also carries its offset, a second argument)
    assertEquals(
        "bob",
        js.await("event", e -> e.get("name").asText().equals("joined"), WAIT)
            .get("args")
            .get(0)
            .asText());

    Arguments delivered =
        bob.timeout(WAIT)
            .emitWithAck("chat", Map.of("text", "hello ann"))
            .get(15, TimeUnit.SECONDS);
    assertEquals("bob", delivered.json(0).get("from").asText());
    JsonNode heard = js.await("event", e -> e.get("name").asText().equals("chat"), WAIT);
    assertEquals("hello ann", heard.get("args").get(0).get("text").asText());
    assertEquals(delivered.json(0).get("at"), heard.get("args").get(0).get("at"));

    // a nickname is required
    NodeScript anonymous =
        NodeScript.start("socketio-client.mjs", base, "{\"reconnection\":false}");
    cleanup.push(anonymous);
    assertEquals(
        "a nickname has 1 to 20 characters",
        anonymous.await("connect_error", WAIT).get("message").asText());

    // the page and the browser client, on the application's port
    assertTrue(get(base + "/").body().contains("/socket.io/socket.io.min.js"));
    assertEquals(
        200,
        http.send(
                request(base + "/socket.io/socket.io.min.js"),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());

    // the Admin UI's files, on the application's port too
    HttpResponse<String> admin = get(base + "/admin-ui/");
    assertEquals(200, admin.statusCode());
    assertTrue(admin.body().contains("<html"), admin.body());

    JsonNode health = new ObjectMapper().readTree(get(base + "/actuator/health").body());
    assertEquals("UP", health.at("/components/socketIo/status").asText(), health.toString());
    assertEquals(2, health.at("/components/socketIo/details/clients").asInt(), health.toString());
    assertEquals("reactor-netty", health.at("/components/socketIo/details/mode").asText());

    HttpResponse<String> prometheus = get(base + "/actuator/prometheus");
    assertEquals(200, prometheus.statusCode());
    assertTrue(prometheus.body().contains("jvm_memory_used_bytes"), prometheus.body());
    // the Socket.IO meters, bound by the starter to the application's registry
    String scrape = prometheus.body();
    assertTrue(scrape.contains("socketio_sockets_connected{namespace=\"/\"} 2.0"), scrape);
    assertTrue(
        scrape.matches("(?s).*socketio_events_received_total\\{namespace=\"/\"\\} [1-9].*"),
        scrape);
    assertTrue(scrape.contains("socketio_connect_errors_total{"), scrape);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(request(url), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build();
  }
}
