package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.engineio.testing.RawWebSocket;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code maxHttpBufferSize} bounds every WebSocket message as the reference's {@code maxPayload}
 * does: a message of exactly the limit passes; one byte more, in one frame or summed over
 * continuation frames, text or binary, on a session opened over WebSocket or upgraded from polling,
 * closes the socket with 1009 and the session with {@code transport error}, and is never delivered.
 * With permessage-deflate the limit applies to the decompressed message, as in the reference.
 */
class WebSocketLimitTest {
  private static final int LIMIT = 100;

  /** How the client sends a message, and what the server must make of one within the limit. */
  enum Send {
    TEXT_FRAME(
        n -> ws -> ws.send("4" + "x".repeat(n - 1)),
        (n, recorder, sid) -> assertEquals("x".repeat(n - 1), recorder.nextText(sid))),
    BINARY_FRAME(
        n -> ws -> ws.send(bytes(n)),
        (n, recorder, sid) -> assertArrayEquals(bytes(n), recorder.nextBinary(sid))),
    FRAGMENTED_TEXT(
        // three frames each well within the limit
        n -> ws -> ws.sendFragmented("4" + "x".repeat(39), "x".repeat(40), "x".repeat(n - 80)),
        (n, recorder, sid) -> assertEquals("x".repeat(n - 1), recorder.nextText(sid))),
    FRAGMENTED_BINARY(
        n ->
            ws -> {
              byte[] all = bytes(n);
              byte[] first = Arrays.copyOfRange(all, 0, 50);
              byte[] rest = Arrays.copyOfRange(all, 50, n);
              ws.sendFragmented(first, rest);
            },
        (n, recorder, sid) -> assertArrayEquals(bytes(n), recorder.nextBinary(sid)));

    final IntFunction<Consumer<RawWebSocket>> message;
    final Delivered delivered;

    Send(IntFunction<Consumer<RawWebSocket>> message, Delivered delivered) {
      this.message = message;
      this.delivered = delivered;
    }
  }

  @FunctionalInterface
  interface Delivered {
    void check(int size, Recorder recorder, String sid);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  private static TestServer server() {
    return TestServer.start(EngineIoOptions.builder().maxHttpBufferSize(LIMIT));
  }

  private static void exactlyTheLimitPassesOneMoreCloses(
      TestServer server, String sid, RawWebSocket ws, Send send) {
    send.message.apply(LIMIT).accept(ws);
    send.delivered.check(LIMIT, server.recorder, sid);
    send.message.apply(LIMIT + 1).accept(ws);
    assertEquals(CloseReason.TRANSPORT_ERROR, server.recorder.awaitClose(sid).reason());
    assertEquals(1009, ws.awaitClose());
    // Messages and the close reach the handler in order on the session's loop: an oversized
    // message that got through would be waiting by now.
    server.recorder.assertNoMessage(sid);
  }

  @ParameterizedTest
  @EnumSource(Send.class)
  void onASessionOpenedOverWebSocket(Send send) {
    try (TestServer server = server();
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = sidOf(ws.nextText());
      exactlyTheLimitPassesOneMoreCloses(server, sid, ws, send);
    }
  }

  @ParameterizedTest
  @EnumSource(Send.class)
  void afterAnUpgradeFromPolling(Send send) {
    try (TestServer server = server()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        UpgradeTest.upgrade(server, sid, ws);
        exactlyTheLimitPassesOneMoreCloses(server, sid, ws, send);
      }
    }
  }

  @Test
  void withPerMessageDeflateTheInflatedSizeOfASingleFrameCounts() {
    // 101 repeated chars compress to a few bytes: the frame decoder's limit on the compressed
    // payload alone would let a message of any size through in one frame (the reference's
    // maxPayload applies to the inflated message; a fragmented one is summed by the aggregator).
    try (TestServer server =
            TestServer.start(
                EngineIoOptions.builder().maxHttpBufferSize(LIMIT).perMessageDeflate(true));
        RawWebSocket ws =
            RawWebSocket.connect(
                server.ws("EIO=4&transport=websocket"),
                RawWebSocket.Options.defaults().withPerMessageDeflate())) {
      String sid = sidOf(ws.nextText());
      exactlyTheLimitPassesOneMoreCloses(server, sid, ws, Send.TEXT_FRAME);
    }
  }
}
