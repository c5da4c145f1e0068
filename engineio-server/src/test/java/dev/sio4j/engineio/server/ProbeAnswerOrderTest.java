package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.RawHttp;
import dev.sio4j.engineio.testing.RawWebSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The probe of an upgrade is answered as the WebSocket reads it, as the reference answers it
 * (synchronously, in the handler of the {@code 2probe}), not when the session's loop gets to it.
 * The official engine.io-protocol suite relies on it ("ignores HTTP requests with same sid after
 * upgrade"): it sends {@code 2probe} and {@code 5} on the WebSocket, then a poll, and once the poll
 * has its {@code 400} it expects the WebSocket's next message to be its own echo, not a late {@code
 * 3probe}. The {@code 400} depends on the session having read the {@code 5}, so a {@code 3probe}
 * written before the {@code 5} is even handed to the session is ahead of it on the wire.
 *
 * <p>The server has two event loops and each round a fresh server with two connections (the
 * handshake's, then the WebSocket's): Netty deals new connections to the loops in turn, so the
 * WebSocket lives on the other loop than its session, as it does on a server with many sockets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeAnswerOrderTest {

  /**
   * With the session's loop held busy, the {@code 3probe} arrives all the same; once the loop is
   * free the upgrade completes and messages flow over the WebSocket.
   */
  @Test
  void probeIsAnsweredWhileTheSessionsLoopIsBusy() throws InterruptedException {
    for (int round = 1; round <= 3; round++) {
      try (TestServer server =
          TestServer.start(EngineIoServer.builder().ioThreads(2), new Recorder())) {
        String sid = handshake(server);
        EngineIoSocket socket = server.recorder.socket(sid);
        try (RawWebSocket ws =
            RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
          CountDownLatch held = new CountDownLatch(1);
          CountDownLatch release = new CountDownLatch(1);
          socket
              .executor()
              .execute(
                  () -> {
                    held.countDown();
                    try {
                      // longer than the wait for the 3probe below, which fails first
                      release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
          assertTrue(held.await(10, TimeUnit.SECONDS), "the session's loop ran the task");
          try {
            ws.send("2probe");
            ws.send("5");
            assertEquals("3probe", ws.nextText(), "round " + round);
            assertEquals(TransportType.POLLING, socket.transport(), "the loop is still held");
          } finally {
            release.countDown();
          }
          assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sid));
          ws.send("4hello");
          assertEquals("hello", server.recorder.nextText(sid));
          socket.send("back");
          assertEquals("4back", ws.nextText());
        }
        server.recorder.awaitClose(sid);
      }
    }
  }

  /**
   * A poll the client sends after its {@code upgrade} packet finds the session upgraded (a {@code
   * 400}), even when the WebSocket's loop is slower to read than the poll's: the reference reads a
   * session's connections in the order their data arrives. Here the WebSocket's loop is held busy
   * (by a task of another session living on it) while the client sends {@code 2probe}, {@code 5}
   * and the poll, and a request on a third connection, on the session's loop, makes sure that loop
   * has read the poll before the WebSocket's loop is let go. Handled as it was read, the poll would
   * be pending when the upgrade completes and end with a {@code 200}.
   */
  @Test
  void pollSentAfterTheUpgradePacketGetsA400() throws InterruptedException {
    for (int round = 1; round <= 3; round++) {
      try (TestServer server =
              TestServer.start(EngineIoServer.builder().ioThreads(2), new Recorder());
          // connections go to the loops in turn: #0 and #2 to one (A's), #1 and #3 to the other
          RawHttp pollingA = new RawHttp(server.port())) {
        String sidA = sidOf(pollingA.exchange(get("EIO=4&transport=polling")).bodyText());
        try (RawWebSocket ws =
                RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sidA));
            RawHttp spacer = new RawHttp(server.port());
            RawHttp pollingB = new RawHttp(server.port())) {
          CountDownLatch release = holdTheOtherLoop(server, sidA, pollingB);
          RawHttp.Response answer;
          try {
            ws.send("2probe");
            ws.send("5");
            pollingA.send(get("EIO=4&transport=polling&sid=" + sidA));
            // a handshake on the spacer connection (on A's loop), answered after that loop read
            // the poll sent before it
            assertEquals(200, spacer.exchange(get("EIO=4&transport=polling")).status());
          } finally {
            release.countDown();
          }
          answer = pollingA.read();
          assertEquals(400, answer.status(), "round " + round + ": " + answer.bodyText());
          assertEquals("{\"code\":3,\"message\":\"Bad request\"}", answer.bodyText());
          assertEquals("3probe", ws.nextText());
          assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sidA));
        }
        server.recorder.awaitClose(sidA);
      }
    }
  }

  /**
   * A second WebSocket with the session's sid is refused after what the client sent on the first
   * before it: with the first WebSocket's loop held busy, the second is not closed yet once its own
   * loop (the session's) is done with it; let go, the first answers its probe and upgrades, and the
   * second closes.
   */
  @Test
  void secondWebSocketIsRefusedAfterTheFirstOnesProbe() throws Exception {
    try (TestServer server =
            TestServer.start(EngineIoServer.builder().ioThreads(2), new Recorder());
        RawHttp pollingA = new RawHttp(server.port())) {
      String sidA = sidOf(pollingA.exchange(get("EIO=4&transport=polling")).bodyText());
      try (RawWebSocket ws =
              RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sidA));
          RawHttp spacer = new RawHttp(server.port());
          RawHttp pollingB = new RawHttp(server.port())) {
        CountDownLatch release = holdTheOtherLoop(server, sidA, pollingB);
        RawWebSocket second;
        try {
          ws.send("2probe");
          ws.send("5");
          // connection #4: on A's loop, as the spacer
          second = RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sidA));
          assertEquals(200, spacer.exchange(get("EIO=4&transport=polling")).status());
          assertTrue(!second.closed.isDone(), "refused before the first WebSocket was read");
        } finally {
          release.countDown();
        }
        try (RawWebSocket closing = second) {
          closing.closed.get(10, TimeUnit.SECONDS);
        }
        assertEquals("3probe", ws.nextText());
        assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sidA));
        ws.send("4hello");
        assertEquals("hello", server.recorder.nextText(sidA));
      }
      server.recorder.awaitClose(sidA);
    }
  }

  /**
   * Opens session B on {@code pollingB} (connection #3: the loop that is not A's, where A's
   * WebSocket, connection #1, lives) and holds that loop busy until the returned latch is counted
   * down.
   */
  private static CountDownLatch holdTheOtherLoop(TestServer server, String sidA, RawHttp pollingB)
      throws InterruptedException {
    String sidB = sidOf(pollingB.exchange(get("EIO=4&transport=polling")).bodyText());
    EngineIoSocket b = server.recorder.socket(sidB);
    assertTrue(
        !loopThread(server.recorder.socket(sidA)).equals(loopThread(b)),
        "sessions A and B live on different loops");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    b.executor().execute(() -> hold(held, release));
    assertTrue(held.await(10, TimeUnit.SECONDS), "B's loop ran the task");
    return release;
  }

  private static String get(String query) {
    return "GET /engine.io/?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  private static String loopThread(EngineIoSocket socket) throws InterruptedException {
    String[] name = new String[1];
    CountDownLatch done = new CountDownLatch(1);
    socket
        .executor()
        .execute(
            () -> {
              name[0] = Thread.currentThread().getName();
              done.countDown();
            });
    assertTrue(done.await(10, TimeUnit.SECONDS));
    return name[0];
  }

  private static void hold(CountDownLatch held, CountDownLatch release) {
    held.countDown();
    try {
      // longer than any wait of the test, which fails first
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Once upgraded, a {@code 2probe} is no longer a probe: it is not answered (in protocol 4 the
   * client does not ping, and the reference closes the session on it).
   */
  @Test
  void probeAfterTheUpgradeIsNotAnswered() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      try (RawWebSocket ws =
          RawWebSocket.connect(server.ws("EIO=4&transport=websocket&sid=" + sid))) {
        ws.send("2probe");
        assertEquals("3probe", ws.nextText());
        ws.send("5");
        assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sid));
        ws.send("2probe");
        server.recorder.awaitClose(sid);
      }
    }
  }
}
