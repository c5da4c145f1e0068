package dev.sio4j.engineio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.AwaitingLog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An {@link EngineIoHandler} that records every callback, with the session and the thread it ran
 * on, in one {@link AwaitingLog}, so that tests can await them with a timeout.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Recorder implements EngineIoHandler {
  static final Duration WAIT = Duration.ofSeconds(10);

  record Closed(CloseReason reason, String description) {}

  record ConnectionError(EngineIoError error, String message, String uri) {}

  /** One callback: its kind, its session (null for connection errors), what it carried. */
  private record Call(Kind kind, String sid, Object value, String thread) {
    boolean is(Kind k, String id) {
      return kind == k && (id == null || id.equals(sid));
    }

    @Override
    public String toString() {
      Object shown = value instanceof byte[] b ? "binary(" + b.length + " bytes)" : value;
      return kind + (sid == null ? "" : "[" + sid + "]") + ":" + shown;
    }
  }

  private enum Kind {
    OPEN,
    MESSAGE,
    CLOSE,
    UPGRADE,
    CONNECTION_ERROR
  }

  private final AwaitingLog<Call> calls = new AwaitingLog<>(100_000);
  private final AwaitingLog<String> drains = new AwaitingLog<>(100_000);

  /** Runs in {@link #onOpen}, after recording. */
  volatile Consumer<EngineIoSocket> openAction = s -> {};

  /** Runs for every message (String or byte[]), after recording. */
  volatile BiConsumer<EngineIoSocket, Object> messageAction = (s, m) -> {};

  private void record(Kind kind, EngineIoSocket socket, Object value) {
    calls.add(
        new Call(
            kind, socket == null ? null : socket.id(), value, Thread.currentThread().getName()));
  }

  @Override
  public void onOpen(EngineIoSocket socket) {
    record(Kind.OPEN, socket, socket);
    openAction.accept(socket);
  }

  @Override
  public void onMessage(EngineIoSocket socket, String text) {
    record(Kind.MESSAGE, socket, text);
    messageAction.accept(socket, text);
  }

  @Override
  public void onBinary(EngineIoSocket socket, byte[] data) {
    record(Kind.MESSAGE, socket, data);
    messageAction.accept(socket, data);
  }

  @Override
  public void onClose(EngineIoSocket socket, CloseReason reason, String description) {
    record(Kind.CLOSE, socket, new Closed(reason, description));
  }

  /**
   * Kept apart from the other callbacks: a drain follows every poll that finds the session ready,
   * and tests that count a session's callbacks count the ones the reference also has.
   */
  @Override
  public void onDrain(EngineIoSocket socket) {
    drains.add(socket.id());
  }

  @Override
  public void onUpgrade(EngineIoSocket socket, TransportType transport) {
    record(Kind.UPGRADE, socket, transport);
  }

  @Override
  public void onConnectionError(EngineIoRequest request, EngineIoError error, String message) {
    record(Kind.CONNECTION_ERROR, null, new ConnectionError(error, message, request.uri()));
  }

  // ---- awaiting --------------------------------------------------------------------------------

  private static Predicate<Call> of(Kind kind, String sid) {
    return c -> c.is(kind, sid);
  }

  /** Takes the next opened session. */
  EngineIoSocket awaitOpen() {
    return (EngineIoSocket) calls.await(of(Kind.OPEN, null), WAIT, "session opened").value();
  }

  /** Every session opened so far. */
  List<EngineIoSocket> opened() {
    return calls.entries(of(Kind.OPEN, null)).stream()
        .map(c -> (EngineIoSocket) c.value())
        .toList();
  }

  /** The socket of session {@code sid}, waiting for its onOpen if needed. */
  EngineIoSocket socket(String sid) {
    return (EngineIoSocket)
        calls.awaitSeen(of(Kind.OPEN, sid), WAIT, "opening of session " + sid).value();
  }

  /** Takes the next message (String or byte[]) of session {@code sid}. */
  Object nextMessage(String sid) {
    return calls.await(of(Kind.MESSAGE, sid), WAIT, "message for session " + sid).value();
  }

  String nextText(String sid) {
    Object m = nextMessage(sid);
    if (!(m instanceof String)) {
      throw new AssertionError("expected a text message for " + sid + ", got binary");
    }
    return (String) m;
  }

  byte[] nextBinary(String sid) {
    Object m = nextMessage(sid);
    if (!(m instanceof byte[])) {
      throw new AssertionError("expected a binary message for " + sid + ", got " + m);
    }
    return (byte[]) m;
  }

  /** Asserts that no message for {@code sid} is waiting. */
  void assertNoMessage(String sid) {
    calls.assertNone(of(Kind.MESSAGE, sid), Duration.ZERO, "message for " + sid);
  }

  Closed awaitClose(String sid) {
    return (Closed) calls.awaitSeen(of(Kind.CLOSE, sid), WAIT, "close of session " + sid).value();
  }

  void assertClose(String sid, CloseReason reason, String description) {
    assertEquals(new Closed(reason, description), awaitClose(sid));
  }

  boolean isClosed(String sid) {
    return calls.contains(of(Kind.CLOSE, sid));
  }

  /** Takes the next drain of session {@code sid}. */
  void awaitDrain(String sid) {
    drains.await(sid::equals, WAIT, "drain of session " + sid);
  }

  TransportType awaitUpgrade(String sid) {
    return (TransportType)
        calls.awaitSeen(of(Kind.UPGRADE, sid), WAIT, "upgrade of session " + sid).value();
  }

  /** Takes the next connection error. */
  ConnectionError nextConnectionError() {
    return (ConnectionError)
        calls.await(of(Kind.CONNECTION_ERROR, null), WAIT, "connection error").value();
  }

  /** The distinct threads the callbacks of {@code sid} ran on. */
  Set<String> threads(String sid) {
    return Set.copyOf(callbackThreads(sid));
  }

  /** The thread of every callback of {@code sid}, in order. */
  List<String> callbackThreads(String sid) {
    return calls.entries(c -> sid.equals(c.sid())).stream().map(Call::thread).toList();
  }
}
