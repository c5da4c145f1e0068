package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.LineLog;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connection state recovery: the server kills the client's Engine.IO connection (no DISCONNECT
 * packet, so the session is persisted), broadcasts while the client is away, and the client comes
 * back with the same id, its rooms, {@link ClientSocket#recovered()} true and exactly the events
 * addressed to it, once, in order, with the offset stripped. To prove that those events are a
 * replay, not received live by a quick reconnection, the client of that test reconnects only when
 * told ({@link ClientSocket#connect()}), after the server took the broadcasts; a control without
 * recovery receives none of them. Subclasses provide the server.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
abstract class AbstractConnectionStateRecoveryTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** A server with connection state recovery on, driven directly by the test. */
  interface RecoveryServer extends AutoCloseable {
    String url();

    /** Makes the socket join a room. */
    void join(String socketId, String room);

    /**
     * Broadcasts on the main namespace; {@code to} and {@code except} (a room or socket id) may be
     * null. Arguments are numbers, strings or {@code byte[]}.
     */
    void emit(String to, String except, String event, Object... args);

    /** Emits to one socket with an ack and returns the first argument of the reply. */
    String emitWithAck(String socketId, String event, String arg);

    /** Closes the socket's Engine.IO connection without a DISCONNECT packet. */
    void dropConnection(String socketId);

    /** Waits until the server has seen this socket disconnect; returns the reason. */
    String awaitDisconnect(String socketId);

    /** Waits for the server-side connection of this socket id. */
    Connection awaitConnection(String socketId);

    /** Returns once every command sent before took effect on the server. */
    void sync();

    @Override
    void close();
  }

  /** What the server saw of a connection: whether it was recovered, and the CONNECT payload. */
  record Connection(boolean recovered, JsonNode auth) {}

  /** Starts a server whose sessions survive {@code maxDisconnectionDuration}. */
  protected abstract RecoveryServer start(Duration maxDisconnectionDuration);

  /** Starts the same server with connection state recovery off. */
  protected abstract RecoveryServer startWithoutRecovery();

  private static SocketIoClient client(Mode mode, RecoveryServer server, Duration delay) {
    return mode.configure(
            SocketIoClient.builder()
                .uri(URI.create(server.url()))
                .reconnectionDelay(delay)
                .reconnectionDelayMax(delay)
                .randomizationFactor(0))
        .build();
  }

  /** A client that comes back only when told: the test decides what happens while it is away. */
  private static SocketIoClient clientWithoutReconnection(Mode mode, RecoveryServer server) {
    return mode.configure(
            SocketIoClient.builder().uri(URI.create(server.url())).reconnection(false))
        .build();
  }

  /** Records what listeners see: {@code event[arg,...]}, binary as {@code <base64>}. */
  static String render(String event, Arguments args) {
    List<String> parts = new ArrayList<>();
    for (JsonNode n : args.asList()) {
      parts.add(n.isBinary() ? "<" + Base64.getEncoder().encodeToString(bytes(n)) + ">" : "" + n);
    }
    return event + "[" + String.join(",", parts) + "]";
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return n.binaryValue();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what, List<String> seen)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; received " + copy(seen));
      }
      Thread.sleep(20);
    }
  }

  private static List<String> copy(List<String> list) {
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void recoversIdRoomsAndMissedEventsOnceInOrderWithoutOffsets(Mode mode) throws Exception {
    try (RecoveryServer server = start(Duration.ofMinutes(2))) {
      SocketIoClient client = clientWithoutReconnection(mode, server);
      try {
        List<String> any = new ArrayList<>();
        List<Boolean> recoveredWhenReceived = new ArrayList<>();
        List<String> news = new ArrayList<>();
        ClientSocket socket =
            client.socket("/", SocketOptions.builder().auth(Map.of("token", "t")).build());
        socket.onAny(
            (event, args) -> {
              synchronized (any) {
                any.add(render(event, args));
                recoveredWhenReceived.add(socket.recovered());
              }
            });
        socket.on(
            "news",
            args -> {
              synchronized (news) {
                news.add(render("news", args));
              }
            });
        socket.on("ask", (args, ack) -> ack.send("re:" + args.string(0)));
        LineLog log = AbstractClientInteropTest.record(socket);
        log.await("connect", WAIT);
        String id = socket.id().orElseThrow();
        assertFalse(socket.recovered());
        Connection first = server.awaitConnection(id);
        assertFalse(first.recovered());
        assertEquals("{\"token\":\"t\"}", first.auth().toString(), "no pid on a first connect");

        server.join(id, "r1");
        // A trailing string argument of the user's stays: only the offset after it goes.
        server.emit("r1", null, "news", 1, "a");
        awaitTrue(() -> copy(any).size() == 1, "news 1", any);
        // An event with an ack carries no offset, so nothing is stripped from it.
        assertEquals("re:q", server.emitWithAck(id, "ask", "q"));

        server.dropConnection(id);
        log.await("disconnect:", WAIT);
        String reason = server.awaitDisconnect(id);
        assertTrue(reason.equals("transport close") || reason.equals("forced close"), reason);

        server.emit("r1", null, "news", 2);
        server.emit("elsewhere", null, "notForYou", 0);
        server.emit(null, "r1", "notForYou", 1);
        server.emit(null, null, "news", 3, new byte[] {1, 2, 3});
        server.emit(id, null, "direct", "four");
        server.sync();
        assertEquals(2, copy(any).size(), "nothing reaches the client while it is away");
        socket.connect();

        log.await("connect", WAIT);
        assertEquals(id, socket.id().orElseThrow(), "same id");
        assertTrue(socket.recovered(), "recovered");
        Connection again = server.awaitConnection(id);
        assertTrue(again.recovered(), "recovered on the server");
        // Object.assign({pid, offset}, auth): pid and offset first, then the auth keys.
        JsonNode auth = again.auth();
        assertEquals(List.of("pid", "offset", "token"), fieldNames(auth), auth.toString());
        assertTrue(auth.get("pid").isTextual() && auth.get("offset").isTextual(), auth.toString());
        assertEquals("t", auth.get("token").asText());

        // Rooms survived: a broadcast to r1 reaches the socket.
        server.emit("r1", null, "news", 5);
        awaitTrue(() -> copy(any).contains("news[5]"), "news 5 after recovery", any);
        Thread.sleep(200); // nothing else trickles in
        assertEquals(
            List.of(
                "news[1,\"a\"]",
                "ask[\"q\"]",
                "news[2]",
                "news[3,<AQID>]",
                "direct[\"four\"]",
                "news[5]"),
            copy(any));
        assertEquals(List.of("news[1,\"a\"]", "news[2]", "news[3,<AQID>]", "news[5]"), copy(news));
        // The missed events came after the recovered CONNECT, so as its replay.
        synchronized (any) {
          assertEquals(
              List.of(false, false, true, true, true, true), List.copyOf(recoveredWhenReceived));
        }

        // A second drop recovers again, from the newest offset: nothing is replayed twice.
        server.dropConnection(id);
        log.await("disconnect:", WAIT);
        server.awaitDisconnect(id);
        server.emit("r1", null, "news", 6);
        server.sync();
        socket.connect();
        log.await("connect", WAIT);
        assertTrue(socket.recovered());
        assertEquals(id, socket.id().orElseThrow());
        assertTrue(server.awaitConnection(id).recovered());
        awaitTrue(() -> copy(any).contains("news[6]"), "news 6", any);
        Thread.sleep(200);
        List<String> all = copy(any);
        assertEquals("news[6]", all.get(all.size() - 1), all.toString());
        assertEquals(7, all.size(), all.toString());
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"POLLING", "WEBSOCKET"})
  void anExpiredSessionStartsFresh(Mode mode) throws Exception {
    try (RecoveryServer server = start(Duration.ofMillis(300))) {
      SocketIoClient client = client(mode, server, Duration.ofMillis(1200));
      try {
        List<String> any = new ArrayList<>();
        ClientSocket socket = client.socket("/");
        socket.onAny(
            (event, args) -> {
              synchronized (any) {
                any.add(render(event, args));
              }
            });
        LineLog log = AbstractClientInteropTest.record(socket);
        log.await("connect", WAIT);
        String id = socket.id().orElseThrow();
        server.awaitConnection(id);
        server.join(id, "r1");
        server.emit("r1", null, "news", 1);
        awaitTrue(() -> copy(any).size() == 1, "news 1", any);

        server.dropConnection(id);
        log.await("disconnect:", WAIT);
        server.awaitDisconnect(id);
        server.emit("r1", null, "news", 2);
        server.emit(null, null, "news", 3);

        log.await("connect", WAIT);
        String newId = socket.id().orElseThrow();
        assertNotEquals(id, newId, "a new session");
        assertFalse(socket.recovered());
        Connection fresh = server.awaitConnection(newId);
        assertFalse(fresh.recovered());
        // The client still offered its old session.
        assertTrue(fresh.auth().path("pid").isTextual(), fresh.auth().toString());

        // The new session has a new pid: offsets are still stripped, and r1 is gone.
        server.emit("r1", null, "news", 4);
        server.emit(null, null, "news", 5);
        awaitTrue(() -> copy(any).contains("news[5]"), "news 5", any);
        Thread.sleep(200);
        assertEquals(List.of("news[1]", "news[5]"), copy(any));
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"WEBSOCKET"})
  void withoutRecoveryTheEventsMissedMeanwhileAreLost(Mode mode) throws Exception {
    // The control of the first test: the same steps reach the client with none of the events.
    try (RecoveryServer server = startWithoutRecovery()) {
      SocketIoClient client = clientWithoutReconnection(mode, server);
      try {
        List<String> any = new ArrayList<>();
        ClientSocket socket = client.socket("/");
        socket.onAny(
            (event, args) -> {
              synchronized (any) {
                any.add(render(event, args));
              }
            });
        LineLog log = AbstractClientInteropTest.record(socket);
        log.await("connect", WAIT);
        String id = socket.id().orElseThrow();
        server.awaitConnection(id);
        server.join(id, "r1");
        server.emit("r1", null, "news", 1);
        awaitTrue(() -> copy(any).size() == 1, "news 1", any);

        server.dropConnection(id);
        log.await("disconnect:", WAIT);
        server.awaitDisconnect(id);
        server.emit("r1", null, "news", 2);
        server.emit(null, null, "news", 3);
        server.emit(id, null, "direct", "four");
        server.sync();
        socket.connect();

        log.await("connect", WAIT);
        String newId = socket.id().orElseThrow();
        assertNotEquals(id, newId, "a new session");
        assertFalse(socket.recovered());
        assertFalse(server.awaitConnection(newId).recovered());
        server.emit(null, null, "news", 5);
        awaitTrue(() -> copy(any).contains("news[5]"), "news 5", any);
        assertEquals(List.of("news[1]", "news[5]"), copy(any));
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
