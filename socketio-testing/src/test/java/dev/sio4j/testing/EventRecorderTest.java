package dev.sio4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.common.Ack;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventRecorderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration SHORT = Duration.ofMillis(100);
  private static final Duration WAIT = Duration.ofSeconds(10);

  final EventRecorder onServer = EventRecorder.create();

  @RegisterExtension
  final SocketIoServerExtension server =
      SocketIoServerExtension.builder().configure(io -> io.onConnection(onServer::attach)).build();

  private static Arguments args(Object... values) {
    return Arguments.of(MAPPER, values);
  }

  // ---- recording and awaiting ------------------------------------------------------------------

  @Test
  void awaitTakesEventsOfANameInOrderAndLeavesTheOthers() {
    EventRecorder r = EventRecorder.create();
    r.record("a", args(1));
    r.record("b", args(2));
    r.record("a", args(3));
    assertEquals(1, r.await("a", SHORT).args().get(0, Integer.class));
    assertEquals(3, r.await("a", SHORT).args().get(0, Integer.class));
    assertEquals(2, r.await("b", SHORT).args().get(0, Integer.class));
    assertEquals(3, r.events().size());
    assertEquals(2, r.events("a").size());
  }

  @Test
  void aTimeoutFailsWithTheEventTheTimeoutAndWhatCameInstead() {
    EventRecorder r = EventRecorder.create();
    r.record("other", args(1, "x"));
    AssertionError e = assertThrows(AssertionError.class, () -> r.await("news", SHORT));
    assertEquals("no event 'news' within PT0.1S; recorded [other[1,\"x\"]]", e.getMessage());
  }

  @Test
  void awaitCountTakesAllOrNone() {
    EventRecorder r = EventRecorder.create();
    r.record("e", args());
    AssertionError e = assertThrows(AssertionError.class, () -> r.awaitCount("e", 2, SHORT));
    assertEquals("only 1 of 2 event 'e's within PT0.1S; recorded [e[]]", e.getMessage());
    r.record("e", args());
    assertEquals(2, r.awaitCount("e", 2, SHORT).size());
  }

  @Test
  void assertNoEventFailsAsSoonAsOneComes() {
    EventRecorder r = EventRecorder.create();
    r.record("x", args());
    r.await("x", SHORT);
    r.assertNoEvent("x", Duration.ofMillis(20)); // taken events do not count
    CompletableFuture<Void> later = CompletableFuture.runAsync(() -> r.record("x", args(2)));
    long start = System.nanoTime();
    AssertionError e = assertThrows(AssertionError.class, () -> r.assertNoEvent("x", WAIT));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    assertTrue(e.getMessage().startsWith("unexpected event 'x': x[2]"), e.getMessage());
    Await.join(later);
  }

  @Test
  void aFullRecorderFailsAtOnceSayingSo() {
    EventRecorder r = EventRecorder.create(1);
    r.record("a", args());
    r.record("b", args());
    assertEquals(1, r.dropped());
    long start = System.nanoTime();
    AssertionError e = assertThrows(AssertionError.class, () -> r.await("b", WAIT));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    assertTrue(e.getMessage().contains("the log is full (capacity 1, 1 dropped)"), e.getMessage());
  }

  @Test
  void eventsRecordedFromManyThreadsAreAllThere() {
    EventRecorder r = EventRecorder.create();
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      writers.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 250; i++) {
                  r.record("e", args(i));
                }
              }));
    }
    assertEquals(2000, r.awaitCount("e", 2000, WAIT).size());
    writers.forEach(Await::join);
    r.assertNoEvent("e", Duration.ZERO);
  }

  // ---- attached to real sockets
  // ------------------------------------------------------------------

  @Test
  void onAClientSocketItRecordsEventsAndConnectionChanges() {
    SocketIoClient client = server.newClient(b -> b.autoConnect(false).reconnection(false));
    ClientSocket socket = client.socket("/");
    EventRecorder r = EventRecorder.of(socket);
    socket.connect();
    assertEquals(0, r.await("connect", WAIT).args().size());
    server.io().emit("news", "hi", new byte[] {1, 2});
    RecordedEvent news = r.await("news", WAIT);
    assertEquals("hi", news.args().string(0));
    assertArrayEquals(new byte[] {1, 2}, news.args().bytes(1));
    assertFalse(news.ack().requested());
    assertTrue(news.thread().startsWith("sio4j-client-"), news.thread());
    server.io().disconnectSockets(false);
    assertEquals("io server disconnect", r.await("disconnect", WAIT).args().string(0));
  }

  @Test
  void onAServerSocketItRecordsEventsWhoseAckTheTestAnswers() {
    ClientSocket client = server.client();
    CompletableFuture<Arguments> reply = client.emitWithAck("question", 41);
    RecordedEvent question = onServer.await("question", WAIT);
    assertEquals(41, question.args().get(0, Integer.class));
    Ack ack = question.ack();
    assertTrue(ack.requested());
    ack.send("answer");
    assertEquals("answer", Await.join(reply).string(0));
    client.disconnect();
    assertEquals(
        "client namespace disconnect", onServer.await("disconnecting", WAIT).args().string(0));
    assertEquals(
        "client namespace disconnect", onServer.await("disconnect", WAIT).args().string(0));
  }
}
