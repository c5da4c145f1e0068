package dev.sio4j.engineio.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.interop.NodeScript;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official npm {@code engine.io-client} against our server, over polling only, WebSocket only,
 * and polling upgraded to WebSocket.
 */
class EngineIoClientInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TEXT = "héllo ✓ € 😀";
  private static final byte[] BINARY = {0, 1, 2, (byte) 0xff};

  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    server.recorder.openAction = s -> s.send("welcome");
    server.recorder.messageAction =
        (socket, message) -> {
          if (message instanceof String) {
            socket.send((String) message);
          } else {
            socket.send((byte[]) message);
          }
        };
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static NodeScript client(String transports, boolean upgrade) {
    return NodeScript.start(
        "engineio-client.mjs",
        "http://127.0.0.1:" + server.port(),
        transports,
        Boolean.toString(upgrade),
        "--timeout=30");
  }

  /** Waits for the open (and the upgrade when expected); returns the sid. */
  private static String open(NodeScript client, String first, String last) {
    JsonNode open = client.await("open", WAIT);
    assertEquals(first, open.path("transport").asText());
    String sid = open.path("sid").asText();
    EngineIoSocket socket = server.recorder.socket(sid);
    if (!first.equals(last)) {
      assertEquals(last, client.await("upgrade", WAIT).path("transport").asText());
      assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sid));
    }
    assertEquals(TransportType.fromWireName(last).orElseThrow(), socket.transport());
    assertEquals("welcome", client.await("message", WAIT).path("text").asText());
    return sid;
  }

  @ParameterizedTest(name = "{0} upgrade={1}")
  @CsvSource({
    "polling, false, polling, polling",
    "websocket, false, websocket, websocket",
    "'polling,websocket', true, polling, websocket"
  })
  void echoesTextAndBinaryAndSeesTheServerClose(
      String transports, boolean upgrade, String first, String last) {
    try (NodeScript client = client(transports, upgrade)) {
      String sid = open(client, first, last);

      client.sendJson(java.util.Map.of("cmd", "send", "text", TEXT));
      assertEquals(TEXT, server.recorder.nextText(sid));
      assertEquals(TEXT, client.await("message", WAIT).path("text").asText());

      client.sendJson(
          java.util.Map.of("cmd", "send", "binary", Base64.getEncoder().encodeToString(BINARY)));
      assertArrayEquals(BINARY, server.recorder.nextBinary(sid));
      JsonNode echoed = client.await("message", WAIT);
      assertArrayEquals(BINARY, Base64.getDecoder().decode(echoed.path("binary").asText()));

      server.recorder.socket(sid).close();
      assertEquals("transport close", client.await("close", WAIT).path("reason").asText());
      assertEquals(CloseReason.FORCED_CLOSE, server.recorder.awaitClose(sid).reason());
      assertEquals(0, client.awaitExit(WAIT));
    }
  }

  @ParameterizedTest(name = "{0} upgrade={1}")
  @CsvSource({
    "polling, false, polling, polling",
    "websocket, false, websocket, websocket",
    "'polling,websocket', true, polling, websocket"
  })
  void clientCloseEndsTheServerSession(
      String transports, boolean upgrade, String first, String last) {
    try (NodeScript client = client(transports, upgrade)) {
      String sid = open(client, first, last);
      client.send("{\"cmd\":\"close\"}");
      assertEquals("forced close", client.await("close", WAIT).path("reason").asText());
      Recorder.Closed closed = server.recorder.awaitClose(sid);
      if (last.equals("polling")) {
        // The fixture exits as soon as its socket reports the close, racing the client's "1"
        // POST against the teardown of its held GET: either may reach the server first.
        assertTrue(
            closed.equals(new Recorder.Closed(CloseReason.TRANSPORT_CLOSE, ""))
                || closed.equals(
                    new Recorder.Closed(
                        CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely")),
            closed.toString());
      } else {
        assertEquals(CloseReason.TRANSPORT_CLOSE, closed.reason());
      }
      assertEquals(0, client.awaitExit(WAIT));
    }
  }
}
