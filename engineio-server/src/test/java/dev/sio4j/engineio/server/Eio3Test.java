package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.header;
import static dev.sio4j.engineio.testing.Await.join;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.getAsync;
import static dev.sio4j.engineio.testing.Http.post;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Engine.IO v3 clients, accepted with {@code allowEIO3}. */
class Eio3Test {
  private static EngineIoOptions.Builder eio3() {
    return EngineIoOptions.builder().allowEIO3(true);
  }

  private static String url(TestServer server, String sid) {
    return server.url("EIO=3&transport=polling&sid=" + sid);
  }

  private static String handshake(TestServer server, String extraQuery) {
    HttpResponse<byte[]> res = get(server.url("EIO=3&transport=polling" + extraQuery));
    assertEquals(200, res.statusCode(), text(res));
    return sidOf(text(res));
  }

  private static void push(TestServer server, String sid, String payload) {
    HttpResponse<byte[]> res = post(url(server, sid), payload);
    assertEquals(200, res.statusCode(), text(res));
    assertEquals("ok", text(res));
  }

  @Test
  void eio3IsRefusedByDefault() {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> res = get(server.url("EIO=3&transport=polling"));
      assertEquals(400, res.statusCode());
      assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", text(res));
    }
  }

  @Test
  void handshakeIsALengthPrefixedPayload() {
    try (TestServer server = TestServer.start(eio3())) {
      HttpResponse<byte[]> res = get(server.url("EIO=3&transport=polling"));
      assertEquals(200, res.statusCode());
      assertEquals("text/plain; charset=UTF-8", header(res, "Content-Type"));
      String body = text(res);
      String open =
          "0{\"sid\":\""
              + sidOf(body)
              + "\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,"
              + "\"maxPayload\":1000000}";
      assertEquals(open.length() + ":" + open, body);
      EngineIoSocket socket = server.recorder.awaitOpen();
      assertEquals(3, socket.protocol());
    }
  }

  @Test
  void clientPingIsAnsweredWithPong() {
    try (TestServer server = TestServer.start(eio3())) {
      String sid = handshake(server, "");
      push(server, sid, "1:2");
      assertEquals("1:3", text(get(url(server, sid))));
    }
  }

  @Test
  void clientTextPayloadWithLengthsAndBase64Binary() {
    try (TestServer server = TestServer.start(eio3())) {
      String sid = handshake(server, "");
      push(server, sid, "6:4hello10:b4AQIDBA==3:4😀2:4€");
      assertEquals("hello", server.recorder.nextText(sid));
      assertArrayEquals(new byte[] {1, 2, 3, 4}, server.recorder.nextBinary(sid));
      assertEquals("😀", server.recorder.nextText(sid));
      assertEquals("€", server.recorder.nextText(sid));
    }
  }

  @Test
  void serverTextPayloadCountsUtf16Units() {
    try (TestServer server = TestServer.start(eio3())) {
      String sid = handshake(server, "");
      server.recorder.socket(sid).send("€");
      server.recorder.socket(sid).send("😀");
      assertEquals("2:4€3:4😀", text(get(url(server, sid))));
    }
  }

  @Test
  void binaryGoesOutAsABinaryPayloadToAClientSupportingBinary() {
    try (TestServer server = TestServer.start(eio3())) {
      String sid = handshake(server, "");
      server.recorder.socket(sid).send(new byte[] {1, 2, 3});
      server.recorder.socket(sid).send("é");
      HttpResponse<byte[]> res = get(url(server, sid));
      assertEquals("application/octet-stream", header(res, "Content-Type"));
      assertArrayEquals(
          new byte[] {
            1, 4, (byte) 0xff, 4, 1, 2, 3, 0, 3, (byte) 0xff, '4', (byte) 0xc3, (byte) 0xa9
          },
          res.body());
    }
  }

  @Test
  void binaryGoesOutAsB4Base64WhenTheClientAskedForBase64() {
    try (TestServer server = TestServer.start(eio3())) {
      String sid = handshake(server, "&b64=1");
      server.recorder.socket(sid).send(new byte[] {1, 2, 3, 4});
      HttpResponse<byte[]> res = get(server.url("EIO=3&transport=polling&b64=1&sid=" + sid));
      assertEquals("text/plain; charset=UTF-8", header(res, "Content-Type"));
      assertEquals("10:b4AQIDBA==", text(res));
    }
  }

  @Test
  void clientBinaryPayloadIsAccepted() {
    try (TestServer server = TestServer.start(eio3())) {
      String sid = handshake(server, "");
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(new byte[] {0, 6, (byte) 0xff});
      body.writeBytes("4hello".getBytes(StandardCharsets.UTF_8));
      body.writeBytes(new byte[] {1, 4, (byte) 0xff, 4, 7, 8, 9});
      HttpResponse<byte[]> res =
          post(url(server, sid), body.toByteArray(), "Content-Type", "application/octet-stream");
      assertEquals(200, res.statusCode());
      assertEquals("hello", server.recorder.nextText(sid));
      assertArrayEquals(new byte[] {7, 8, 9}, server.recorder.nextBinary(sid));
    }
  }

  @Test
  void malformedLengthClosesWithParseError() {
    try (TestServer server = TestServer.start(eio3())) {
      String sid = handshake(server, "");
      assertEquals(400, post(url(server, sid), "9:4hi").statusCode());
      assertEquals(CloseReason.PARSE_ERROR, server.recorder.awaitClose(sid).reason());
    }
  }

  @Test
  void webSocketBinaryFramesCarryTheTypeByte() {
    try (TestServer server = TestServer.start(eio3());
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=3&transport=websocket"))) {
      String open = ws.nextText();
      assertTrue(open.startsWith("0{\"sid\":\""), open);
      String sid = sidOf(open);
      ws.send(new byte[] {4, 9, 8});
      assertArrayEquals(new byte[] {9, 8}, server.recorder.nextBinary(sid));
      server.recorder.socket(sid).send(new byte[] {5, 6});
      assertArrayEquals(new byte[] {4, 5, 6}, ws.nextBinary());
      ws.send("2");
      assertEquals("3", ws.nextText());
      ws.send("4text");
      assertEquals("text", server.recorder.nextText(sid));
    }
  }

  @Test
  void serverNeverPingsAndClosesWithoutAClientPing() {
    try (TestServer server =
        TestServer.start(
            eio3().pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(300)))) {
      long start = System.nanoTime();
      String sid = handshake(server, "");
      CompletableFuture<HttpResponse<byte[]>> pending = getAsync(url(server, sid));
      // the held GET gets nothing but the close: the server sends no ping in v3
      assertEquals("1:1", text(join(pending)));
      assertEquals(CloseReason.PING_TIMEOUT, server.recorder.awaitClose(sid).reason());
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsed >= 590, "closed after " + elapsed + " ms");
    }
  }

  @Test
  void clientPingsKeepTheSessionAlive() throws Exception {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .allowEIO3(true)
                .pingInterval(Duration.ofMillis(300))
                .pingTimeout(Duration.ofMillis(300)))) {
      String sid = handshake(server, "");
      // Five rounds spanning more than interval + timeout (600 ms): only the pings keep it open.
      for (int i = 0; i < 5; i++) {
        push(server, sid, "1:2");
        assertEquals("1:3", text(get(url(server, sid))));
        Thread.sleep(200); // a client pinging well within interval + timeout
      }
      assertTrue(server.recorder.socket(sid).isOpen());
    }
  }

  @Test
  void clientPongIsAnInvalidHeartbeatDirection() {
    try (TestServer server = TestServer.start(eio3())) {
      String sid = handshake(server, "");
      push(server, sid, "1:3");
      server.recorder.assertClose(sid, CloseReason.TRANSPORT_ERROR, "invalid heartbeat direction");
    }
  }
}
