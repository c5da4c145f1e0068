package dev.sio4j.spring.boot;

import static dev.sio4j.spring.boot.BindingFixture.WAIT;
import static dev.sio4j.spring.boot.BindingFixture.get;
import static dev.sio4j.spring.boot.BindingFixture.poll;
import static dev.sio4j.spring.boot.BindingFixture.port;
import static dev.sio4j.spring.boot.BindingFixture.startOnAppPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.NodeScript;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application on Tomcat (Boot's default) serves Socket.IO on its own port through the
 * servlet binding, which {@code sio4j.mode=auto} picks: the official JS client connects over
 * polling and upgrades, or starts on WebSocket; typed events and acks reach the annotated handlers;
 * the application's own controller answers on the same port; closing the context disconnects the
 * sockets with {@code server shutting down}.
 */
@Timeout(90)
class ServletBindingTest {

  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @SpringBootConfiguration
  @Import({ChatApp.class, MvcChat.Hello.class})
  static class MvcChat {
    @RestController
    static class Hello {
      @GetMapping("/hello")
      String hello() {
        return "hello from mvc";
      }
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  private ConfigurableApplicationContext start() {
    return startOnAppPort(MvcChat.class, WebApplicationType.SERVLET, cleanup);
  }

  @Test
  void theJsClientConnectsOverPollingAndUpgradesOnTheApplicationsPort() throws Exception {
    ConfigurableApplicationContext context = start();
    int port = port(context);
    ChatApp.Seen seen = context.getBean(ChatApp.Seen.class);
    assertEquals("servlet", context.getBean(SocketIoLifecycle.class).mode());
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + port + "/chat",
            "{\"auth\":{\"token\":\"secret\"},\"reconnection\":false}");
    cleanup.push(js);
    js.await("connect", WAIT);
    assertEquals("websocket", js.await("upgrade", WAIT).get("transport").asText());

    js.send(
        "{\"cmd\":\"emitWithAck\",\"name\":\"message\",\"args\":[{\"from\":\"cy\",\"text\":\"yo\"}],\"tag\":1}");
    assertEquals("[{\"id\":\"cy:yo\",\"length\":2}]", js.await("ack", WAIT).get("args").toString());

    HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    HttpResponse<String> hello = get(http, port, "/hello");
    assertEquals(200, hello.statusCode());
    assertEquals("hello from mvc", hello.body());
    HttpResponse<String> bundle = get(http, port, "/socket.io/socket.io.min.js");
    assertEquals(200, bundle.statusCode());
    assertTrue(bundle.body().length() > 10_000);
    HttpResponse<String> open = get(http, port, "/socket.io/?EIO=4&transport=polling");
    assertEquals(200, open.statusCode());
    assertTrue(open.body().startsWith("0{\"sid\""), open.body());

    Health up = context.getBean(SocketIoHealthIndicator.class).health();
    assertEquals(Status.UP, up.getStatus());
    assertEquals("servlet", up.getDetails().get("mode"));
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
    ChatApp.Seen seen = context.getBean(ChatApp.Seen.class);
    NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + port(context) + "/chat",
            "{\"auth\":{\"token\":\"secret\"},\"transports\":[\"websocket\"],\"reconnection\":false}");
    cleanup.push(js);
    JsonNode connect = js.await("connect", WAIT);
    assertEquals("websocket", connect.get("transport").asText());
    js.send(
        "{\"cmd\":\"emitWithAck\",\"name\":\"message\",\"args\":[{\"from\":\"ws\",\"text\":\"hey\"}],\"tag\":2}");
    assertEquals(
        "[{\"id\":\"ws:hey\",\"length\":3}]", js.await("ack", WAIT).get("args").toString());
    js.send("{\"cmd\":\"emitWithAck\",\"name\":\"sum\",\"args\":[\"n\",[4,5]],\"tag\":3}");
    assertEquals("[\"n\",9]", js.await("ack", WAIT).get("args").toString());
    assertTrue(poll(seen).startsWith("connect "));
    assertEquals("message ChatMessage[from=ws, text=hey]", poll(seen));
    context.close();
    assertEquals("disconnect server shutting down", poll(seen));
    assertEquals("transport close", js.await("disconnect", WAIT).get("reason").asText());
  }
}
