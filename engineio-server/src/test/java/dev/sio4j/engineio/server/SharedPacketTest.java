package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.Await.join;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static dev.sio4j.engineio.testing.Http.getAsync;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.internal.RawTextFramesTest;
import dev.sio4j.engineio.testing.Concurrently;
import dev.sio4j.engineio.testing.RawWebSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Messages shared by several sessions ({@link EngineIoSocket#send(Packet, boolean)}), and the
 * WebSocket flush done once per event-loop turn: whatever path a packet takes, it must reach the
 * client promptly (a lost flush would hold it until the next heartbeat, 25 s away).
 */
class SharedPacketTest {
  /** How long the packets of one step may take to arrive: well under the heartbeat interval. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  /** A WebSocket session: the client and the server's socket. */
  private record Client(RawWebSocket ws, EngineIoSocket socket) implements AutoCloseable {
    @Override
    public void close() {
      ws.close();
    }
  }

  private static Client open(TestServer server) {
    RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"));
    String sid = sidOf(ws.nextText());
    return new Client(ws, server.recorder.socket(sid));
  }

  /**
   * The next {@code count} messages of {@code ws}, all of which must arrive within {@link #BOUND}.
   */
  private static List<Object> receive(RawWebSocket ws, int count) {
    return assertTimeoutPreemptively(
        BOUND,
        () -> {
          List<Object> messages = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            messages.add(ws.next());
          }
          return messages;
        },
        () -> count + " messages did not arrive within " + BOUND + " (flush lost?)");
  }

  private static List<Object> texts(String... texts) {
    return List.of((Object[]) texts);
  }

  @Test
  void oneSharedMessageArrivesOnTwoSessions() {
    try (TestServer server = TestServer.start();
        Client a = open(server);
        Client b = open(server)) {
      Packet message = Packet.message("héllo");
      a.socket.send(message, true);
      b.socket.send(message, true);
      assertEquals(texts("4héllo"), receive(a.ws, 1));
      assertEquals(texts("4héllo"), receive(b.ws, 1));

      // the same instance again, without compression, and the packet is unchanged
      b.socket.send(message, false);
      a.socket.send(message, false);
      assertEquals(texts("4héllo"), receive(a.ws, 1));
      assertEquals(texts("4héllo"), receive(b.ws, 1));
      assertSame(PacketType.MESSAGE, message.type());
      assertEquals("héllo", message.textData());
    }
  }

  @Test
  void sharedMessageSentFromOneLoopToBothSessions() {
    try (TestServer server = TestServer.start();
        Client a = open(server);
        Client b = open(server)) {
      Packet message = Packet.message("€ 😀");
      a.socket
          .executor()
          .execute(
              () -> {
                a.socket.send(message, true);
                b.socket.send(message, true);
                a.socket.send(message, true);
              });
      assertEquals(texts("4€ 😀", "4€ 😀"), receive(a.ws, 2));
      assertEquals(texts("4€ 😀"), receive(b.ws, 1));
    }
  }

  @Test
  void sharedMessageKeepsItsPlaceAmongOtherSends() {
    try (TestServer server = TestServer.start();
        Client s = open(server)) {
      Packet shared = Packet.message("shared");
      s.socket.send("a");
      s.socket.send(shared, true);
      s.socket.send(new byte[] {1, 2});
      s.socket.send(shared, false);
      s.socket.send("b");
      List<Object> got = receive(s.ws, 5);
      assertEquals("4a", got.get(0));
      assertEquals("4shared", got.get(1));
      assertArrayEquals(new byte[] {1, 2}, assertInstanceOf(byte[].class, got.get(2)));
      assertEquals("4shared", got.get(3));
      assertEquals("4b", got.get(4));
    }
  }

  @Test
  void largeSharedMessagesArriveIntactAtEveryFrameLengthForm() {
    try (TestServer server = TestServer.start();
        Client a = open(server);
        Client b = open(server)) {
      // payload lengths (type included) 125, 126, 65535, 65536 and 70000 bytes, multi-byte data
      List<String> data =
          List.of(
              RawTextFramesTest.fill("é", 124),
              RawTextFramesTest.fill("€", 125),
              RawTextFramesTest.fill("😀", 65534),
              RawTextFramesTest.fill("é", 65535),
              RawTextFramesTest.fill("€", 69999));
      List<Object> expected = new ArrayList<>();
      for (String d : data) {
        Packet message = Packet.message(d);
        a.socket.send(message, true);
        b.socket.send(message, true);
        expected.add("4" + d);
      }
      assertEquals(expected, receive(a.ws, data.size()));
      assertEquals(expected, receive(b.ws, data.size()));
    }
  }

  @Test
  void sharedMessageOverPolling() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      socket.send(Packet.message("héllo"), true);
      assertEquals("4héllo", Polling.poll(server, sid));
    }
  }

  @Test
  void nonMessagePacketsAreRejected() throws Exception {
    try (TestServer server = TestServer.start();
        Client s = open(server)) {
      List<Packet> rejected =
          List.of(
              Packet.PING,
              Packet.PONG,
              Packet.CLOSE,
              Packet.NOOP,
              Packet.UPGRADE,
              Packet.PING_PROBE,
              Packet.text(PacketType.OPEN, "{}"));
      for (Packet p : rejected) {
        assertThrows(IllegalArgumentException.class, () -> s.socket.send(p, true), p.toString());
        assertThrows(IllegalArgumentException.class, () -> s.socket.send(p, false), p.toString());
      }

      // also on the session's own loop, where the packet would be written at once
      CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
      s.socket
          .executor()
          .execute(
              () -> {
                try {
                  s.socket.send(Packet.PING, true);
                  onLoop.complete(null);
                } catch (Throwable t) {
                  onLoop.complete(t);
                }
              });
      assertInstanceOf(
          IllegalArgumentException.class, onLoop.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));

      // nothing of them was sent, and the session still works
      s.socket.send("after");
      assertEquals(texts("4after"), receive(s.ws, 1));
      s.ws.assertSilentFor(Duration.ofMillis(100));
    }
  }

  @Test
  void burstFromOneLoopTaskArrivesInOrder() {
    try (TestServer server = TestServer.start();
        Client s = open(server)) {
      // several rounds: a flush that is scheduled once and never again would lose the later ones
      for (int round = 0; round < 5; round++) {
        String r = Integer.toString(round);
        s.socket
            .executor()
            .execute(
                () -> {
                  s.socket.send("a" + r);
                  s.socket.send("b" + r);
                  s.socket.send("c" + r);
                });
        assertEquals(texts("4a" + r, "4b" + r, "4c" + r), receive(s.ws, 3), "round " + r);
      }
      // the same with shared packets
      Packet x = Packet.message("x");
      s.socket
          .executor()
          .execute(
              () -> {
                s.socket.send(x, true);
                s.socket.send("y");
                s.socket.send(x, true);
              });
      assertEquals(texts("4x", "4y", "4x"), receive(s.ws, 3));
    }
  }

  @Test
  void burstFromANonLoopThreadArrivesInOrder() {
    try (TestServer server = TestServer.start();
        Client s = open(server)) {
      for (int round = 0; round < 3; round++) {
        List<Object> expected = new ArrayList<>();
        Packet shared = Packet.message("shared" + round);
        for (int i = 0; i < 100; i++) {
          if (i % 10 == 0) {
            s.socket.send(shared, true);
            expected.add("4shared" + round);
          } else {
            s.socket.send(round + ":" + i);
            expected.add("4" + round + ":" + i);
          }
        }
        assertEquals(expected, receive(s.ws, expected.size()));
      }
    }
  }

  @Test
  void sendsFromSeveralThreadsAllArriveInEachThreadsOrder() throws Exception {
    try (TestServer server = TestServer.start();
        Client s = open(server)) {
      int threads = 4;
      int perThread = 50;
      Concurrently.run(
          threads,
          BOUND,
          t -> {
            for (int i = 0; i < perThread; i++) {
              s.socket.send(t + ":" + i);
            }
          });
      List<Object> got = receive(s.ws, threads * perThread);
      int[] next = new int[threads];
      for (Object m : got) {
        String[] parts = ((String) m).substring(1).split(":");
        int t = Integer.parseInt(parts[0]);
        assertEquals(next[t]++, Integer.parseInt(parts[1]), "order of thread " + t + ": " + got);
      }
      for (int t = 0; t < threads; t++) {
        assertEquals(perThread, next[t]);
      }
    }
  }

  @Test
  void repliesToClientMessagesAreFlushed() {
    Recorder recorder = new Recorder();
    recorder.messageAction = (socket, m) -> socket.send("re:" + m);
    try (TestServer server =
            TestServer.start(
                EngineIoServer.builder().options(EngineIoOptions.builder().build()), recorder);
        Client s = open(server)) {
      s.ws.send("4x");
      s.ws.send("4y");
      s.ws.send("4z");
      assertEquals(texts("4re:x", "4re:y", "4re:z"), receive(s.ws, 3));
    }
  }

  @Test
  void flushNowFromANonLoopThread() {
    try (TestServer server = TestServer.start();
        Client s = open(server)) {
      // nothing to flush yet
      assertDoesNotThrow(s.socket::flushNow);
      s.socket.send("x");
      assertDoesNotThrow(s.socket::flushNow);
      assertEquals(texts("4x"), receive(s.ws, 1));

      Packet shared = Packet.message("s");
      s.socket.send("y");
      s.socket.send(shared, true);
      assertDoesNotThrow(s.socket::flushNow);
      assertDoesNotThrow(s.socket::flushNow);
      s.socket.send("z");
      assertEquals(texts("4y", "4s", "4z"), receive(s.ws, 3));

      // and on the loop, in the middle of a burst
      s.socket
          .executor()
          .execute(
              () -> {
                s.socket.send("1");
                s.socket.flushNow();
                s.socket.send("2");
              });
      assertEquals(texts("41", "42"), receive(s.ws, 2));
    }
  }

  @Test
  void flushNowOnPollingAndClosedSessions() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      socket.send("p");
      assertDoesNotThrow(socket::flushNow);
      assertEquals("4p", Polling.poll(server, sid));

      String wsSid;
      try (Client s = open(server)) {
        wsSid = s.socket.id();
        s.socket.close();
        server.recorder.awaitClose(wsSid);
        assertDoesNotThrow(s.socket::flushNow);
        assertDoesNotThrow(() -> s.socket.send(Packet.message("late"), true));
      }
      assertEquals(CloseReason.FORCED_CLOSE, server.recorder.awaitClose(wsSid).reason());
    }
  }

  @Test
  void burstsAfterAnUpgradeArrive() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(sid));
        Polling.awaitPendingGet(socket);
        ws.send("2probe");
        assertEquals("3probe", ws.nextText());
        assertEquals("6", text(join(pending)));
        ws.send("5");
        assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sid));

        // the session's loop may not be the WebSocket channel's loop
        Packet shared = Packet.message("shared");
        socket
            .executor()
            .execute(
                () -> {
                  socket.send("a");
                  socket.send(shared, true);
                  socket.send("c");
                });
        assertEquals(texts("4a", "4shared", "4c"), receive(ws, 3));
        socket.send("d");
        socket.send(shared, true);
        assertEquals(texts("4d", "4shared"), receive(ws, 2));
        socket.send("e");
        socket.flushNow();
        assertEquals(texts("4e"), receive(ws, 1));
      }
    }
  }
}
