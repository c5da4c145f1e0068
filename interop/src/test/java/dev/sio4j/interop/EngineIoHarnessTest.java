package dev.sio4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engine.io client fixture against the engine.io reference server, over every transport. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineIoHarnessTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static NodeServer server;

  @BeforeAll
  static void startServer() {
    server = NodeServer.engineIo();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0} upgrade={1}")
  @CsvSource({
    "polling, false, polling",
    "websocket, false, websocket",
    "'polling,websocket', true, websocket"
  })
  void echoesTextAndBinaryThenCloses(String transports, boolean upgrade, String finalTransport) {
    try (NodeScript client =
        NodeScript.start(
            "engineio-client.mjs", server.url(), transports, Boolean.toString(upgrade))) {
      JsonNode open = client.await("open", WAIT);
      String sid = open.path("sid").asText();
      assertEquals(transports.split(",")[0], open.path("transport").asText());
      if (upgrade) {
        assertEquals(finalTransport, client.await("upgrade", WAIT).path("transport").asText());
      }
      server.script().await("connection", c -> c.path("id").asText().equals(sid), WAIT);

      client.send("{\"cmd\":\"send\",\"text\":\"héllo ✓\"}");
      assertEquals("héllo ✓", client.await("message", WAIT).path("text").asText());

      client.send("{\"cmd\":\"send\",\"binary\":\"AAEC/w==\"}");
      assertEquals("AAEC/w==", client.await("message", WAIT).path("binary").asText());

      client.send("{\"cmd\":\"close\"}");
      assertEquals("forced close", client.await("close", WAIT).path("reason").asText());
      assertEquals(0, client.awaitExit(WAIT));
      server.script().await("close", c -> c.path("id").asText().equals(sid), WAIT);
    }
  }
}
