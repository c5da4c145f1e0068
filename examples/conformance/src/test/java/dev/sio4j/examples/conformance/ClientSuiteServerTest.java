package dev.sio4j.examples.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.NodeScript;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code client-suite} server (what the official socket.io-client test suite runs against),
 * checked with the official JavaScript client through {@code interop/js/socketio-client.mjs}.
 * Connection state recovery is on, so every event without ack arrives with the offset as its last
 * argument (the JS client leaves it there).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientSuiteServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ASDF =
      Base64.getEncoder().encodeToString("asdfasdf".getBytes(StandardCharsets.UTF_8));

  private Runnable stop;
  private int port;
  private final List<NodeScript> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    port = FreePort.find();
    stop = ConformanceServer.startClientSuite("127.0.0.1", port);
  }

  @AfterEach
  void stop() {
    clients.forEach(NodeScript::close);
    if (stop != null) {
      stop.run();
    }
  }

  private NodeScript client(String optionsJson) {
    NodeScript c =
        NodeScript.start(
            "socketio-client.mjs", "http://127.0.0.1:" + port, optionsJson, "--timeout=60");
    clients.add(c);
    return c;
  }

  private static JsonNode event(NodeScript c, String name) {
    return c.await("event", e -> e.path("name").asText().equals(name) && !e.has("nsp"), WAIT);
  }

  private static JsonNode ack(NodeScript c, String tag) {
    return c.await("ack", e -> e.path("tag").asText().equals(tag), WAIT).path("args");
  }

  @Test
  void mainNamespaceHandlers() {
    NodeScript c = client("{}");
    JsonNode connect = c.await("connect", WAIT);
    String id = connect.path("id").asText();
    assertFalse(connect.path("recovered").asBoolean());

    c.sendJson(Map.of("cmd", "emit", "name", "hi"));
    JsonNode hi = event(c, "hi").path("args");
    assertEquals(1, hi.size(), "only the recovery offset: " + hi);
    assertTrue(hi.get(0).isTextual());

    c.sendJson(Map.of("cmd", "emitWithAck", "name", "echo", "args", List.of(42), "tag", "e"));
    assertEquals("[42]", ack(c, "e").toString());

    c.sendJson(Map.of("cmd", "emitWithAck", "name", "getId", "tag", "id"));
    assertEquals(id, ack(c, "id").get(0).asText());

    c.sendJson(Map.of("cmd", "emitWithAck", "name", "getAckDate", "args", List.of(1), "tag", "d"));
    assertTrue(
        ack(c, "d").get(0).asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));

    c.sendJson(Map.of("cmd", "emit", "name", "getUtf8"));
    List<String> utf8 = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      utf8.add(event(c, "takeUtf8").path("args").get(0).asText());
    }
    assertEquals(
        List.of("てすと", "Я Б Г Д Ж Й", "Ä ä Ü ü ß", "utf8 — string", "utf8 — string"), utf8);

    c.sendJson(Map.of("cmd", "emit", "name", "false"));
    assertEquals(false, event(c, "false").path("args").get(0).booleanValue());

    c.sendJson(Map.of("cmd", "emit", "name", "doge"));
    assertEquals(ASDF, event(c, "doge").path("args").get(0).path("$binary").asText());

    c.sendJson(Map.of("cmd", "onAck", "name", "ack", "reply", List.of(5, Map.of("test", true))));
    c.sendJson(Map.of("cmd", "emit", "name", "ack"));
    event(c, "got it");

    Map<String, Object> mixed =
        Map.of("hello", "lol", "message", Map.of("$binary", ASDF), "goodbye", "gotcha");
    c.sendJson(Map.of("cmd", "emit", "name", "jsonbuff", "args", List.of(mixed)));
    event(c, "jsonbuff-ack");

    c.sendJson(Map.of("cmd", "emit", "name", "blob1", "args", List.of(Map.of("$binary", ASDF))));
    c.sendJson(Map.of("cmd", "emit", "name", "blob2", "args", List.of("second")));
    c.sendJson(Map.of("cmd", "emit", "name", "blob3", "args", List.of(Map.of("$binary", ASDF))));
    event(c, "blob3-ack");

    c.sendJson(Map.of("cmd", "emitWithAck", "name", "getHandshake", "tag", "h"));
    JsonNode handshake = ack(c, "h").get(0);
    assertEquals("4", handshake.path("query").path("EIO").asText(), handshake.toString());
  }

  @Test
  void namespacesAndMiddlewares() {
    NodeScript refused = client("{\"query\":{\"fail\":\"true\"}}");
    assertEquals(
        "Auth failed (main namespace)",
        refused.await("connect_error", WAIT).path("message").asText());

    NodeScript c = client("{}");
    c.await("connect", WAIT);
    c.sendJson(Map.of("cmd", "socket", "nsp", "/foo"));
    String fooId =
        c.await("connect", e -> e.path("nsp").asText().equals("/foo"), WAIT).path("id").asText();
    c.sendJson(Map.of("cmd", "emitWithAck", "nsp", "/foo", "name", "getId", "tag", "foo"));
    assertEquals(fooId, ack(c, "foo").get(0).asText());

    c.sendJson(Map.of("cmd", "socket", "nsp", "/no"));
    assertEquals(
        "Auth failed (custom namespace)",
        c.await("connect_error", e -> e.path("nsp").asText().equals("/no"), WAIT)
            .path("message")
            .asText());

    c.sendJson(Map.of("cmd", "socket", "nsp", "/abc"));
    JsonNode handshake =
        c.await(
                "event",
                e ->
                    e.path("nsp").asText().equals("/abc")
                        && e.path("name").asText().equals("handshake"),
                WAIT)
            .path("args")
            .get(0);
    assertTrue(handshake.path("issued").isNumber(), handshake.toString());
    assertEquals("/socket.io/", handshake.path("url").asText().substring(0, 11));
  }
}
