package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.server.Polling.header;
import static dev.sio4j.engineio.server.Polling.poll;
import static dev.sio4j.engineio.server.Polling.push;
import static dev.sio4j.engineio.testing.Await.join;
import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.getAsync;
import static dev.sio4j.engineio.testing.Http.post;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.RawHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** HTTP long-polling: payloads both ways, the held GET, overlaps, limits and closes. */
class PollingTest {
  private static final String SESSION_UNKNOWN = "{\"code\":1,\"message\":\"Session ID unknown\"}";

  private static void assertSessionGone(TestServer server, String sid) {
    HttpResponse<byte[]> res = get(server.polling(sid));
    assertEquals(400, res.statusCode());
    assertEquals(SESSION_UNKNOWN, text(res));
  }

  @Test
  void serverMessagesWaitingForAPollGoOutAsOnePayload() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      socket.send("a");
      socket.send(new byte[] {1, 2, 3});
      socket.send("€😀");
      HttpResponse<byte[]> res = get(server.polling(sid));
      assertEquals(200, res.statusCode());
      assertEquals("text/plain; charset=UTF-8", header(res, "Content-Type"));
      assertEquals("4a\u001ebAQID\u001e4€😀", text(res));
    }
  }

  @Test
  void clientPayloadPacketsAreDeliveredInOrderAndThePostGetsOk() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      HttpResponse<byte[]> res = post(server.polling(sid), "4x\u001ebAQID\u001e4é😀\u001e4");
      assertEquals(200, res.statusCode());
      assertEquals("text/html", header(res, "Content-Type"));
      assertEquals("2", header(res, "Content-Length"));
      assertEquals("ok", text(res));
      assertEquals("x", server.recorder.nextText(sid));
      assertArrayEquals(new byte[] {1, 2, 3}, server.recorder.nextBinary(sid));
      assertEquals("é😀", server.recorder.nextText(sid));
      assertEquals("", server.recorder.nextText(sid));
    }
  }

  @Test
  void heldGetIsReleasedWhenTheServerSendsAMessage() throws Exception {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(sid));
      Polling.awaitPendingGet(socket);
      Thread.sleep(100); // proves the GET is held, not answered empty
      assertFalse(pending.isDone());
      socket.send("hi");
      assertEquals("4hi", text(join(pending)));
      assertFalse(socket.isWritable());
    }
  }

  @Test
  void sendsFromAnotherThreadKeepTheirOrder() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      for (int i = 0; i < 200; i++) {
        socket.send("m" + i);
      }
      List<String> received = new ArrayList<>();
      while (received.size() < 200) {
        for (String packet : poll(server, sid).split("\u001e")) {
          received.add(packet);
        }
      }
      for (int i = 0; i < 200; i++) {
        assertEquals("4m" + i, received.get(i));
      }
    }
  }

  @Test
  void secondConcurrentGetIs400AndClosesTheSessionReleasingTheFirstWithClose() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      CompletableFuture<HttpResponse<byte[]>> first = getAsync(server.polling(sid));
      Polling.awaitPendingGet(socket);
      HttpResponse<byte[]> second = get(server.polling(sid));
      assertEquals(400, second.statusCode());
      HttpResponse<byte[]> released = join(first);
      assertEquals(200, released.statusCode());
      assertEquals("1", text(released));
      server.recorder.assertClose(sid, CloseReason.TRANSPORT_ERROR, "overlap from client");
      assertSessionGone(server, sid);
    }
  }

  @Test
  void postBodyOverMaxHttpBufferSizeIs413AndClosesTheConnectionAndTheSession() {
    try (TestServer server = TestServer.start(EngineIoOptions.builder().maxHttpBufferSize(100))) {
      String sid = handshake(server);
      String target = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
      try (RawHttp connection = new RawHttp(server.port())) {
        // A body announced far larger than what is sent: a server that went on reading it would
        // keep the connection open, waiting for the rest.
        connection.send(
            "POST "
                + target
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + Http.TEXT
                + "\r\nContent-Length: 100000000\r\n\r\n4"
                + "x".repeat(200));
        RawHttp.Response tooLarge = connection.read();
        assertEquals(413, tooLarge.status());
        assertEquals(0, tooLarge.body().length);
        assertEquals("close", tooLarge.header("connection").orElse(""));
        assertTrue(connection.closedByServer());
      }
      server.recorder.assertClose(sid, CloseReason.TRANSPORT_ERROR, "data request too large");
      server.recorder.assertNoMessage(sid);
      assertSessionGone(server, sid);

      // exactly the limit is accepted
      String other = handshake(server);
      push(server, other, "4" + "y".repeat(99));
      assertEquals("y".repeat(99), server.recorder.nextText(other));
      server.recorder.socket(other).send("still here");
      assertEquals("4still here", poll(server, other));
    }
  }

  @Test
  void secondConcurrentPostIs400AndClosesTheSessionAbortingTheFirst() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      String head =
          "POST /engine.io/?EIO=4&transport=polling&sid="
              + sid
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
              + Http.TEXT
              + "\r\nContent-Length: 10\r\n\r\n4ab";
      List<String> outcomes = new ArrayList<>();
      try (RawHttp a = new RawHttp(server.port());
          RawHttp b = new RawHttp(server.port())) {
        // Both bodies stay incomplete, so both POSTs are in flight at once whichever the session
        // hears of first: that one is aborted (no answer), the other one gets the 400.
        a.send(head);
        b.send(head);
        server.recorder.assertClose(
            sid, CloseReason.TRANSPORT_ERROR, "data request overlap from client");
        for (RawHttp c : List.of(a, b)) {
          outcomes.add(responseOrEnd(c));
          assertTrue(c.closedByServer());
        }
      }
      outcomes.sort(null);
      assertEquals(List.of("400", "end"), outcomes);
      server.recorder.assertNoMessage(sid);
      assertSessionGone(server, sid);
    }
  }

  /** The status of the next response, or "end" when the server closes first. */
  private static String responseOrEnd(RawHttp connection) {
    try {
      return Integer.toString(connection.read().status());
    } catch (java.io.UncheckedIOException e) {
      if (e.getCause() instanceof java.net.SocketTimeoutException) {
        throw e;
      }
      return "end";
    }
  }

  @Test
  void octetStreamPostOnEio4Is400AndClosesTheSession() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      HttpResponse<byte[]> res =
          post(
              server.polling(sid),
              "4hello".getBytes(StandardCharsets.UTF_8),
              "Content-Type",
              "application/octet-stream");
      assertEquals(400, res.statusCode());
      server.recorder.assertClose(sid, CloseReason.TRANSPORT_ERROR, "invalid content");
      server.recorder.assertNoMessage(sid);
      assertSessionGone(server, sid);
    }
  }

  @Test
  void invalidPayloadClosesTheSessionWithParseError() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      HttpResponse<byte[]> res = post(server.polling(sid), "abc");
      assertEquals(400, res.statusCode());
      Recorder.Closed closed = server.recorder.awaitClose(sid);
      assertEquals(CloseReason.PARSE_ERROR, closed.reason());
      assertEquals("parse error", closed.reason().text());
      assertSessionGone(server, sid);
      assertEquals(0, server.server.clientsCount());
    }
  }

  @Test
  void packetsBeforeAnInvalidRecordAreDelivered() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      assertEquals(400, post(server.polling(sid), "4first\u001e9bad").statusCode());
      assertEquals("first", server.recorder.nextText(sid));
      assertEquals(CloseReason.PARSE_ERROR, server.recorder.awaitClose(sid).reason());
    }
  }

  @Test
  void closePacketFromClientClosesWithTransportClose() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      push(server, sid, "1");
      server.recorder.assertClose(sid, CloseReason.TRANSPORT_CLOSE, "");
      assertSessionGone(server, sid);
    }
  }

  @Test
  void closePacketFromClientReleasesThePendingGetWithNoop() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(sid));
      Polling.awaitPendingGet(server.recorder.socket(sid));
      push(server, sid, "1");
      assertEquals("6", text(join(pending)));
      assertEquals(CloseReason.TRANSPORT_CLOSE, server.recorder.awaitClose(sid).reason());
    }
  }

  @Test
  void aGetArrivingJustAfterTheClientsClosePacketIsAnsweredWithNoop() {
    // The close POST and the client's outstanding GET travel on different connections; when the
    // close wins the race, the GET that follows at once still gets its answer.
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      push(server, sid, "1");
      assertEquals("6", text(get(server.polling(sid))));
      assertEquals(CloseReason.TRANSPORT_CLOSE, server.recorder.awaitClose(sid).reason());
      assertSessionGone(server, sid);
    }
  }

  @Test
  void packetsAfterAClosePacketInTheSamePayloadAreIgnored() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      push(server, sid, "4before\u001e1\u001e4after");
      assertEquals("before", server.recorder.nextText(sid));
      assertEquals(CloseReason.TRANSPORT_CLOSE, server.recorder.awaitClose(sid).reason());
      server.recorder.assertNoMessage(sid);
    }
  }

  @Test
  void serverCloseAnswersThePendingGetWithClose() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(sid));
      Polling.awaitPendingGet(socket);
      socket.close();
      assertEquals("1", text(join(pending)));
      server.recorder.assertClose(sid, CloseReason.FORCED_CLOSE, "");
      assertFalse(socket.isOpen());
      assertSessionGone(server, sid);
    }
  }

  @Test
  void serverCloseFlushesBufferedMessagesBeforeTheClosePacket() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      socket.send("bye");
      socket.close();
      assertEquals("4bye", poll(server, sid));
      assertEquals("6\u001e1", poll(server, sid));
      server.recorder.assertClose(sid, CloseReason.FORCED_CLOSE, "");
    }
  }

  @Test
  void sendAfterCloseIsDropped() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(sid));
      Polling.awaitPendingGet(socket);
      socket.close();
      socket.send("too late");
      assertEquals("1", text(join(pending)));
      server.recorder.awaitClose(sid);
      assertEquals(0, server.server.clientsCount());
    }
  }
}
