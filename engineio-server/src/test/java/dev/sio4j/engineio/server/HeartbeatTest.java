package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.server.Polling.poll;
import static dev.sio4j.engineio.server.Polling.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.RawWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** EIO4 heartbeat: the server pings, the client pongs; the wrong direction is an error. */
class HeartbeatTest {

  private static EngineIoOptions.Builder timings(long intervalMs, long timeoutMs) {
    return EngineIoOptions.builder()
        .pingInterval(Duration.ofMillis(intervalMs))
        .pingTimeout(Duration.ofMillis(timeoutMs));
  }

  @Test
  void serverPingsEveryPingIntervalAndAPongRearmsIt() {
    try (TestServer server = TestServer.start(timings(300, 5000))) {
      // Timed from before the handshake: the server arms its ping timer before it answers the
      // handshake, so timing from the answer made a loaded machine's slow answer look like an
      // early ping.
      long start = System.nanoTime();
      String sid = handshake(server);
      assertEquals("2", poll(server, sid));
      long first = (System.nanoTime() - start) / 1_000_000;
      assertTrue(first >= 280, "first ping after " + first + " ms");
      // Timed from before the pong is sent: the server re-arms its timer on receipt, before it
      // answers the POST, so timing from the answer made a loaded machine's delay look early.
      long pong = System.nanoTime();
      push(server, sid, "3");
      assertEquals("2", poll(server, sid));
      long second = (System.nanoTime() - pong) / 1_000_000;
      assertTrue(second >= 280, "second ping " + second + " ms after the pong");
      assertFalse(server.recorder.isClosed(sid));
    }
  }

  @Test
  void missingPongClosesWithPingTimeout() {
    try (TestServer server = TestServer.start(timings(100, 150))) {
      long start = System.nanoTime();
      String sid = handshake(server);
      Recorder.Closed closed = server.recorder.awaitClose(sid);
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      assertEquals(CloseReason.PING_TIMEOUT, closed.reason());
      assertEquals("ping timeout", closed.reason().text());
      assertTrue(elapsed >= 240, "closed after " + elapsed + " ms");
    }
  }

  @Test
  void missingPongOverWebSocketClosesTheSocket() {
    try (TestServer server = TestServer.start(timings(100, 100));
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = EngineIoWireClient.sidOf(ws.nextText());
      assertEquals("2", ws.nextText());
      assertEquals(CloseReason.PING_TIMEOUT, server.recorder.awaitClose(sid).reason());
      ws.awaitClose();
    }
  }

  @Test
  void pongsKeepTheSessionAliveBeyondIntervalPlusTimeout() {
    // The client has a whole second to answer each ping (a loaded machine cannot miss that),
    // and the test runs until well past interval + timeout: without the pongs re-arming the
    // heartbeat the session would close about a second after the first ping.
    long intervalMs = 150;
    long timeoutMs = 1000;
    try (TestServer server = TestServer.start(timings(intervalMs, timeoutMs));
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = EngineIoWireClient.sidOf(ws.nextText());
      long start = System.nanoTime();
      int pings = 0;
      while (pings < 3 || (System.nanoTime() - start) / 1_000_000 < 2 * (intervalMs + timeoutMs)) {
        assertEquals("2", ws.nextText());
        ws.send("3");
        pings++;
      }
      assertFalse(server.recorder.isClosed(sid));
      assertTrue(server.recorder.socket(sid).isOpen());
    }
  }

  @Test
  void clientPingOnEio4IsAnInvalidHeartbeatDirection() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      push(server, sid, "2");
      server.recorder.assertClose(sid, CloseReason.TRANSPORT_ERROR, "invalid heartbeat direction");
    }
  }

  @Test
  void clientPingOverWebSocketOnEio4ClosesTheSocket() {
    try (TestServer server = TestServer.start();
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = EngineIoWireClient.sidOf(ws.nextText());
      ws.send("2");
      server.recorder.assertClose(sid, CloseReason.TRANSPORT_ERROR, "invalid heartbeat direction");
      ws.awaitClose();
    }
  }
}
