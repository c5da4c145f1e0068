package dev.sio4j.engineio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sio4j.engineio.parser.TransportType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * An {@link EngineIoHandler} that records every callback, with the thread it ran on, so that tests
 * can await events with a timeout.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Recorder implements EngineIoHandler {
  static final Duration WAIT = Duration.ofSeconds(10);

  record Closed(CloseReason reason, String description) {}

  record ConnectionError(EngineIoError error, String message, String uri) {}

  final BlockingQueue<EngineIoSocket> opens = new LinkedBlockingQueue<>();
  final BlockingQueue<ConnectionError> connectionErrors = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<EngineIoSocket>> sockets = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<Object>> messages = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Closed>> closes = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<TransportType>> upgrades = new ConcurrentHashMap<>();
  private final Map<String, List<String>> threads = new ConcurrentHashMap<>();

  /** Runs in {@link #onOpen}, after recording. */
  volatile Consumer<EngineIoSocket> openAction = s -> {};

  /** Runs for every message (String or byte[]), after recording. */
  volatile BiConsumer<EngineIoSocket, Object> messageAction = (s, m) -> {};

  private void thread(EngineIoSocket socket) {
    threads
        .computeIfAbsent(socket.id(), k -> new CopyOnWriteArrayList<>())
        .add(Thread.currentThread().getName());
  }

  private BlockingQueue<Object> queue(String sid) {
    return messages.computeIfAbsent(sid, k -> new LinkedBlockingQueue<>());
  }

  private CompletableFuture<Closed> closeFuture(String sid) {
    return closes.computeIfAbsent(sid, k -> new CompletableFuture<>());
  }

  @Override
  public void onOpen(EngineIoSocket socket) {
    thread(socket);
    sockets.computeIfAbsent(socket.id(), k -> new CompletableFuture<>()).complete(socket);
    opens.add(socket);
    openAction.accept(socket);
  }

  @Override
  public void onMessage(EngineIoSocket socket, String text) {
    thread(socket);
    queue(socket.id()).add(text);
    messageAction.accept(socket, text);
  }

  @Override
  public void onBinary(EngineIoSocket socket, byte[] data) {
    thread(socket);
    queue(socket.id()).add(data);
    messageAction.accept(socket, data);
  }

  @Override
  public void onClose(EngineIoSocket socket, CloseReason reason, String description) {
    thread(socket);
    closeFuture(socket.id()).complete(new Closed(reason, description));
  }

  @Override
  public void onUpgrade(EngineIoSocket socket, TransportType transport) {
    thread(socket);
    upgrades.computeIfAbsent(socket.id(), k -> new CompletableFuture<>()).complete(transport);
  }

  @Override
  public void onConnectionError(EngineIoRequest request, EngineIoError error, String message) {
    connectionErrors.add(new ConnectionError(error, message, request.uri()));
  }

  // ---- awaiting --------------------------------------------------------------------------------

  EngineIoSocket awaitOpen() {
    try {
      EngineIoSocket s = opens.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(s, "no session opened within " + WAIT);
      return s;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The socket of session {@code sid}, waiting for its onOpen if needed. */
  EngineIoSocket socket(String sid) {
    try {
      return sockets
          .computeIfAbsent(sid, k -> new CompletableFuture<>())
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("session " + sid + " was never opened", e);
    }
  }

  Object nextMessage(String sid) {
    try {
      Object m = queue(sid).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(m, "no message for session " + sid + " within " + WAIT);
      return m;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  String nextText(String sid) {
    return assertInstanceOf(String.class, nextMessage(sid));
  }

  byte[] nextBinary(String sid) {
    return assertInstanceOf(byte[].class, nextMessage(sid));
  }

  /** Asserts that no message for {@code sid} is waiting. */
  void assertNoMessage(String sid) {
    Object m = queue(sid).poll();
    if (m != null) {
      fail("unexpected message for " + sid + ": " + m);
    }
  }

  Closed awaitClose(String sid) {
    try {
      return closeFuture(sid).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("session " + sid + " did not close within " + WAIT);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  void assertClose(String sid, CloseReason reason, String description) {
    assertEquals(new Closed(reason, description), awaitClose(sid));
  }

  boolean isClosed(String sid) {
    return closeFuture(sid).isDone();
  }

  TransportType awaitUpgrade(String sid) {
    try {
      return upgrades
          .computeIfAbsent(sid, k -> new CompletableFuture<>())
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("session " + sid + " did not upgrade within " + WAIT, e);
    }
  }

  ConnectionError nextConnectionError() {
    try {
      ConnectionError e = connectionErrors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(e, "no connection error within " + WAIT);
      return e;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The distinct threads the callbacks of {@code sid} ran on. */
  Set<String> threads(String sid) {
    return Set.copyOf(threads.getOrDefault(sid, List.of()));
  }

  List<String> callbackThreads(String sid) {
    return List.copyOf(threads.getOrDefault(sid, List.of()));
  }
}
