package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.Ack;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What docs/CONCURRENCY.md promises about the server socket's threads: continuations called from
 * other threads hop back to where the socket's listeners run, a disconnection waits for the
 * handlers of the events received before it, middleware chains are the ones of the moment they
 * started.
 */
class SocketConcurrencyTest extends ServerTestSupport {

  /** Runs {@code task} on a thread of its own named {@code foreign} and waits for it. */
  private static void fromForeignThread(Runnable task) throws InterruptedException {
    Thread t = new Thread(task, "foreign");
    t.start();
    t.join(WAIT.toMillis());
    assertFalse(t.isAlive(), "the foreign thread finished");
  }

  private static ExecutorService workers() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(3, r -> new Thread(r, "worker-" + n.incrementAndGet()));
  }

  private static void shutdown(ExecutorService pool) throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
  }

  /** A packet middleware that holds every event named {@code held} until the test continues it. */
  private static PacketMiddleware holding(LineLog ev, AtomicReference<Middleware.Next> held) {
    return (event, args, next) -> {
      if (event.equals("held")) {
        held.set(next);
        ev.add("held");
      } else {
        next.proceed();
      }
    };
  }

  @Test
  void packetMiddlewareContinuedFromAnotherThreadRunsTheListenersOnTheLoop() throws Exception {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    AtomicReference<Middleware.Next> held = new AtomicReference<>();
    io.onConnection(
        s -> {
          ev.add("loop:" + Thread.currentThread().getName());
          s.use(holding(ev, held));
          s.on("held", args -> ev.add("listener:" + Thread.currentThread().getName()));
          s.onError(
              e -> ev.add("error:" + e.getMessage() + ":" + Thread.currentThread().getName()));
        });
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    String loop = ev.await("loop:").substring("loop:".length());

    c.send("42[\"held\"]");
    ev.await("held");
    fromForeignThread(() -> held.get().proceed());
    assertEquals("listener:" + loop, ev.await("listener:"));

    c.send("42[\"held\"]");
    ev.await("held");
    fromForeignThread(() -> held.get().fail("refused later"));
    assertEquals("error:refused later:" + loop, ev.await("error:"));
    assertEquals(List.of("listener:" + loop), ev.lines("listener:"), "a refused event is dropped");
  }

  @Test
  void packetMiddlewareContinuedFromAnotherThreadRunsTheListenersOnTheHandlerQueue()
      throws Exception {
    ExecutorService pool = workers();
    try {
      SocketIoServer io = server(b -> b.handlerExecutor(pool));
      LineLog ev = new LineLog();
      AtomicReference<Middleware.Next> held = new AtomicReference<>();
      io.onConnection(
          s -> {
            s.use(holding(ev, held));
            s.on("held", args -> ev.add("listener:" + Thread.currentThread().getName()));
            s.on("next", args -> ev.add("next:" + Thread.currentThread().getName()));
          });
      EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
      c.send("42[\"held\"]");
      ev.await("held");
      // The queue goes on while an event waits for its middleware, as the reference's events do.
      c.send("42[\"next\"]");
      assertTrue(ev.await("next:").startsWith("next:worker-"));
      fromForeignThread(() -> held.get().proceed());
      String listener = ev.await("listener:");
      assertTrue(listener.startsWith("listener:worker-"), listener);
    } finally {
      shutdown(pool);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void withAHandlerExecutorADisconnectionWaitsForTheEventsReceivedBeforeIt(Transport kind)
      throws Exception {
    ExecutorService pool = workers();
    CountDownLatch release = new CountDownLatch(1);
    try {
      SocketIoServer io = server(b -> b.handlerExecutor(pool));
      LineLog ev = new LineLog();
      List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
      io.onConnection(
          s -> {
            s.join("team");
            s.on(
                "slow",
                args -> {
                  threads.add(Thread.currentThread().getName());
                  ev.add("slow-start");
                  try {
                    assertTrue(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ev.add("slow-end");
                });
            s.on(
                "n",
                args -> {
                  threads.add(Thread.currentThread().getName());
                  ev.add("n:" + args.string(0));
                });
            s.onDisconnecting(
                r -> {
                  threads.add(Thread.currentThread().getName());
                  ev.add("disconnecting:" + r.text() + ":" + s.rooms().contains("team"));
                });
            s.onDisconnect(
                r -> {
                  threads.add(Thread.currentThread().getName());
                  ev.add("disconnect:" + r.text() + ":" + s.rooms());
                });
          });
      EngineIoWireClient c = client(io, kind);
      Socket s = socketOf(io, c.connect());
      c.send("42[\"slow\"]");
      ev.await("slow-start");
      for (int i = 0; i < 5; i++) {
        c.send("42[\"n\",\"" + i + "\"]");
      }
      c.send("41");
      // The loop has read the events and the DISCONNECT (in this order) and let the socket go.
      awaitCondition(s::disconnected, "the socket disconnected on the loop");
      assertEquals(Set.of(), io.sockets().adapter().rooms(), "rooms left at once");
      release.countDown();
      ev.await("disconnect:");
      assertEquals(
          List.of(
              "slow-start",
              "slow-end",
              "n:0",
              "n:1",
              "n:2",
              "n:3",
              "n:4",
              "disconnecting:client namespace disconnect:true",
              "disconnect:client namespace disconnect:[]"),
          ev.lines());
      assertTrue(threads.stream().allMatch(t -> t.startsWith("worker-")), threads.toString());
    } finally {
      release.countDown();
      shutdown(pool);
    }
  }

  @Test
  void withAHandlerExecutorErrorsOfTheConnectionComeInOrderWithTheEvents() throws Exception {
    ExecutorService pool = workers();
    CountDownLatch release = new CountDownLatch(1);
    try {
      SocketIoServer io = server(b -> b.handlerExecutor(pool));
      LineLog ev = new LineLog();
      io.onConnection(
          s -> {
            s.on(
                "slow",
                args -> {
                  try {
                    assertTrue(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ev.add("slow-end");
                });
            s.onError(e -> ev.add("error:" + Thread.currentThread().getName()));
            s.onDisconnect(r -> ev.add("disconnect:" + r.text()));
          });
      EngineIoWireClient c = client(io, Transport.WEBSOCKET);
      Socket s = socketOf(io, c.connect());
      c.send("42[\"slow\"]");
      c.send("4not a packet");
      awaitCondition(s::disconnected, "the invalid packet closed the connection");
      release.countDown();
      ev.await("disconnect:");
      List<String> lines = ev.lines();
      assertEquals(3, lines.size(), lines.toString());
      assertEquals("slow-end", lines.get(0));
      assertTrue(lines.get(1).startsWith("error:worker-"), lines.toString());
      assertEquals("disconnect:forced close", lines.get(2));
    } finally {
      release.countDown();
      shutdown(pool);
    }
  }

  @Test
  void anEventWhoseMiddlewareContinuesAfterTheDisconnectionIsDropped() throws Exception {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    AtomicReference<Middleware.Next> held = new AtomicReference<>();
    io.onConnection(
        s -> {
          s.use(holding(ev, held));
          s.on("held", args -> ev.add("listener"));
          s.onDisconnect(r -> ev.add("disconnect"));
        });
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    Socket s = socketOf(io, c.connect());
    c.send("42[\"held\"]");
    ev.await("held");
    c.send("41");
    ev.await("disconnect");
    fromForeignThread(() -> held.get().proceed());
    // The continuation was queued onto the loop before this task.
    s.conn().executor().submit(() -> {}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(List.of("held", "disconnect"), ev.lines());
  }

  @Test
  void aPacketMiddlewareThatThrowsRefusesTheEvent() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.use(
              (event, args, next) -> {
                if (event.equals("bad")) {
                  throw new IllegalStateException("middleware broke");
                }
                next.proceed();
              });
          s.on("bad", args -> ev.add("listener:bad"));
          s.on("echo", (args, ack) -> ack.send(args.toArray()));
          s.onError(e -> ev.add("error:" + e.getMessage()));
        });
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    c.send("42[\"bad\"]");
    assertEquals("error:middleware broke", ev.await("error:"));
    c.send("421[\"echo\",1]");
    assertEquals("431[1]", c.nextText());
    assertEquals(List.of(), ev.lines("listener:"));
  }

  @Test
  void aPacketMiddlewareAddedWhileAnEventIsInFlightAppliesFromTheNextEvent() throws Exception {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    AtomicReference<Middleware.Next> held = new AtomicReference<>();
    AtomicReference<Socket> socket = new AtomicReference<>();
    io.onConnection(
        s -> {
          socket.set(s);
          s.use(holding(ev, held));
          s.on("held", args -> ev.add("listener:held"));
          s.on("later", args -> ev.add("listener:later"));
        });
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    c.send("42[\"held\"]");
    ev.await("held");
    socket
        .get()
        .use(
            (event, args, next) -> {
              ev.add("second:" + event);
              next.proceed();
            });
    fromForeignThread(() -> held.get().proceed());
    ev.await("listener:held");
    c.send("42[\"later\"]");
    ev.await("listener:later");
    assertEquals(List.of("held", "listener:held", "second:later", "listener:later"), ev.lines());
  }

  @Test
  void aConnectionMiddlewareAddedWhileASocketIsInFlightAppliesFromTheNextSocket() throws Exception {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    AtomicReference<Middleware.Next> held = new AtomicReference<>();
    AtomicInteger sockets = new AtomicInteger();
    io.use(
        (s, next) -> {
          if (sockets.incrementAndGet() == 1) {
            held.set(next);
            ev.add("held");
          } else {
            next.proceed();
          }
        });
    io.onConnection(s -> ev.add("connection"));
    EngineIoWireClient first = client(io, Transport.WEBSOCKET);
    first.send("40");
    ev.await("held");
    io.use(
        (s, next) -> {
          ev.add("second");
          next.proceed();
        });
    fromForeignThread(() -> held.get().proceed());
    assertTrue(first.nextText().startsWith("40{\"sid\""));
    ev.await("connection");
    connected(io, Transport.WEBSOCKET);
    ev.await("connection");
    assertEquals(List.of("held", "connection", "second", "connection"), ev.lines());
  }

  @Test
  void acksSentFromAnotherThreadKeepTheirOrderAndAreDroppedOnceDisconnected() throws Exception {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    List<Ack> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.onConnection(
        s -> {
          s.on(
              "q",
              (args, ack) -> {
                acks.add(ack);
                ev.add("q");
              });
          s.onDisconnect(r -> ev.add("disconnect"));
        });
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    Socket s = socketOf(io, c.connect());
    c.send("421[\"q\"]");
    ev.await("q");
    fromForeignThread(
        () -> {
          acks.get(0).send("first");
          s.emit("then");
          acks.get(0).send("an ack is sent once");
        });
    assertEquals("431[\"first\"]", c.nextText());
    assertEquals("42[\"then\"]", c.nextText());

    c.send("422[\"q\"]");
    ev.await("q");
    c.send("41");
    ev.await("disconnect");
    fromForeignThread(() -> acks.get(1).send("too late"));
    c.assertSilentFor(QUIET);
    List<String> seen = new ArrayList<>(ev.lines());
    assertEquals(List.of("q", "q", "disconnect"), seen);
  }

  @Test
  void callsOnASocketAfterTheServerClosedAreIgnoredAndAcksFailAtOnce() {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    Socket s = socketOf(io, c.connect());
    join(io.close());
    assertDoesNotThrow(() -> s.emit("late"));
    assertDoesNotThrow(() -> s.disconnect());
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> s.emitWithAck("late").get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertInstanceOf(SocketDisconnectedException.class, e.getCause());
  }
}
