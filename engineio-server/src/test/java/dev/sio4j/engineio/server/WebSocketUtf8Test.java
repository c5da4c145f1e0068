package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.engineio.testing.RawWebSocket;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A text message that is not UTF-8 closes the WebSocket with 1007 (invalid frame payload data) and
 * the session with {@code transport error}, as the reference's ws server does, and never reaches
 * the handler as text with U+FFFD in it. The check follows the message across its frames: a
 * sequence split between two frames is valid, an invalid byte in a continuation frame or a sequence
 * cut off at the end of the message is not. Binary messages are not checked.
 */
class WebSocketUtf8Test {
  private static final int INVALID_PAYLOAD_DATA = 1007;

  /** Text messages that are not UTF-8, each sent after the {@code 4} of a message packet. */
  enum Invalid {
    /** A lead byte followed by a byte that cannot continue it. */
    BAD_CONTINUATION(ws -> ws.sendText(bytes('4', 'a', 0xC3, 0x28))),
    /** A byte that never occurs in UTF-8. */
    NEVER_VALID(ws -> ws.sendText(bytes('4', 0xFF))),
    /** A surrogate (U+D800) encoded on its own, which UTF-8 forbids. */
    ENCODED_SURROGATE(ws -> ws.sendText(bytes('4', 0xED, 0xA0, 0x80))),
    /** An overlong encoding of '/'. */
    OVERLONG(ws -> ws.sendText(bytes('4', 0xC0, 0xAF))),
    /** A sequence cut off at the end of a single-frame message. */
    TRUNCATED(ws -> ws.sendText(bytes('4', 'x', 0xE2, 0x82))),
    /** Valid first frame, the invalid byte in a continuation frame. */
    IN_A_CONTINUATION(ws -> ws.sendFragmentedText(bytes('4', 'a', 'b'), bytes('c', 0xFF, 'd'))),
    /** A sequence started in one frame and broken in the next. */
    BROKEN_ACROSS_FRAMES(ws -> ws.sendFragmentedText(bytes('4', 0xE2, 0x82), bytes(0x28, 'x'))),
    /** A sequence started in the last frame and never finished. */
    TRUNCATED_IN_LAST_FRAME(ws -> ws.sendFragmentedText(bytes('4', 'a'), bytes('b', 0xF0, 0x9F)));

    final Consumer<RawWebSocket> send;

    Invalid(Consumer<RawWebSocket> send) {
      this.send = send;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static void closesWith1007(TestServer server, String sid, RawWebSocket ws, Invalid m) {
    // A valid message first: the check lets UTF-8 through, a sequence split between frames too.
    ws.sendFragmentedText(bytes('4', 'a', 0xE2, 0x82), bytes(0xAC, 0xC3), bytes(0xA9));
    assertEquals("a€é", server.recorder.nextText(sid));
    // Binary messages are not text: their bytes pass unchecked.
    ws.send(bytes(0xFF, 0xC0, 0xED, 0xA0, 0x80));
    assertEquals(5, server.recorder.nextBinary(sid).length);
    m.send.accept(ws);
    assertEquals(INVALID_PAYLOAD_DATA, ws.awaitClose());
    assertEquals(CloseReason.TRANSPORT_ERROR, server.recorder.awaitClose(sid).reason());
    // Messages and the close reach the handler in order on the session's loop: a message decoded
    // with U+FFFD would be waiting by now.
    server.recorder.assertNoMessage(sid);
  }

  @ParameterizedTest
  @EnumSource(Invalid.class)
  void onASessionOpenedOverWebSocket(Invalid message) {
    try (TestServer server = TestServer.start();
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = sidOf(ws.nextText());
      closesWith1007(server, sid, ws, message);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Invalid.class,
      names = {"BAD_CONTINUATION", "BROKEN_ACROSS_FRAMES"})
  void afterAnUpgradeFromPolling(Invalid message) {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        UpgradeTest.upgrade(server, sid, ws);
        closesWith1007(server, sid, ws, message);
      }
    }
  }

  @Test
  void checkedAfterDecompressionWithPerMessageDeflate() {
    try (TestServer server = TestServer.start(EngineIoOptions.builder().perMessageDeflate(true));
        RawWebSocket ws =
            RawWebSocket.connect(
                server.ws("EIO=4&transport=websocket"),
                RawWebSocket.Options.defaults().withPerMessageDeflate())) {
      String sid = sidOf(ws.nextText());
      closesWith1007(server, sid, ws, Invalid.IN_A_CONTINUATION);
    }
  }
}
