package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.Ack;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.EventListener;
import dev.sio4j.common.Subscription;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventsTest extends ServerTestSupport {

  /** A typed argument. */
  record Message(String text, int n) {}

  @ParameterizedTest
  @EnumSource(Transport.class)
  void eventArgumentsAreTypedAndBinaryIsBytes(Transport kind) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s ->
            s.on(
                "chat",
                (args, ack) -> {
                  Message m = args.get(0, Message.class);
                  byte[] bin = args.get(1, byte[].class);
                  ev.add("chat:" + m + ":" + bin.length + ":" + args.string(2));
                }));
    EngineIoWireClient c = connected(io, kind);
    c.send("451-[\"chat\",{\"text\":\"hi\",\"n\":3},{\"_placeholder\":true,\"num\":0},7]");
    c.send(new byte[] {1, 2, 3, 4});
    assertEquals("chat:Message[text=hi, n=3]:4:7", ev.await("chat:"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void serverEmitsExactPacketsIncludingBinaryAttachments(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, kind);
    Socket s = socketOf(io, c.connect());
    s.emit("hey", "Jude", Map.of("n", 1), null);
    assertEquals("42[\"hey\",\"Jude\",{\"n\":1},null]", c.nextText());
    s.emit("baz", new byte[] {1, 2, 3, 4});
    assertEquals("451-[\"baz\",{\"_placeholder\":true,\"num\":0}]", c.nextText());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, c.nextBinary());
    s.send("m");
    assertEquals("42[\"message\",\"m\"]", c.nextText());
  }

  @Test
  void catchAllListenersSeeIncomingEventsInOrder() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    AnyListener second = (event, args) -> ev.add("any2:" + event);
    io.onConnection(
        s -> {
          s.onAny((event, args) -> ev.add("any:" + event + ":" + args.json()));
          s.onAny(second);
          s.prependAny((event, args) -> ev.add("first:" + event));
          s.on("ping", (args, ack) -> ev.add("on:ping"));
          s.on("off", (args, ack) -> s.offAny(second));
          ev.add("listeners:" + s.listenersAny().size());
        });
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    c.send("42[\"ping\",1]");
    c.send("421[\"noHandler\"]");
    c.send("42[\"off\"]");
    c.send("42[\"ping\"]");
    ev.await("on:ping");
    ev.await("on:ping");
    assertEquals(
        List.of(
            "listeners:3",
            "first:ping",
            "any:ping:[1]",
            "any2:ping",
            "on:ping",
            "first:noHandler",
            "any:noHandler:[]",
            "any2:noHandler",
            "first:off",
            "any:off:[]",
            "any2:off",
            "first:ping",
            "any:ping:[]",
            "on:ping"),
        ev.lines());
  }

  @Test
  void listenersWithoutAckOnceAndOffWorkLikeOnTheClient() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          EventListener removed = args -> ev.add("removed");
          s.on("e", args -> ev.add("plain:" + args.string(0)));
          s.once("e", args -> ev.add("once:" + args.string(0)));
          s.once("e", (args, ack) -> ack.send("from once"));
          s.on("e", removed);
          s.off("e", removed);
          Subscription cancelled = s.on("e", args -> ev.add("cancelled"));
          cancelled.cancel();
        });
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    c.send("421[\"e\",\"a\"]");
    assertEquals("431[\"from once\"]", c.nextText());
    c.send("42[\"e\",\"b\"]");
    c.send("42[\"marker\"]");
    c.send("42[\"e\",\"c\"]");
    ev.await("plain:c");
    assertEquals(List.of("plain:a", "once:a", "plain:b", "plain:c"), ev.lines());
  }

  @Test
  void aCatchAllListenerMayAnswerTheAck() {
    SocketIoServer io = server();
    io.onConnection(
        s ->
            s.onAny(
                new AnyListener() {
                  @Override
                  public void onEvent(String event, Arguments args) {}

                  @Override
                  public void onEvent(String event, Arguments args, Ack ack) {
                    ack.send("any saw " + event);
                  }
                }));
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    c.send("427[\"nobody\"]");
    assertEquals("437[\"any saw nobody\"]", c.nextText());
  }

  @Test
  void outgoingCatchAllSeesEmitsAndBroadcasts() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> s.onAnyOutgoing((event, args) -> ev.add("out:" + event + ":" + args.json())));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    Socket s = socketOf(io, c.connect());
    s.emit("direct", 1);
    c.nextText();
    io.emit("broadcast", 2);
    c.nextText();
    s.emitWithAck("withAck", 3);
    c.nextText();
    assertEquals(
        List.of("out:direct:[1]", "out:broadcast:[2]", "out:withAck:[3]"),
        List.of(ev.await("out:"), ev.await("out:"), ev.await("out:")));
    s.offAnyOutgoing();
    s.emit("quiet");
    c.nextText();
    assertEquals(3, ev.lines("out:").size());
  }

  @Test
  void handlerExceptionIsReportedAndTheSocketKeepsWorking() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.onError(e -> ev.add("error:" + e.getMessage()));
          s.on(
              "boom",
              (args, ack) -> {
                throw new IllegalStateException("handler failed");
              });
          s.on("echo", (args, ack) -> ack.send(args.toArray()));
        });
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    c.send("42[\"boom\"]");
    assertEquals("error:handler failed", ev.await("error:"));
    c.send("421[\"echo\",1]");
    assertEquals("431[1]", c.nextText());
  }

  @Test
  void handlerExecutorKeepsPerSocketOrderOffTheEventLoop() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "worker"));
    try {
      SocketIoServer io = server(b -> b.handlerExecutor(pool));
      List<String> seen = new CopyOnWriteArrayList<>();
      LineLog ev = new LineLog();
      io.onConnection(
          s ->
              s.on(
                  "n",
                  (args, ack) -> {
                    try {
                      // Blocking is allowed here; a random pause would reorder an unordered pool.
                      Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    seen.add(args.string(0) + "@" + Thread.currentThread().getName());
                    ack.send(args.string(0));
                    if (args.get(0, Integer.class) == 49) {
                      ev.add("done");
                    }
                  }));
      EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
      for (int i = 0; i < 50; i++) {
        c.send("42" + i + "[\"n\"," + i + "]");
      }
      ev.await("done");
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        expected.add(i + "@worker");
      }
      assertEquals(expected, seen);
      for (int i = 0; i < 50; i++) {
        assertEquals("43" + i + "[\"" + i + "\"]", c.nextText());
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void handlersRunOnTheEventLoopByDefault() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> s.on("t", (args, ack) -> ev.add("thread:" + Thread.currentThread().getName())));
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    c.send("42[\"t\"]");
    String thread = ev.await("thread:");
    assertTrue(!thread.contains("worker") && !thread.contains("ForkJoin"), thread);
  }

  @Test
  void emitFromAnyThreadKeepsCallOrder() throws Exception {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    Socket s = socketOf(io, c.connect());
    Thread t =
        new Thread(
            () -> {
              for (int i = 0; i < 100; i++) {
                s.emit("n", i);
              }
            });
    t.start();
    t.join(WAIT.toMillis());
    for (int i = 0; i < 100; i++) {
      assertEquals("42[\"n\"," + i + "]", c.nextText());
    }
  }
}
