package dev.sio4j.engineio.testing;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Lines of text that a test's own callbacks record ({@code "connect"}, {@code "disconnect:io server
 * disconnect"}, {@code "mw:/admin"}), awaited by the test thread. It also remembers which thread
 * recorded each line, for tests of where callbacks run.
 *
 * <p>A <em>key</em> selects lines: it matches a line equal to it, and a key that ends with {@code
 * ':'} matches every line that starts with it. So {@code await("connect")} does not take {@code
 * "connect_error:..."}, and {@code await("disconnect:")} takes the next disconnection whatever its
 * reason. {@link #await} takes the first matching line not taken yet; other lines stay for later
 * awaits.
 *
 * <p>Bounded like the {@link AwaitingLog} it is built on ({@link AwaitingLog#DEFAULT_CAPACITY}
 * lines unless told); every wait is bounded ({@link #DEFAULT_TIMEOUT} unless told); a failed wait
 * is an {@link AssertionError} listing the lines recorded.
 *
 * <p>Thread-safety: thread-safe; lines may be added from any thread.
 */
public final class LineLog {
  /** The timeout of {@link #await(String)}. */
  public static final Duration DEFAULT_TIMEOUT = Await.WAIT;

  private record Line(String text, String thread) {
    @Override
    public String toString() {
      return text;
    }
  }

  private final AwaitingLog<Line> log;

  /** A log of at most {@link AwaitingLog#DEFAULT_CAPACITY} lines. */
  public LineLog() {
    this(AwaitingLog.DEFAULT_CAPACITY);
  }

  /** A log of at most {@code capacity} lines. */
  public LineLog(int capacity) {
    this.log = new AwaitingLog<>(capacity);
  }

  /** Records {@code line} with the name of the calling thread. */
  public void add(String line) {
    log.add(new Line(Objects.requireNonNull(line, "line"), Thread.currentThread().getName()));
  }

  /** Whether {@code key} selects {@code line} (see the class comment). */
  public static boolean matches(String line, String key) {
    return key.endsWith(":") ? line.startsWith(key) : line.equals(key);
  }

  /**
   * Takes the first line not taken yet that {@code key} selects, waiting {@link #DEFAULT_TIMEOUT}.
   */
  public String await(String key) {
    return await(key, DEFAULT_TIMEOUT);
  }

  /** Takes the first line not taken yet that {@code key} selects, waiting up to {@code timeout}. */
  public String await(String key, Duration timeout) {
    return log.await(selects(key), timeout, "line '" + key + "'").text();
  }

  /**
   * Asserts that no line that {@code key} selects (and that was not taken) comes within {@code
   * quiet}.
   */
  public void assertNoLine(String key, Duration quiet) {
    log.assertNone(selects(key), quiet, "line '" + key + "'");
  }

  /** Every line recorded so far, in order. */
  public List<String> lines() {
    return log.entries().stream().map(Line::text).toList();
  }

  /** Every line so far that starts with {@code prefix}, in order. */
  public List<String> lines(String prefix) {
    return log.entries(l -> l.text().startsWith(prefix)).stream().map(Line::text).toList();
  }

  /** The names of the threads that recorded lines, in the order first seen. */
  public Set<String> threads() {
    Set<String> out = new LinkedHashSet<>();
    log.entries().forEach(l -> out.add(l.thread()));
    return out;
  }

  private static Predicate<Line> selects(String key) {
    Objects.requireNonNull(key, "key");
    return l -> matches(l.text(), key);
  }

  @Override
  public String toString() {
    return "LineLog" + lines();
  }
}
