package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.awaitPendingGet;
import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.server.Polling.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.StalledWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounded outbound buffer: a client that stops reading (WebSocket) or stops polling costs the
 * server at most {@code maxBufferedBytes}, then the slow-consumer policy applies.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowConsumerTest {
  private static final long CAP = 65_536;
  private static final String KB = "x".repeat(1000);

  /**
   * Slack over the bound that {@code bufferedBytes()} may show: the channel's high water mark is
   * crossed by at most one packet before the session starts buffering.
   */
  private static final long SLACK = 64 * 1024 + 2 * 1024;

  private static final String WS_PATH = "/engine.io/?EIO=4&transport=websocket";

  private static EngineIoOptions.Builder capped() {
    return EngineIoOptions.builder().maxBufferedBytes(CAP);
  }

  /** Waits until the session's loop ran what was sent to it so far. */
  private static void sync(EngineIoSocket socket) {
    try {
      socket.executor().submit(() -> {}).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the session's loop did not answer", e);
    }
  }

  @Test
  void aPollingSessionThatDoesNotPollIsClosedWhenItsBufferIsFull() {
    try (TestServer server = TestServer.start(capped())) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      long max = 0;
      for (int i = 0; i < 200 && !server.recorder.isClosed(sid); i++) {
        socket.send(KB);
        max = Math.max(max, socket.bufferedBytes());
      }
      server.recorder.assertClose(sid, CloseReason.SLOW_CONSUMER, "outbound buffer full");
      assertTrue(max <= CAP, "buffered " + max + " bytes, over the bound " + CAP);
      assertEquals(0, socket.bufferedBytes());
    }
  }

  @Test
  void dropOldestDropsTheOldestDroppableMessagesAndKeepsTheEssentialOnes() {
    try (TestServer server =
        TestServer.start(capped().slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST))) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      socket.send("first");
      for (int i = 0; i < 200; i++) {
        socket.send(i + ":" + KB, true, Delivery.DROPPABLE);
      }
      socket.send("last");
      sync(socket);
      String payload = poll(server, sid);
      List<String> packets = new ArrayList<>(Arrays.asList(payload.split("\u001e")));
      assertEquals("4first", packets.get(0));
      assertEquals("4last", packets.get(packets.size() - 1));
      List<String> kept = packets.subList(1, packets.size() - 1);
      long dropped = socket.droppedPackets();
      assertTrue(dropped > 100, "dropped " + dropped);
      assertEquals(200, kept.size() + dropped);
      for (int i = 0; i < kept.size(); i++) {
        assertEquals("4" + (dropped + i) + ":" + KB, kept.get(i));
      }
      assertFalse(server.recorder.isClosed(sid));
    }
  }

  @Test
  void aVolatileMessageGoesOnlyWhenAPollIsWaiting() {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      socket.send("lost", true, Delivery.VOLATILE);
      Await.until(() -> socket.droppedPackets() == 1, "the volatile message dropped");
      var pending = Http.getAsync(server.polling(sid));
      awaitPendingGet(socket);
      socket.send("sent", true, Delivery.VOLATILE);
      assertEquals("4sent", Http.text(Await.join(pending)));
      assertEquals(1, socket.droppedPackets());
    }
  }

  @Test
  void aWebSocketClientThatStopsReadingIsClosedAndItsConnectionDropped() {
    try (TestServer server = TestServer.start(capped());
        StalledWebSocket client = StalledWebSocket.connect(server.port(), WS_PATH, 4096)) {
      EngineIoSocket socket = server.recorder.awaitOpen();
      long max = 0;
      int sent = 0;
      while (!server.recorder.isClosed(socket.id()) && sent < 50_000) {
        socket.send(KB);
        sent++;
        if (sent % 100 == 0) {
          sync(socket);
          max = Math.max(max, socket.bufferedBytes());
        }
      }
      server.recorder.assertClose(socket.id(), CloseReason.SLOW_CONSUMER, "outbound buffer full");
      assertTrue(max <= CAP + SLACK, "buffered " + max + " bytes, over " + (CAP + SLACK));
      // The backlog was discarded with the connection: the client reads what the kernel held, then
      // the end of the stream, far less than everything that was sent.
      long read = client.drainToEof(Duration.ofSeconds(10));
      assertTrue(read < sent * 1000L, "read " + read + " of " + sent * 1000L);
    }
  }

  @Test
  void aWebSocketThatFellBehindReportsItIsNotWritableThenDrains() {
    try (TestServer server = TestServer.start();
        StalledWebSocket client = StalledWebSocket.connect(server.port(), WS_PATH, 4096)) {
      EngineIoSocket socket = server.recorder.awaitOpen();
      int sent = 0;
      while (socket.isWritable() && sent < 50_000) {
        socket.send(KB);
        sent++;
        if (sent % 10 == 0) {
          // Paced on the loop, so that it stops soon after the channel filled.
          sync(socket);
        }
      }
      assertFalse(socket.isWritable(), "still writable after " + sent + " messages");
      // The client wakes up and reads everything (the open packet first).
      assertTrue(client.readFrame().startsWith("0{"));
      for (int i = 0; i < sent; i++) {
        assertEquals("4" + KB, client.readFrame());
      }
      server.recorder.awaitDrain(socket.id());
      Await.until(socket::isWritable, "writable again");
    }
  }
}
