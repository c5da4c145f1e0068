package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.NodeScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connection state recovery with the official JavaScript client: the transport is dropped ({@code
 * socket.io.engine.close()}), events are broadcast meanwhile, and the client comes back with the
 * same id, its rooms and data, and exactly the events addressed to it, in order. To prove that they
 * are replayed, not received live by a quick reconnection, the client does not reconnect by itself
 * in that test: the events are broadcast after both sides saw the disconnection, and only then is
 * the client told to connect again. A control without recovery receives none of them.
 */
@Timeout(60)
class ConnectionStateRecoveryInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private SocketIoServer io;
  private NodeScript client;
  private final BlockingQueue<String> serverEvents = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (io != null) {
      io.close().join();
    }
  }

  /** The options the server starts from; a subclass may set e.g. the parser. */
  SocketIoOptions.Builder baseOptions() {
    return SocketIoOptions.builder();
  }

  /** io() options the client gets besides the test's own (e.g. its parser), or "". */
  String clientOptions() {
    return "";
  }

  /** Starts the server; {@code recovery} null turns connection state recovery off. */
  private void start(RecoveryOptions recovery, AtomicInteger middlewareRuns) {
    SocketIoOptions.Builder options = baseOptions();
    if (recovery != null) {
      options.connectionStateRecovery(recovery);
    }
    io = SocketIoServer.builder().options(options.build()).build();
    io.use(
        (socket, next) -> {
          middlewareRuns.incrementAndGet();
          next.proceed();
        });
    io.onConnection(
        socket -> {
          if (!socket.recovered()) {
            socket.join("r1");
            socket.data().put("name", "alice");
          }
          serverEvents.add("connect " + socket.id() + " " + socket.recovered());
          socket.onDisconnect(reason -> serverEvents.add("disconnect " + reason.text()));
        });
    io.start().join();
  }

  private NodeScript connect(String mode, int reconnectionDelayMs) {
    return start(
        mode,
        ",\"reconnectionDelay\":"
            + reconnectionDelayMs
            + ",\"reconnectionDelayMax\":"
            + reconnectionDelayMs
            + ",\"randomizationFactor\":0");
  }

  /** A client that reconnects only when told ({@code {"cmd":"connect"}}). */
  private NodeScript connectWithoutReconnection(String mode) {
    return start(mode, ",\"reconnection\":false");
  }

  private NodeScript start(String mode, String moreOptions) {
    String transports =
        mode.equals("polling")
            ? "[\"polling\"]"
            : mode.equals("websocket") ? "[\"websocket\"]" : "[\"polling\",\"websocket\"]";
    String options =
        "{\"transports\":"
            + transports
            + moreOptions
            + (clientOptions().isEmpty() ? "" : "," + clientOptions())
            + "}";
    return NodeScript.start("socketio-client.mjs", "http://127.0.0.1:" + io.port(), options);
  }

  /**
   * Drops the client's connection and waits until both sides saw it: the client does not come back
   * before {@link #reconnect()}, so whatever is emitted meanwhile can only reach it by a replay.
   */
  private void dropAndAwaitBothSides() throws InterruptedException {
    client.sendJson(Map.of("cmd", "closeEngine"));
    assertEquals("disconnect transport close", awaitServer("disconnect"));
    client.await("disconnect", WAIT);
  }

  private void reconnect() {
    client.sendJson(Map.of("cmd", "connect"));
  }

  private String awaitServer(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String e = serverEvents.poll(100, TimeUnit.MILLISECONDS);
      if (e != null && e.startsWith(prefix)) {
        return e;
      }
    }
    throw new AssertionError("no server event " + prefix);
  }

  private static List<String> eventNamesAndFirstArgs(List<JsonNode> events) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events) {
      out.add(e.get("name").asText() + ":" + e.get("args").get(0).asText());
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket", "upgrade"})
  void missedEventsAddressedToTheSocketAreReplayedOnceInOrder(String mode) throws Exception {
    AtomicInteger middlewareRuns = new AtomicInteger();
    start(RecoveryOptions.defaults(), middlewareRuns);
    client = connectWithoutReconnection(mode);
    JsonNode first = client.await("connect", WAIT);
    String id = first.get("id").asText();
    awaitServer("connect " + id + " false");
    if (mode.equals("upgrade")) {
      client.await("upgrade", WAIT);
    }

    io.to("r1").emit("news", 1);
    client.await("event", e -> e.get("name").asText().equals("news"), WAIT);

    dropAndAwaitBothSides();

    io.to("r1").emit("news", 2);
    io.to("elsewhere").emit("notForYou", 0);
    io.except("r1").emit("notForYou", 1);
    io.emit("news", 3);
    io.to(id).emit("direct", 4);
    assertEquals(1, client.events("event").size(), "nothing reaches the client while it is away");
    reconnect();

    JsonNode again = client.await("connect", WAIT);
    assertEquals(id, again.get("id").asText(), "same id after recovery");
    assertTrue(again.get("recovered").asBoolean(), "recovered flag");
    awaitServer("connect " + id + " true");
    assertEquals(1, middlewareRuns.get(), "middlewares skipped on recovery by default");

    Socket socket = io.sockets().sockets().get(id);
    assertTrue(socket.rooms().contains("r1"), "rooms restored");
    assertEquals("alice", socket.data().get("name"), "data restored");

    io.to("r1").emit("news", 5);
    client.await("event", e -> e.get("args").get(0).asInt() == 5, WAIT);

    List<JsonNode> events = client.events("event");
    assertEquals(
        List.of("news:1", "news:2", "news:3", "direct:4", "news:5"),
        eventNamesAndFirstArgs(events));
    // The offset rides as the last argument of every logged event (the reference's format).
    JsonNode replayed = events.get(1).get("args");
    assertEquals(2, replayed.size());
    assertTrue(replayed.get(1).isTextual());
    // The missed events came after the recovered CONNECT, so as its replay.
    assertEquals(
        List.of(false, true, true, true, true),
        events.stream().map(e -> e.get("recovered").asBoolean()).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket"})
  void withoutRecoveryTheEventsMissedMeanwhileAreLost(String mode) throws Exception {
    // The control of the test above: the same steps reach the client with none of the events.
    start(null, new AtomicInteger());
    client = connectWithoutReconnection(mode);
    String id = client.await("connect", WAIT).get("id").asText();
    awaitServer("connect " + id + " false");
    io.to("r1").emit("news", 1);
    client.await("event", e -> e.get("name").asText().equals("news"), WAIT);

    dropAndAwaitBothSides();

    io.to("r1").emit("news", 2);
    io.emit("news", 3);
    io.to(id).emit("direct", 4);
    reconnect();

    JsonNode again = client.await("connect", WAIT);
    String newId = again.get("id").asText();
    assertNotEquals(id, newId, "a new socket");
    assertFalse(again.path("recovered").asBoolean());
    awaitServer("connect " + newId + " false");
    io.to("r1").emit("news", 5);
    client.await("event", e -> e.get("args").get(0).asInt() == 5, WAIT);
    assertEquals(List.of("news:1", "news:5"), eventNamesAndFirstArgs(client.events("event")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket"})
  void anExpiredSessionStartsFresh(String mode) throws Exception {
    AtomicInteger middlewareRuns = new AtomicInteger();
    start(
        RecoveryOptions.defaults().maxDisconnectionDuration(Duration.ofMillis(300)),
        middlewareRuns);
    client = connect(mode, 1200);
    String id = client.await("connect", WAIT).get("id").asText();
    awaitServer("connect " + id);
    io.to("r1").emit("news", 1);
    client.await("event", WAIT);

    client.sendJson(Map.of("cmd", "closeEngine"));
    awaitServer("disconnect");

    JsonNode again = client.await("connect", WAIT);
    assertNotEquals(id, again.get("id").asText(), "a new socket id");
    assertFalse(again.get("recovered").asBoolean());
    assertEquals(2, middlewareRuns.get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket"})
  void middlewaresRunAgainWhenNotSkipped(String mode) throws Exception {
    AtomicInteger middlewareRuns = new AtomicInteger();
    start(RecoveryOptions.defaults().skipMiddlewares(false), middlewareRuns);
    client = connect(mode, 200);
    String id = client.await("connect", WAIT).get("id").asText();
    awaitServer("connect " + id);
    io.to("r1").emit("news", 1);
    client.await("event", WAIT);

    client.sendJson(Map.of("cmd", "closeEngine"));
    awaitServer("disconnect");

    JsonNode again = client.await("connect", WAIT);
    assertEquals(id, again.get("id").asText());
    assertTrue(again.get("recovered").asBoolean());
    assertEquals(2, middlewareRuns.get(), "middleware ran on the recovery too");
  }
}
