package dev.sio4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.RawHttp;
import dev.sio4j.engineio.testing.RawWebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The raw wire clients against the reference engine.io server (which echoes), so that what they
 * report (messages, compression, close codes, raw responses) is known to match the reference before
 * our own server's tests rely on it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireClientsTest {

  @ParameterizedTest
  @EnumSource(EngineIoWireClient.Transport.class)
  void theEngineIoClientSeesTheEchoAndTheServerClose(EngineIoWireClient.Transport transport) {
    try (NodeServer server = NodeServer.engineIo();
        EngineIoWireClient client =
            EngineIoWireClient.open(server.port(), "/engine.io", transport)) {
      assertEquals(transport, client.transport());
      assertEquals(20, client.sid().length());
      client.send("4héllo");
      assertEquals("4héllo", client.nextText());
      client.send(new byte[] {0, 1, (byte) 0xff});
      assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, client.nextBinary());
      client.assertSilentFor(Duration.ofMillis(50));
      assertFalse(client.isClosed());
      server.script().send("{\"cmd\":\"closeSockets\"}");
      client.awaitClosed();
      assertThrows(AssertionError.class, client::next);
    }
  }

  @Test
  void theWebSocketClientSeesWhatTheReferenceCompresses() {
    try (NodeServer server = NodeServer.engineIo("{\"perMessageDeflate\":true}");
        RawWebSocket ws =
            RawWebSocket.connect(
                URI.create(
                    "ws://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=websocket"),
                RawWebSocket.Options.defaults().withPerMessageDeflate())) {
      assertTrue(
          ws.responseHeader("Sec-WebSocket-Extensions").orElse("").contains("permessage-deflate"));
      assertTrue(ws.nextText().startsWith("0{\"sid\":"));
      String big = "4" + "x".repeat(2000);
      ws.send(big);
      RawWebSocket.Message echoed = ws.nextMessage();
      assertEquals(big, echoed.data());
      assertTrue(echoed.compressed());
      // engine.io 6.6 hands ws no per-message options, and ws applies its threshold only without
      // context takeover: with it (the default offer), small messages are compressed too
      ws.send("4small");
      RawWebSocket.Message small = ws.nextMessage();
      assertEquals("4small", small.data());
      assertTrue(small.compressed());
      ws.sendFragmented("4" + "a".repeat(600), "b".repeat(600));
      assertEquals("4" + "a".repeat(600) + "b".repeat(600), ws.nextText());
      ws.sendFragmented(new byte[] {1, 2}, new byte[] {3});
      assertArrayEquals(new byte[] {1, 2, 3}, ws.nextBinary());
    }
  }

  @Test
  void withoutTheExtensionNothingIsCompressed() {
    try (NodeServer server = NodeServer.engineIo();
        RawWebSocket ws =
            RawWebSocket.connect(
                URI.create(
                    "ws://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=websocket"),
                RawWebSocket.Options.defaults().withPerMessageDeflate())) {
      assertEquals(Optional.empty(), ws.responseHeader("Sec-WebSocket-Extensions"));
      ws.nextText();
      String big = "4" + "x".repeat(2000);
      ws.send(big);
      RawWebSocket.Message echoed = ws.nextMessage();
      assertEquals(big, echoed.data());
      assertFalse(echoed.compressed());
    }
  }

  @Test
  void theWebSocketClientReportsTheReferencesCloseCodeForAnOversizedMessage() {
    try (NodeServer server = NodeServer.engineIo("{\"maxHttpBufferSize\":100}");
        RawWebSocket ws =
            RawWebSocket.connect(
                URI.create(
                    "ws://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=websocket"))) {
      ws.nextText();
      ws.sendFragmented("4" + "x".repeat(60), "x".repeat(60));
      assertEquals(1009, ws.awaitClose());
      assertThrows(AssertionError.class, ws::next);
    }
  }

  @Test
  void rawHttpShowsTheRefusedUpgradeAndTheClose() {
    try (NodeServer server = NodeServer.engineIo();
        RawHttp raw = new RawHttp(server.port())) {
      RawHttp.Response res =
          raw.exchange(RawHttp.upgradeRequest("/engine.io/?EIO=4&transport=websocket&sid=nope"));
      assertEquals(400, res.status());
      assertEquals("Session ID unknown", res.bodyText());
      assertTrue(raw.closedByServer());
    }
  }
}
