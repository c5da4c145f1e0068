package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.SlowConsumerPolicy;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.StalledWebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A room with a member that stops reading: the broadcasts go on for the others, the slow member
 * costs the server at most its bound, and is handled per the slow-consumer policy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowConsumerTest extends ServerTestSupport {
  private static final long CAP = 256 * 1024;

  /** The channel's high water mark, crossed by at most one packet, over the session's bound. */
  private static final long SLACK = 64 * 1024 + 2 * 1024;

  private static final String KB = "x".repeat(1000);
  private static final String WS_PATH = "/socket.io/?EIO=4&transport=websocket";

  private StalledWebSocket stalled;

  @AfterEach
  void closeStalled() {
    if (stalled != null) {
      stalled.close();
    }
  }

  private record Room(EngineIoWireClient healthy, Socket slow) {}

  /** A healthy WebSocket member and a stalled one, both in {@code room}. */
  private Room room(SocketIoServer io) {
    io.use(
        (s, next) -> {
          s.join("room");
          next.proceed();
        });
    EngineIoWireClient healthy = client(io, Transport.WEBSOCKET);
    String healthyId = healthy.connect();
    stalled = StalledWebSocket.connect(io.port(), WS_PATH, 4096);
    stalled.send("40");
    awaitCondition(() -> io.sockets().sockets().size() == 2, "two sockets");
    Socket slow =
        io.sockets().sockets().values().stream()
            .filter(s -> !s.id().equals(healthyId))
            .findFirst()
            .orElseThrow();
    return new Room(healthy, slow);
  }

  /** Waits until the socket's loop ran what was queued to it so far. */
  private static void sync(Socket socket) {
    try {
      socket.conn().executor().submit(() -> {}).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket's loop did not answer", e);
    }
  }

  private static String event(int i) {
    return "42[\"e\"," + i + ",\"" + KB + "\"]";
  }

  /**
   * Broadcasts numbered 1 KB events to the room, a hundred at a time, each batch read whole by the
   * healthy member (which so receives every one, in order), until {@code done} or {@code max}
   * events; returns how many were sent and the most the slow member had buffered between batches.
   */
  private static long[] broadcast(
      SocketIoServer io, Room room, int max, java.util.function.BooleanSupplier done) {
    int sent = 0;
    long maxBuffered = 0;
    while (sent < max && !done.getAsBoolean()) {
      for (int i = 0; i < 100; i++) {
        io.to("room").emit("e", sent + i, KB);
      }
      for (int i = 0; i < 100; i++) {
        assertEquals(event(sent + i), room.healthy.nextText());
      }
      sent += 100;
      maxBuffered = Math.max(maxBuffered, room.slow.bufferedBytes());
    }
    return new long[] {sent, maxBuffered};
  }

  @Test
  void aMemberThatStopsReadingIsDisconnectedAndItsConnectionClosedWhileTheOthersGetEverything() {
    SocketIoServer io =
        server(b -> b.engine(EngineIoOptions.builder().maxBufferedBytes(CAP).build()));
    Room room = room(io);
    CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
    room.slow.onDisconnect(reason::complete);

    long[] r = broadcast(io, room, 40_000, reason::isDone);

    assertEquals(DisconnectReason.SLOW_CONSUMER, join(reason), "after " + r[0] + " events");
    assertTrue(r[1] <= CAP + SLACK, "the slow member held " + r[1] + " bytes");
    assertEquals(0, room.slow.bufferedBytes());
    // Its backlog went with it: the client reads what the kernel held, then the end of the stream.
    long read = stalled.drainToEof(Duration.ofSeconds(10));
    assertTrue(read < r[0] * 1000, "read " + read + " bytes of " + r[0] * 1000);
    // The room goes on without it.
    io.to("room").emit("e", -1, KB);
    assertEquals(event(-1), room.healthy.nextText());
  }

  @Test
  void dropOldestKeepsTheMemberAndCountsWhatItLost() {
    SocketIoServer io =
        server(
            b ->
                b.engine(
                    EngineIoOptions.builder()
                        .maxBufferedBytes(CAP)
                        .slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
                        .build()));
    Room room = room(io);
    int total = (int) broadcast(io, room, 40_000, () -> room.slow.conn().droppedPackets() > 100)[0];
    // Essential (it waits for an ack): queued after every broadcast, never dropped.
    room.slow.emitWithAck("end");
    long maxBuffered = 0;
    // The client wakes up and reads: every event it gets is newer than the last, and what it gets
    // plus what was dropped is everything.
    int received = 0;
    int last = -1;
    for (String frame = stalled.readFrame(); ; frame = stalled.readFrame()) {
      if (frame == null) {
        throw new AssertionError("the connection ended after " + received + " events");
      }
      if (frame.startsWith("42[\"e\",")) {
        int n = Integer.parseInt(frame.substring(7, frame.indexOf(',', 7)));
        assertTrue(n > last, n + " after " + last);
        last = n;
        received++;
      } else if (frame.endsWith("[\"end\"]")) {
        break;
      }
      maxBuffered = Math.max(maxBuffered, room.slow.bufferedBytes());
    }
    long dropped = room.slow.conn().droppedPackets();
    assertTrue(dropped > 0, "nothing dropped");
    assertEquals(total, received + dropped);
    assertEquals(total - 1, last, "the newest events are kept");
    assertTrue(room.slow.connected());
    assertTrue(maxBuffered <= CAP + SLACK, "the slow member held " + maxBuffered + " bytes");
  }

  @Test
  void volatileEventsAreDroppedFirst() {
    SocketIoServer io = server(); // default bound: 10 MB, which volatile events never reach
    Room room = room(io);
    int sent = 0;
    long maxBuffered = 0;
    while (sent < 20_000 && room.slow.conn().droppedPackets() < 100) {
      // Fewer at a time than the channel's high water mark: the healthy member takes them at once.
      for (int i = 0; i < 50; i++) {
        io.to("room").volatile_().emit("e", sent + i, KB);
      }
      for (int i = 0; i < 50; i++) {
        assertEquals(event(sent + i), room.healthy.nextText());
      }
      sent += 50;
      maxBuffered = Math.max(maxBuffered, room.slow.bufferedBytes());
    }
    long dropped = room.slow.conn().droppedPackets();
    assertTrue(dropped >= 100, "dropped " + dropped + " of " + sent);
    assertTrue(maxBuffered <= SLACK, "the slow member held " + maxBuffered + " bytes");
    // A regular event is not dropped: it waits for the client.
    room.slow.emitWithAck("end");
    int received = 0;
    for (String frame = stalled.readFrame(); ; frame = stalled.readFrame()) {
      if (frame == null) {
        throw new AssertionError("the connection ended after " + received + " events");
      }
      if (frame.startsWith("42[\"e\",")) {
        received++;
      } else if (frame.endsWith("[\"end\"]")) {
        break;
      }
    }
    assertEquals(sent, received + room.slow.conn().droppedPackets());
    assertTrue(room.slow.connected());
  }

  @Test
  void aClosingConnectionThatIsNotReadIsDroppedAfterCloseTimeout() {
    SocketIoServer io =
        server(
            b -> b.engine(EngineIoOptions.builder().closeTimeout(Duration.ofMillis(500)).build()));
    Room room = room(io);
    // Fill the kernel's buffers and the channel, then some: the session buffers the rest.
    int sent = 0;
    while (room.slow.isWritable() && sent < 20_000) {
      for (int i = 0; i < 10; i++) {
        room.slow.emit("e", sent + i, KB);
      }
      sent += 10;
      sync(room.slow);
    }
    for (int i = 0; i < 100; i++) {
      room.slow.emit("e", i, KB);
    }
    sync(room.slow);
    assertTrue(room.slow.bufferedBytes() > 64 * 1024, "a backlog of " + room.slow.bufferedBytes());
    CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
    room.slow.onDisconnect(reason::complete);
    room.slow.disconnect(true);
    assertEquals(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, join(reason));
    // The client reads nothing, yet the server lets go of the connection and its buffers.
    awaitCondition(() -> room.slow.bufferedBytes() == 0, "the backlog discarded");
    stalled.drainToEof(Duration.ofSeconds(10));
  }

  @Test
  void aSocketThatFellBehindIsNotWritableAndDrainTellsWhenItCatchesUp() {
    SocketIoServer io = server();
    Room room = room(io);
    CompletableFuture<Boolean> drained = new CompletableFuture<>();
    int sent = 0;
    while (room.slow.isWritable() && sent < 20_000) {
      for (int i = 0; i < 10; i++) {
        room.slow.emit("e", sent + i, KB);
      }
      sent += 10;
      sync(room.slow);
    }
    assertTrue(!room.slow.isWritable(), "still writable after " + sent + " events");
    room.slow.onDrain(() -> drained.complete(room.slow.isWritable()));
    // The client wakes up and reads everything.
    int received = 0;
    while (received < sent) {
      String frame = stalled.readFrame();
      if (frame == null) {
        throw new AssertionError("the connection ended after " + received + " events");
      }
      if (frame.startsWith("42[\"e\",")) {
        received++;
      }
    }
    assertTrue(join(drained), "writable when drained");
    assertTrue(room.slow.connected());
  }
}
