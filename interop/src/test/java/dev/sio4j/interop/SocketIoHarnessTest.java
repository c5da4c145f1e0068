package dev.sio4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The socket.io client fixture against the socket.io reference server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoHarnessTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void echoAcksBinaryArgumentsBack() {
    try (NodeServer server = NodeServer.socketIo();
        NodeScript client =
            NodeScript.start(
                "socketio-client.mjs", server.url(), "{\"auth\":{\"token\":\"abc\"}}")) {
      JsonNode connect = client.await("connect", WAIT);
      JsonNode connection = server.script().await("connection", WAIT);
      assertEquals(connect.path("id").asText(), connection.path("id").asText());
      assertEquals("abc", connection.path("auth").path("token").asText());

      client.send(
          "{\"cmd\":\"emitWithAck\",\"name\":\"echo\",\"tag\":\"e1\",\"timeout\":5000,"
              + "\"args\":[\"text\",{\"$binary\":\"AQID\"},{\"nested\":{\"$binary\":\"/w==\"}}]}");
      JsonNode ack = client.await("ack", WAIT);
      assertEquals("e1", ack.path("tag").asText());
      assertEquals(
          "[\"text\",{\"$binary\":\"AQID\"},{\"nested\":{\"$binary\":\"/w==\"}}]",
          ack.path("args").toString());

      JsonNode seen = server.script().await("event", WAIT);
      assertEquals("echo", seen.path("name").asText());
      assertEquals("AQID", seen.path("args").path(1).path("$binary").asText());

      client.send("{\"cmd\":\"exit\"}");
      assertEquals(0, client.awaitExit(WAIT));
      assertEquals(
          "client namespace disconnect",
          server.script().await("disconnect", WAIT).path("reason").asText());
    }
  }

  @Test
  void serverEmitsReachTheClientAndClientAcksReachTheServer() {
    try (NodeServer server = NodeServer.socketIo("{\"namespaces\":[\"/admin\"]}");
        NodeScript client =
            NodeScript.start(
                "socketio-client.mjs", server.url(), "{\"transports\":[\"websocket\"]}")) {
      assertEquals("websocket", client.await("connect", WAIT).path("transport").asText());
      client.send("{\"cmd\":\"socket\",\"nsp\":\"/admin\"}");
      assertEquals("/admin", client.await("connect", WAIT).path("nsp").asText());
      client.send("{\"cmd\":\"onAck\",\"nsp\":\"/admin\",\"name\":\"ping\",\"reply\":[\"pong\"]}");

      server
          .script()
          .send("{\"cmd\":\"emit\",\"name\":\"news\",\"args\":[{\"$binary\":\"AQ==\"}]}");
      JsonNode news = client.await("event", WAIT);
      assertEquals("news", news.path("name").asText());
      assertFalse(news.has("nsp"));
      assertEquals("AQ==", news.path("args").path(0).path("$binary").asText());

      server
          .script()
          .send("{\"cmd\":\"emitWithAck\",\"nsp\":\"/admin\",\"name\":\"ping\",\"tag\":\"p\"}");
      assertEquals("[\"pong\"]", server.script().await("ack", WAIT).path("args").toString());
    }
  }

  @Test
  void middlewareRejectionReachesTheClientWithItsData() {
    try (NodeServer server =
            NodeServer.socketIo(
                "{\"rejectWith\":{\"message\":\"not allowed\",\"data\":{\"code\":42}}}");
        NodeScript client =
            NodeScript.start("socketio-client.mjs", server.url(), "{\"reconnection\":false}")) {
      JsonNode error = client.await("connect_error", WAIT);
      assertEquals("not allowed", error.path("message").asText());
      assertEquals(42, error.path("data").path("code").asInt());
    }
  }
}
