package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.Await.join;
import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.getAsync;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.RawWebSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The upgrade from polling to WebSocket: probe, noop, upgrade packet, and what may go wrong. */
class UpgradeTest {

  /** A session upgraded to {@code ws}, following the client's steps. */
  static void upgrade(TestServer server, String sid, RawWebSocket ws) {
    EngineIoSocket socket = server.recorder.socket(sid);
    CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(sid));
    Polling.awaitPendingGet(socket);
    ws.send("2probe");
    assertEquals("3probe", ws.nextText());
    assertEquals("6", text(join(pending)));
    ws.send("5");
    assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sid));
  }

  @Test
  void probeUpgradeThenMessagesFlowOverWebSocket() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(sid));
        Polling.awaitPendingGet(socket);
        ws.send("2probe");
        assertEquals("3probe", ws.nextText());
        // the held GET is released by a noop so that the client can pause polling
        HttpResponse<byte[]> released = join(pending);
        assertEquals(200, released.statusCode());
        assertEquals("6", text(released));
        assertEquals(TransportType.POLLING, socket.transport());

        // sent while the client is paused: buffered, then flushed on the WebSocket in order
        socket.send("a");
        socket.send(new byte[] {1, 2});
        socket.send("c");
        ws.send("5");
        assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sid));
        assertEquals("4a", ws.nextText());
        assertArrayEquals(new byte[] {1, 2}, ws.nextBinary());
        assertEquals("4c", ws.nextText());
        assertTrue(socket.upgraded());
        assertEquals(TransportType.WEBSOCKET, socket.transport());

        ws.send("4over ws");
        ws.send(new byte[] {9, 8, 7});
        assertEquals("over ws", server.recorder.nextText(sid));
        assertArrayEquals(new byte[] {9, 8, 7}, server.recorder.nextBinary(sid));
        socket.send("back");
        assertEquals("4back", ws.nextText());
        assertFalse(server.recorder.isClosed(sid));
      }
      assertEquals(CloseReason.TRANSPORT_CLOSE, server.recorder.awaitClose(sid).reason());
    }
  }

  @Test
  void pollingRequestAfterTheUpgradeIsATransportMismatch() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        upgrade(server, sid, ws);
        HttpResponse<byte[]> res = get(server.polling(sid));
        assertEquals(400, res.statusCode());
        assertEquals("{\"code\":3,\"message\":\"Bad request\"}", text(res));
        HttpResponse<byte[]> post = Http.post(server.polling(sid), "4x");
        assertEquals(400, post.statusCode());
        assertEquals(EngineIoError.BAD_REQUEST, server.recorder.nextConnectionError().error());
        // the session itself is unaffected
        ws.send("4still");
        assertEquals("still", server.recorder.nextText(sid));
      }
    }
  }

  @Test
  void secondWebSocketWithTheSameSidIsClosed() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        upgrade(server, sid, ws);
        try (RawWebSocket again =
            RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
          again.awaitClose();
        }
        ws.send("4first still works");
        assertEquals("first still works", server.recorder.nextText(sid));
        assertFalse(server.recorder.isClosed(sid));
      }
    }
  }

  @Test
  void secondProbeWhileUpgradingIsClosed() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        ws.send("2probe");
        assertEquals("3probe", ws.nextText());
        try (RawWebSocket again =
            RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
          again.awaitClose();
        }
        ws.send("5");
        assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sid));
      }
    }
  }

  @Test
  void upgradeTimeoutClosesAnUnfinishedProbeAndTheSessionStaysOnPolling() {
    try (TestServer server =
        TestServer.start(EngineIoOptions.builder().upgradeTimeout(Duration.ofMillis(200)))) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        ws.send("2probe");
        assertEquals("3probe", ws.nextText());
        long start = System.nanoTime();
        ws.awaitClose();
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsed >= 100, "probe closed after " + elapsed + " ms");
      }
      EngineIoSocket socket = server.recorder.socket(sid);
      assertEquals(TransportType.POLLING, socket.transport());
      assertFalse(socket.upgraded());
      Polling.push(server, sid, "4after");
      assertEquals("after", server.recorder.nextText(sid));
      socket.send("polling again");
      assertEquals("4polling again", Polling.poll(server, sid));
      assertFalse(server.recorder.isClosed(sid));
    }
  }

  @Test
  void packetOtherThanUpgradeDuringTheProbeClosesTheNewTransport() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        ws.send("2probe");
        assertEquals("3probe", ws.nextText());
        ws.send("4not yet");
        ws.awaitClose();
      }
      server.recorder.assertNoMessage(sid);
      Polling.push(server, sid, "4polling");
      assertEquals("polling", server.recorder.nextText(sid));
      assertEquals(TransportType.POLLING, server.recorder.socket(sid).transport());
    }
  }

  @Test
  void serverCloseWhileUpgradingClosesTheProbe() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        ws.send("2probe");
        assertEquals("3probe", ws.nextText());
        server.recorder.socket(sid).close();
        // polling closes on the client's next request (none was pending): noop, then close
        assertEquals("6\u001e1", Polling.poll(server, sid));
        ws.awaitClose();
      }
      assertEquals(CloseReason.FORCED_CLOSE, server.recorder.awaitClose(sid).reason());
    }
  }

  @Test
  void upgradedSessionClosedByTheServerClosesTheWebSocket() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        upgrade(server, sid, ws);
        server.recorder.socket(sid).close();
        // as the reference (ws's close() without a code): a close frame without status
        assertEquals(1005, ws.awaitClose());
        server.recorder.assertClose(sid, CloseReason.FORCED_CLOSE, "");
      }
    }
  }
}
