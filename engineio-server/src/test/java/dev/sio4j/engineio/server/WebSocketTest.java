package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sio4j.engineio.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

/** Sessions that start on WebSocket: frames both ways, limits and closes. */
class WebSocketTest {

  @Test
  void textFramesAndRawBinaryFramesBothWays() {
    try (TestServer server = TestServer.start();
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = sidOf(ws.nextText());
      ws.send("4héllo 😀");
      ws.send(new byte[] {1, 2, 3});
      ws.send("bBAU=");
      assertEquals("héllo 😀", server.recorder.nextText(sid));
      assertArrayEquals(new byte[] {1, 2, 3}, server.recorder.nextBinary(sid));
      assertArrayEquals(new byte[] {4, 5}, server.recorder.nextBinary(sid));
      EngineIoSocket socket = server.recorder.socket(sid);
      socket.send("€");
      socket.send(new byte[] {(byte) 0xff, 0});
      assertEquals("4€", ws.nextText());
      assertArrayEquals(new byte[] {(byte) 0xff, 0}, ws.nextBinary());
    }
  }

  @Test
  void binaryIsBase64TextWhenTheClientAskedForB64() {
    try (TestServer server = TestServer.start();
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket&b64=1"))) {
      String sid = sidOf(ws.nextText());
      server.recorder.socket(sid).send(new byte[] {1, 2, 3, 4});
      assertEquals("bAQIDBA==", ws.nextText());
    }
  }

  @Test
  void clientCloseIsTransportClose() {
    try (TestServer server = TestServer.start()) {
      String sid;
      try (RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
        sid = sidOf(ws.nextText());
      }
      server.recorder.assertClose(sid, CloseReason.TRANSPORT_CLOSE, "");
      assertEquals(0, server.server.clientsCount());
    }
  }

  @Test
  void undecodableFrameClosesWithParseError() {
    try (TestServer server = TestServer.start();
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = sidOf(ws.nextText());
      ws.send("9what");
      assertEquals(CloseReason.PARSE_ERROR, server.recorder.awaitClose(sid).reason());
      ws.awaitClose();
    }
  }

  @Test
  void messageOverMaxHttpBufferSizeIsATransportError() {
    try (TestServer server = TestServer.start(EngineIoOptions.builder().maxHttpBufferSize(100));
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = sidOf(ws.nextText());
      ws.send("4" + "x".repeat(99));
      assertEquals("x".repeat(99), server.recorder.nextText(sid));
      ws.send("4" + "x".repeat(100));
      assertEquals(CloseReason.TRANSPORT_ERROR, server.recorder.awaitClose(sid).reason());
      assertEquals(1009, ws.awaitClose());
      server.recorder.assertNoMessage(sid);
    }
  }

  @Test
  void closeFramePacketFromClientIsIgnoredLikeTheReference() {
    // over WebSocket the close packet "1" carries no meaning; the session ends with the socket
    try (TestServer server = TestServer.start();
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = sidOf(ws.nextText());
      ws.send("1");
      ws.send("4after");
      assertEquals("after", server.recorder.nextText(sid));
      assertFalse(server.recorder.isClosed(sid));
    }
  }
}
