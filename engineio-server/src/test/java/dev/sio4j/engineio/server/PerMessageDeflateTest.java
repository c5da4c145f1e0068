package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.testing.RawWebSocket;
import dev.sio4j.interop.NodeScript;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * WebSocket permessage-deflate, as the reference's {@code perMessageDeflate} option: off by default
 * (an offer is declined), negotiated when enabled, then messages at or above the threshold (1024
 * bytes by default) are compressed unless sent with {@code compress=false}, smaller ones are not,
 * and compressed client messages are read. Compression is seen on the wire: RSV1 on the first frame
 * of a message.
 */
class PerMessageDeflateTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

  private static RawWebSocket deflateClient(TestServer server, String query) {
    return RawWebSocket.connect(
        server.ws("EIO=4&transport=websocket" + query),
        RawWebSocket.Options.defaults().withPerMessageDeflate());
  }

  private static EngineIoOptions.Builder deflate() {
    return EngineIoOptions.builder().perMessageDeflate(true);
  }

  @Test
  void offByDefaultAnOfferIsDeclinedAndNothingIsCompressed() {
    try (TestServer server = TestServer.start();
        RawWebSocket ws = deflateClient(server, "")) {
      assertEquals(Optional.empty(), ws.responseHeader(EXTENSIONS));
      String sid = sidOf(ws.nextText());
      String big = "x".repeat(5000);
      server.recorder.socket(sid).send(big);
      RawWebSocket.Message m = ws.nextMessage();
      assertEquals("4" + big, m.data());
      assertFalse(m.compressed());
    }
  }

  @Test
  void enabledTheOfferIsAccepted() {
    try (TestServer server = TestServer.start(deflate());
        RawWebSocket ws = deflateClient(server, "")) {
      String accepted = ws.responseHeader(EXTENSIONS).orElse("");
      assertTrue(accepted.startsWith("permessage-deflate"), accepted);
      assertTrue(server.recorder.socket(sidOf(ws.nextText())).isOpen());
    }
  }

  @Test
  void enabledAClientWithoutTheOfferGetsPlainFrames() {
    try (TestServer server = TestServer.start(deflate());
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      assertEquals(Optional.empty(), ws.responseHeader(EXTENSIONS));
      String sid = sidOf(ws.nextText());
      server.recorder.socket(sid).send("y".repeat(5000));
      assertEquals("4" + "y".repeat(5000), ws.nextText());
    }
  }

  @Test
  void messagesAtOrAboveTheThresholdAreCompressedUnlessCompressIsFalse() {
    try (TestServer server = TestServer.start(deflate());
        RawWebSocket ws = deflateClient(server, "")) {
      String sid = sidOf(ws.nextText());
      EngineIoSocket socket = server.recorder.socket(sid);
      // the frame payload counts the type digit: 1023 bytes of data make 1024 on the wire
      String atThreshold = "a".repeat(1023);
      String below = "b".repeat(1022);
      socket.send(atThreshold);
      socket.send(below);
      socket.send(atThreshold, false);
      socket.send(bytes(1024));
      socket.send(bytes(1023));
      socket.send(bytes(4096), false);
      assertMessage(ws.nextMessage(), "4" + atThreshold, true);
      assertMessage(ws.nextMessage(), "4" + below, false);
      assertMessage(ws.nextMessage(), "4" + atThreshold, false);
      assertBinary(ws.nextMessage(), bytes(1024), true);
      assertBinary(ws.nextMessage(), bytes(1023), false);
      assertBinary(ws.nextMessage(), bytes(4096), false);
    }
  }

  @Test
  void aSharedBroadcastPacketIsCompressedToo() {
    try (TestServer server = TestServer.start(deflate());
        RawWebSocket ws = deflateClient(server, "")) {
      String sid = sidOf(ws.nextText());
      String big = "s".repeat(3000);
      server.recorder.socket(sid).send(Packet.message(big), true);
      assertMessage(ws.nextMessage(), "4" + big, true);
    }
  }

  @Test
  void theThresholdIsTheServersOption() {
    try (TestServer server = TestServer.start(deflate().perMessageDeflateThreshold(100));
        RawWebSocket ws = deflateClient(server, "")) {
      String sid = sidOf(ws.nextText());
      EngineIoSocket socket = server.recorder.socket(sid);
      socket.send("c".repeat(99));
      socket.send("d".repeat(98));
      assertMessage(ws.nextMessage(), "4" + "c".repeat(99), true);
      assertMessage(ws.nextMessage(), "4" + "d".repeat(98), false);
    }
  }

  @Test
  void compressedClientMessagesAreReadTextAndBinaryFragmentedOrNot() {
    try (TestServer server = TestServer.start(deflate());
        RawWebSocket ws = deflateClient(server, "")) {
      String sid = sidOf(ws.nextText());
      // the client compresses everything it sends once the extension is agreed
      String text = "héllo 😀 ".repeat(500);
      ws.send("4" + text);
      ws.send(bytes(3000));
      ws.sendFragmented("4" + text, text, "!");
      ws.sendFragmented(bytes(2000), bytes(10));
      assertEquals(text, server.recorder.nextText(sid));
      assertArrayEquals(bytes(3000), server.recorder.nextBinary(sid));
      assertEquals(text + text + "!", server.recorder.nextText(sid));
      byte[] both = new byte[2010];
      System.arraycopy(bytes(2000), 0, both, 0, 2000);
      System.arraycopy(bytes(10), 0, both, 2000, 10);
      assertArrayEquals(both, server.recorder.nextBinary(sid));
    }
  }

  @Test
  void theWebSocketOfAnUpgradeNegotiatesToo() {
    try (TestServer server = TestServer.start(deflate())) {
      String sid = handshake(server);
      try (RawWebSocket ws = deflateClient(server, "&sid=" + sid)) {
        assertTrue(ws.responseHeader(EXTENSIONS).orElse("").startsWith("permessage-deflate"));
        UpgradeTest.upgrade(server, sid, ws);
        server.recorder.socket(sid).send("u".repeat(2000));
        assertMessage(ws.nextMessage(), "4" + "u".repeat(2000), true);
        ws.send("4" + "v".repeat(2000));
        assertEquals("v".repeat(2000), server.recorder.nextText(sid));
      }
    }
  }

  /**
   * The official {@code engine.io-client} (Node, {@code ws}, which offers permessage-deflate with a
   * 1024-byte threshold by default) agrees on the extension and exchanges large messages both ways.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"websocket, false", "'polling,websocket', true"})
  void theOfficialClientNegotiatesAndRoundTrips(String transports, boolean upgrade) {
    try (TestServer server = TestServer.start(deflate());
        NodeScript client =
            NodeScript.start(
                "engineio-client.mjs",
                "http://127.0.0.1:" + server.port(),
                transports,
                Boolean.toString(upgrade),
                "--timeout=30")) {
      String sid = client.await("open", WAIT).path("sid").asText();
      if (upgrade) {
        client.await("upgrade", WAIT);
        server.recorder.awaitUpgrade(sid);
      }
      client.send("{\"cmd\":\"extensions\"}");
      String extensions = client.await("extensions", WAIT).path("value").asText();
      assertTrue(extensions.startsWith("permessage-deflate"), extensions);
      String big = "z€".repeat(3000);
      server.recorder.socket(sid).send(big);
      assertEquals(big, client.await("message", WAIT).path("text").asText());
      client.sendJson(Map.of("cmd", "send", "text", big + "!"));
      assertEquals(big + "!", server.recorder.nextText(sid));
    }
  }

  private static void assertMessage(RawWebSocket.Message m, String text, boolean compressed) {
    assertEquals(text, m.data());
    assertEquals(compressed, m.compressed(), "compressed: " + text.length() + " chars");
  }

  private static void assertBinary(RawWebSocket.Message m, byte[] data, boolean compressed) {
    assertArrayEquals(data, (byte[]) m.data());
    assertEquals(compressed, m.compressed(), "compressed: " + data.length + " bytes");
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 7);
    }
    return b;
  }
}
