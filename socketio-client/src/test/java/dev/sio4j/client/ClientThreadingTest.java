package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.Ack;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What docs/CONCURRENCY.md promises about the client's threads: every callback on the client's one
 * event thread (acks, their timeouts and disconnection failures, manager events included), and
 * calls from other threads that take effect in call order, or are ignored once the client closed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientThreadingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SocketIoServer server;
  private final List<Ack> heldAcks = new CopyOnWriteArrayList<>();
  private final AtomicReference<Socket> serverSocket = new AtomicReference<>();
  private SocketIoClient client;

  @BeforeEach
  void start() {
    server = SocketIoServer.builder().build();
    server.onConnection(
        s -> {
          serverSocket.set(s);
          s.on("hold", (args, ack) -> heldAcks.add(ack));
          s.on("echo", (args, ack) -> ack.send(args.toArray()));
        });
    server.start().join();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close().orTimeout(10, TimeUnit.SECONDS).join();
    }
    server.close().orTimeout(10, TimeUnit.SECONDS).join();
  }

  private SocketIoClient client() {
    client =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + server.port()))
            .reconnectionDelay(Duration.ofMillis(50))
            .reconnectionDelayMax(Duration.ofMillis(50))
            .build();
    return client;
  }

  /**
   * Runs {@code calls} while the client's thread is held by a task of the test, so that what they
   * queue can only run after they returned (a completion callback is then surely registered first).
   */
  private static void whileTheLoopIsHeld(SocketIoClient client, Runnable calls) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    client
        .loop()
        .execute(
            () -> {
              held.countDown();
              try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertTrue(held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    try {
      calls.run();
    } finally {
      release.countDown();
    }
  }

  private static <T> T await(CompletableFuture<T> f) {
    return f.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  private static Throwable failure(CompletableFuture<?> f) {
    CompletionException e =
        org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> await(f));
    return e.getCause();
  }

  @Test
  void everyCallbackRunsOnTheClientsThread() throws Exception {
    SocketIoClient c = client();
    // What ran, on which thread: "callback@thread".
    Set<String> calls = ConcurrentHashMap.newKeySet();
    java.util.function.Consumer<String> ran =
        what -> calls.add(what + "@" + Thread.currentThread().getName());
    LineLog log = new LineLog();
    c.onClose(r -> ran.accept("close"));
    c.onReconnectAttempt(n -> ran.accept("reconnect_attempt"));
    c.onOpen(() -> ran.accept("open"));
    c.onReconnect(n -> log.add("reconnect"));
    ClientSocket socket = c.socket("/");
    socket.onConnect(() -> log.add("connect"));
    socket.onDisconnect(r -> log.add("disconnect:" + r.reason()));
    socket.on("news", args -> log.add("news"));
    socket.onAny((event, args) -> ran.accept("any"));
    log.await("connect", WAIT);

    // An answer, a timeout and a disconnection complete emitWithAck futures. Only the futures of
    // the callbacks are awaited: a thread that calls a completion method (join, orTimeout...) on a
    // completed future may run its pending callbacks itself, as the JDK allows.
    List<CompletableFuture<?>> completions = new CopyOnWriteArrayList<>();
    Outcome outcome = (what, r, e) -> ran.accept(what + ":" + (e == null ? r : e));
    completions.add(
        socket.emitWithAck("hold").whenComplete((r, e) -> outcome.ran("answered", r, e)));
    awaitCondition(() -> heldAcks.size() == 1, "the server holds the ack");
    heldAcks.get(0).send("ok");
    whileTheLoopIsHeld(
        c,
        () ->
            completions.add(
                socket
                    .timeout(Duration.ofMillis(1))
                    .emitWithAck("hold")
                    .whenComplete((r, e) -> outcome.ran("timed out", r, e))));
    completions.add(socket.emitWithAck("hold").whenComplete((r, e) -> outcome.ran("failed", r, e)));
    awaitCondition(() -> heldAcks.size() == 3, "the server holds the acks");

    serverSocket.get().emit("news");
    log.await("news", WAIT);
    // The server drops the connection: disconnect, then the manager reconnects.
    serverSocket.get().conn().close();
    log.await("disconnect:", WAIT);
    log.await("reconnect", WAIT);
    log.await("connect", WAIT);
    for (CompletableFuture<?> f : completions) {
      try {
        await(f);
      } catch (CompletionException expected) {
        // The timed-out and failed ones.
      }
    }
    assertEquals(1, log.threads().size(), log.threads().toString());
    String loop = log.threads().iterator().next();
    assertTrue(loop.startsWith("sio4j-client-"), loop);
    Set<String> expected = new java.util.TreeSet<>();
    for (String what :
        List.of(
            "close",
            "reconnect_attempt",
            "open",
            "any",
            "answered:[\"ok\"]",
            "timed out:" + new AckTimeoutException(),
            "failed:" + new SocketDisconnectedException())) {
      expected.add(what + "@" + loop);
    }
    assertEquals(expected, new java.util.TreeSet<>(calls));
  }

  /**
   * {@code connect()} on a socket the client's autoConnect already connects, called once the
   * connection is open and the socket's CONNECT is waiting for its answer, sends no second CONNECT:
   * the server would see a second handshake (here a second middleware run) or close the connection.
   */
  @Test
  void aSecondConnectWhileTheFirstIsPendingSendsNoSecondConnectPacket() {
    java.util.concurrent.BlockingQueue<dev.sio4j.server.Middleware.Next> handshakes =
        new java.util.concurrent.LinkedBlockingQueue<>();
    server.use((s, next) -> handshakes.add(next));
    SocketIoClient c = client();
    ClientSocket socket = c.socket("/");
    dev.sio4j.server.Middleware.Next first =
        assertDoesNotThrow(() -> handshakes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(first != null, "the first handshake reached the server");
    socket.connect();
    // Queued after the second connect(): sent once connected, after any second CONNECT.
    CompletableFuture<Arguments> echo = socket.timeout(WAIT).emitWithAck("echo", "after");
    first.proceed();
    Arguments answer = echo.orTimeout(WAIT.toSeconds() + 1, TimeUnit.SECONDS).join();
    assertEquals("after", answer.json(0).asText());
    assertEquals(0, handshakes.size(), "handshakes after the first one");
  }

  @Test
  void isClosedAnswersAtOnceFromAnyThread() throws Exception {
    SocketIoClient c = client();
    c.socket("/");
    AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();
    whileTheLoopIsHeld(
        c,
        () -> {
          closing.set(c.close());
          assertTrue(c.isClosed(), "closed as soon as close() returned");
        });
    await(closing.get());
    assertTrue(c.isClosed());
  }

  @Test
  void callsAfterTheClientClosedAreIgnoredAndAcksFailAtOnce() {
    SocketIoClient c = client();
    ClientSocket socket = c.socket("/");
    LineLog log = AbstractClientInteropTest.record(socket);
    log.await("connect", WAIT);
    await(c.close());
    assertDoesNotThrow(() -> socket.emit("after-close"));
    assertDoesNotThrow(
        () -> {
          socket.connect();
        });
    assertDoesNotThrow(
        () -> {
          socket.disconnect();
        });
    assertDoesNotThrow(() -> c.open());
    assertInstanceOf(
        SocketDisconnectedException.class,
        failure(socket.timeout(WAIT).emitWithAck("echo", "after-close")));
    assertEquals(List.of("connect", "disconnect:io client disconnect"), log.lines());
  }

  /** Records how a future completed. */
  @FunctionalInterface
  private interface Outcome {
    void ran(String what, Arguments result, Throwable error);
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }
}
