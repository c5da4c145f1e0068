package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.RawHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The safe Origin default (a deliberate difference from the reference): a browser request from a
 * foreign origin is refused on polling and WebSocket unless CORS allows that origin; same-origin
 * pages and clients that send no Origin are served; {@code checkOrigin(false)} serves everyone.
 */
@Timeout(60)
class OriginCheckTest {
  private static final String EVIL = "http://evil.example";
  private static final String FORBIDDEN = "{\"code\":4,\"message\":\"Origin not allowed\"}";

  private static RawHttp.Response upgrade(TestServer server, String... headerLines) {
    try (RawHttp connection = new RawHttp(server.port())) {
      return connection.exchange(
          RawHttp.upgradeRequest("/engine.io/?EIO=4&transport=websocket", headerLines));
    }
  }

  @Test
  void aForeignOriginIsRefusedOnPollingAndWebSocketByDefault() {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> polling = get(server.url("EIO=4&transport=polling"), "Origin", EVIL);
      assertEquals(403, polling.statusCode());
      assertEquals(FORBIDDEN, text(polling));
      Recorder.ConnectionError error = server.recorder.nextConnectionError();
      assertEquals(EngineIoError.FORBIDDEN, error.error());
      assertEquals("Origin not allowed", error.message());

      RawHttp.Response ws = upgrade(server, "Origin: " + EVIL);
      assertEquals(400, ws.status());
      assertEquals("Origin not allowed", ws.bodyText());
      assertTrue(server.recorder.opened().isEmpty(), "no session was opened");

      // A session's own requests are refused too: a foreign page must not drive a session whose
      // id it learnt.
      String sid = handshake(server);
      HttpResponse<byte[]> poll = get(server.polling(sid), "Origin", EVIL);
      assertEquals(403, poll.statusCode());
      assertFalse(server.recorder.isClosed(sid), "the session is untouched");
    }
  }

  @Test
  void requestsWithoutOriginOrFromTheSameOriginAreServed() {
    try (TestServer server = TestServer.start()) {
      assertEquals(200, get(server.url("EIO=4&transport=polling")).statusCode());
      // The Host header java.net.http sends is 127.0.0.1:<port>.
      String self = "http://127.0.0.1:" + server.port();
      assertEquals(200, get(server.url("EIO=4&transport=polling"), "Origin", self).statusCode());

      assertEquals(101, upgrade(server).status());
      // RawHttp's upgrade says "Host: 127.0.0.1": port 80, as http://127.0.0.1 has.
      assertEquals(101, upgrade(server, "Origin: http://127.0.0.1").status());
      assertEquals(400, upgrade(server, "Origin: http://127.0.0.1:8080").status());
    }
  }

  @Test
  void anOriginAllowedByCorsIsServed() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder().cors(CorsOptions.builder().origins(EVIL).build()))) {
      assertEquals(200, get(server.url("EIO=4&transport=polling"), "Origin", EVIL).statusCode());
      assertEquals(101, upgrade(server, "Origin: " + EVIL).status());
      assertEquals(
          403,
          get(server.url("EIO=4&transport=polling"), "Origin", "http://other.example")
              .statusCode());
    }
  }

  @Test
  void checkOriginOffServesEveryOriginAsTheReferenceDoes() {
    try (TestServer server = TestServer.start(EngineIoOptions.builder().checkOrigin(false))) {
      assertEquals(200, get(server.url("EIO=4&transport=polling"), "Origin", EVIL).statusCode());
      assertEquals(101, upgrade(server, "Origin: " + EVIL).status());
    }
  }
}
