package dev.sio4j.examples.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.NodeScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code socketio} mode (the socket.io-protocol suite's server), with {@code --parser json} and
 * {@code --parser msgpack}, checked with the official JavaScript client on the matching parser: the
 * same handlers answer whatever the format on the wire.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoModeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Runnable stop;
  private final List<NodeScript> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(NodeScript::close);
    if (stop != null) {
      stop.run();
    }
  }

  private NodeScript client(int port, String optionsJson) {
    NodeScript c =
        NodeScript.start(
            "socketio-client.mjs", "http://127.0.0.1:" + port, optionsJson, "--timeout=60");
    clients.add(c);
    return c;
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "msgpack"})
  void sameHandlersOnEitherParser(String parser) {
    int port = FreePort.find();
    stop = ConformanceServer.startSocketIo("127.0.0.1", port, ConformanceServer.parser(parser));
    String clientParser = parser.equals("msgpack") ? ",\"parser\":\"msgpack\"" : "";
    NodeScript c =
        client(
            port,
            "{\"transports\":[\"websocket\"],\"reconnection\":false,\"auth\":{\"t\":1}"
                + clientParser
                + "}");
    c.await("connect", WAIT);
    JsonNode auth = c.await("event", e -> e.path("name").asText().equals("auth"), WAIT);
    assertEquals("{\"t\":1}", auth.path("args").get(0).toString());

    c.sendJson(
        Map.of(
            "cmd",
            "emit",
            "name",
            "message",
            "args",
            List.of(1, "two", Map.of("$binary", "AQI="))));
    JsonNode back = c.await("event", e -> e.path("name").asText().equals("message-back"), WAIT);
    assertEquals("[1,\"two\",{\"$binary\":\"AQI=\"}]", back.path("args").toString());

    c.sendJson(
        Map.of("cmd", "emitWithAck", "name", "message-with-ack", "args", List.of(3), "tag", "a"));
    assertEquals("[3]", c.await("ack", WAIT).path("args").toString());
  }

  @Test
  void onlyKnownParsersAreAccepted() {
    assertEquals("MsgpackParser", ConformanceServer.parser("msgpack").toString());
    assertNull(ConformanceServer.parser("cbor"));
  }

  @Test
  void allowEio3ServesASocketIoV2Client() {
    int port = FreePort.find();
    stop = ConformanceServer.start("socketio", "--port", String.valueOf(port), "--allow-eio3");
    // socket.io-client 2.x with its default transports: polling, then the upgrade.
    NodeScript c = client(port, "{\"client\":\"v2\",\"reconnection\":false}");
    c.await("connect", WAIT);
    JsonNode auth = c.await("event", e -> e.path("name").asText().equals("auth"), WAIT);
    assertEquals("{}", auth.path("args").get(0).toString());
    c.sendJson(Map.of("cmd", "emit", "name", "message", "args", List.of(1, "two")));
    JsonNode back = c.await("event", e -> e.path("name").asText().equals("message-back"), WAIT);
    assertEquals("[1,\"two\"]", back.path("args").toString());
  }

  @Test
  void withoutAllowEio3AV2ClientIsRefusedAndTheFlagIsForTheSocketIoModeOnly() {
    int port = FreePort.find();
    stop = ConformanceServer.start("socketio", "--port", String.valueOf(port));
    NodeScript c =
        client(port, "{\"client\":\"v2\",\"transports\":[\"polling\"],\"reconnection\":false}");
    c.await("connect_error", WAIT);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConformanceServer.start("engineio", "--allow-eio3"));
    assertTrue(e.getMessage().contains("--allow-eio3 is for the socketio mode"), e.getMessage());
    assertTrue(ConformanceServer.USAGE.contains("--allow-eio3"));
  }
}
