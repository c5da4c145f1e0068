package dev.sio4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.AwaitingLog;
import dev.sio4j.server.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Records the events a socket receives, with their arguments, so that a test can wait for them:
 * {@link #await(String, Duration)}, {@link #awaitCount}, {@link #assertNoEvent}.
 *
 * <pre>{@code
 * EventRecorder events = EventRecorder.of(client);          // a ClientSocket or a server Socket
 * server.io().emit("news", "hello");
 * RecordedEvent news = events.await("news", Duration.ofSeconds(5));
 * assertEquals("hello", news.args().string(0));
 * events.assertNoEvent("news", Duration.ofMillis(200));     // nothing more
 * }</pre>
 *
 * <p>What {@link #attach attaching} records, by name:
 *
 * <ul>
 *   <li>every incoming event (through a catch-all listener), with its acknowledgement;
 *   <li>on a {@link ClientSocket}: {@code "connect"} (no arguments), {@code "connect_error"} (the
 *       message, and the data when the server sent some) and {@code "disconnect"} (the reason, e.g.
 *       {@code "io server disconnect"});
 *   <li>on a server {@link Socket}: {@code "disconnecting"} and {@code "disconnect"} (the reason,
 *       e.g. {@code "client namespace disconnect"}).
 * </ul>
 *
 * These names are reserved in Socket.IO, so they never clash with an application's events. A
 * recorder may be attached to several sockets (their events are then recorded together), and a
 * listener may {@link #record} events of its own.
 *
 * <p>Awaiting <em>takes</em> events: {@code await("news")} returns the first {@code news} event not
 * taken by an earlier await, so successive awaits see successive events, and events of other names
 * stay for later. {@link #events()} lists every event recorded, taken or not. Every wait is bounded
 * by the timeout it is given ({@link #DEFAULT_TIMEOUT} where none is); a failure is an {@link
 * AssertionError} naming the event, the timeout and the events recorded so far.
 *
 * <p>Bounded: a recorder keeps at most {@code capacity} events ({@link
 * AwaitingLog#DEFAULT_CAPACITY} by default). Beyond that, events are dropped and counted, and an
 * await that finds no match fails at once saying the recorder overflowed, rather than waiting for
 * an event that may have been dropped.
 *
 * <p>Thread-safety: thread-safe. Events are recorded on the sockets' event threads while the test
 * thread waits; any number of threads may record and await. The listeners it attaches do not block.
 */
public final class EventRecorder {
  /** The timeout of {@link #await(String)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  // Lifecycle arguments are plain strings and JSON nodes: any mapper writes them the same way.
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final AwaitingLog<RecordedEvent> log;

  private EventRecorder(int capacity) {
    this.log = new AwaitingLog<>(capacity);
  }

  /** A recorder attached to nothing yet, keeping at most {@link AwaitingLog#DEFAULT_CAPACITY}. */
  public static EventRecorder create() {
    return new EventRecorder(AwaitingLog.DEFAULT_CAPACITY);
  }

  /**
   * A recorder attached to nothing yet, keeping at most {@code capacity} events.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public static EventRecorder create(int capacity) {
    return new EventRecorder(capacity);
  }

  /** A recorder attached to {@code socket}. */
  public static EventRecorder of(ClientSocket socket) {
    return create().attach(socket);
  }

  /** A recorder attached to {@code socket}. */
  public static EventRecorder of(Socket socket) {
    return create().attach(socket);
  }

  /**
   * Records the incoming events and the connection changes of a Java client socket from now on.
   * Attach before the socket connects to see its {@code "connect"}.
   */
  public EventRecorder attach(ClientSocket socket) {
    Objects.requireNonNull(socket, "socket");
    socket.onAny(catchAll());
    socket.onConnect(() -> record("connect", Arguments.of(MAPPER)));
    socket.onConnectError(
        e ->
            record(
                "connect_error",
                e.data().isPresent()
                    ? Arguments.of(MAPPER, e.getMessage(), e.data().get())
                    : Arguments.of(MAPPER, e.getMessage())));
    socket.onDisconnect(r -> record("disconnect", Arguments.of(MAPPER, r.reason())));
    return this;
  }

  /**
   * Records the incoming events and the disconnection of a server socket from now on. Attach in the
   * connection listener, so that no event is missed.
   */
  public EventRecorder attach(Socket socket) {
    Objects.requireNonNull(socket, "socket");
    socket.onAny(catchAll());
    socket.onDisconnecting(r -> record("disconnecting", Arguments.of(MAPPER, r.text())));
    socket.onDisconnect(r -> record("disconnect", Arguments.of(MAPPER, r.text())));
    return this;
  }

  private AnyListener catchAll() {
    return new AnyListener() {
      @Override
      public void onEvent(String event, Arguments args) {
        record(event, args, Ack.NONE);
      }

      @Override
      public void onEvent(String event, Arguments args, Ack ack) {
        record(event, args, ack);
      }
    };
  }

  /** Records an event without an acknowledgement, as if a socket had received it. */
  public void record(String event, Arguments args) {
    record(event, args, Ack.NONE);
  }

  /** Records an event with its acknowledgement, as if a socket had received it. */
  public void record(String event, Arguments args, Ack ack) {
    log.add(new RecordedEvent(event, args, ack, Thread.currentThread().getName()));
  }

  /** Takes the next {@code event} not taken yet, waiting up to {@link #DEFAULT_TIMEOUT}. */
  public RecordedEvent await(String event) {
    return await(event, DEFAULT_TIMEOUT);
  }

  /**
   * Takes the next {@code event} not taken yet, waiting up to {@code timeout}.
   *
   * @throws AssertionError if none is recorded within {@code timeout}
   */
  public RecordedEvent await(String event, Duration timeout) {
    return log.await(named(event), timeout, describe(event));
  }

  /**
   * Takes the next {@code count} {@code event}s not taken yet, waiting up to {@code timeout} until
   * there are that many; takes none if there are fewer by then.
   *
   * @throws AssertionError if fewer than {@code count} are recorded within {@code timeout}
   */
  public List<RecordedEvent> awaitCount(String event, int count, Duration timeout) {
    return log.awaitCount(named(event), count, timeout, describe(event) + "s");
  }

  /**
   * Asserts that no {@code event} that was not taken yet is recorded now or within {@code
   * duration}; fails as soon as one is.
   *
   * @throws AssertionError if one is recorded, or the recorder overflowed
   */
  public void assertNoEvent(String event, Duration duration) {
    log.assertNone(named(event), duration, describe(event));
  }

  /** Every event recorded so far, taken or not, in order. */
  public List<RecordedEvent> events() {
    return log.entries();
  }

  /** Every {@code event} recorded so far, taken or not, in order. */
  public List<RecordedEvent> events(String event) {
    return log.entries(named(event));
  }

  /** How many events were dropped because the recorder was full. */
  public long dropped() {
    return log.dropped();
  }

  private static Predicate<RecordedEvent> named(String event) {
    Objects.requireNonNull(event, "event");
    return e -> e.name().equals(event);
  }

  private static String describe(String event) {
    return "event '" + event + "'";
  }

  @Override
  public String toString() {
    return "EventRecorder" + log.entries();
  }
}
