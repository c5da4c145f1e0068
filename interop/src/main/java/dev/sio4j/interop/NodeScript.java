package dev.sio4j.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Node.js fixture script from {@code interop/js/} running as a child process, seen as a stream of
 * JSON events.
 *
 * <p>Each stdout line a script prints is one JSON object with an {@code "event"} field, for example
 * {@code {"event":"connect","id":"..."}}. Lines are read on a daemon thread as they arrive; {@link
 * #await(String, Duration)} hands them out in order per event name, so a test may wait for an event
 * that has already happened. Lines that are not JSON events, and everything on stderr, are kept for
 * the diagnostics attached to every failure. Commands go to the script as JSON lines on its stdin
 * ({@link #send(String)}); closing stdin tells a script to finish, which is also what happens when
 * the JVM dies, so a crashed test run does not leave Node processes behind.
 *
 * <p>Every wait is bounded: an event that does not come, or a script that exits first, fails the
 * test with an {@link AssertionError} carrying the script's whole transcript.
 *
 * <p>The interop directory (holding {@code js/} and {@code node_modules/}) is taken from the system
 * property {@code sio4j.interop.dir}, else found by walking up from the working directory to a
 * folder containing {@code interop/package.json}. The Node executable is {@code node} on the {@code
 * PATH} unless the system property {@code sio4j.node} names another.
 *
 * <p>Thread-safety: all methods may be called from any thread. Events are handed out under one
 * lock, so two threads awaiting the same event name each receive a different event.
 */
public final class NodeScript implements AutoCloseable {

  /** System property naming the interop directory explicitly. */
  public static final String INTEROP_DIR_PROPERTY = "sio4j.interop.dir";

  /** System property naming the Node executable. */
  public static final String NODE_PROPERTY = "sio4j.node";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Bounds the transcript so a chatty script cannot exhaust the test JVM's heap. */
  private static final int MAX_TRANSCRIPT_LINES = 5_000;

  private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

  private final String name;
  private final Process process;
  private final OutputStream stdin;
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private final Object lock = new Object();
  // Guarded by lock.
  private final List<JsonNode> events = new ArrayList<>();
  private final Map<String, Integer> cursors = new HashMap<>();
  private final Deque<String> transcript = new ArrayDeque<>();
  private int droppedTranscriptLines;
  private boolean stdoutClosed;

  private NodeScript(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.stdoutReader = reader(process.getInputStream(), "stdout", this::onStdoutLine);
    this.stderrReader = reader(process.getErrorStream(), "stderr", line -> record("err| " + line));
    stdoutReader.start();
    stderrReader.start();
  }

  /**
   * Starts {@code node interop/js/<script> <args...>}.
   *
   * @param script file name in {@code interop/js/}, for example {@code "socketio-client.mjs"}
   * @param args command-line arguments for the script
   * @throws IllegalStateException if the script or {@code node_modules} is missing, or Node cannot
   *     be started
   */
  public static NodeScript start(String script, String... args) {
    Objects.requireNonNull(script, "script");
    Path dir = interopDir();
    Path file = dir.resolve("js").resolve(script);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no such interop script: " + file);
    }
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      throw new IllegalStateException(
          "npm packages are not installed in "
              + dir
              + ": run `mvn -pl interop generate-resources` or `npm install` there");
    }
    List<String> command = new ArrayList<>();
    command.add(System.getProperty(NODE_PROPERTY, "node"));
    command.add(file.toString());
    for (String arg : args) {
      command.add(Objects.requireNonNull(arg, "args element"));
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    try {
      return new NodeScript(script, builder.start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
  }

  /**
   * The directory holding {@code package.json}, {@code js/} and {@code node_modules/}.
   *
   * @throws IllegalStateException if it cannot be found
   */
  public static Path interopDir() {
    String configured = System.getProperty(INTEROP_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured).toAbsolutePath().normalize();
      if (!Files.isRegularFile(dir.resolve("package.json"))) {
        throw new IllegalStateException(INTEROP_DIR_PROPERTY + " has no package.json: " + dir);
      }
      return dir;
    }
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("interop");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no interop/package.json above "
            + start
            + "; set the system property "
            + INTEROP_DIR_PROPERTY);
  }

  /**
   * Waits for the next {@code event} line with this name that no earlier {@code await} for the same
   * name has returned.
   *
   * @throws AssertionError with the script's transcript if it does not arrive within {@code
   *     timeout}, or if the script's stdout closes first
   */
  public JsonNode await(String event, Duration timeout) {
    return await(event, node -> true, timeout);
  }

  /**
   * Like {@link #await(String, Duration)}, but skips (and consumes) events of this name that do not
   * match {@code filter}.
   */
  public JsonNode await(String event, Predicate<JsonNode> filter, Duration timeout) {
    Objects.requireNonNull(event, "event");
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        int cursor = cursors.getOrDefault(event, 0);
        int seen = 0;
        for (JsonNode node : events) {
          if (!event.equals(node.path("event").asText())) {
            continue;
          }
          if (seen++ < cursor) {
            continue;
          }
          cursors.put(event, ++cursor);
          if (filter.test(node)) {
            return node;
          }
        }
        if (stdoutClosed) {
          break;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw failure("timed out after " + timeout + " waiting for event '" + event + "'");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failure("interrupted waiting for event '" + event + "'");
        }
      }
    }
    // The script's stdout is closed. Its last stderr lines usually explain why, and the stderr
    // reader needs the lock to record them, so it is joined only after leaving the lock.
    joinQuietly(stderrReader, Duration.ofSeconds(1));
    throw failure("script ended before event '" + event + "'");
  }

  /** A snapshot of every event line received so far, in arrival order. */
  public List<JsonNode> events() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }

  /** A snapshot of the events of one name received so far, in arrival order. */
  public List<JsonNode> events(String event) {
    synchronized (lock) {
      return events.stream().filter(n -> event.equals(n.path("event").asText())).toList();
    }
  }

  /**
   * Writes one command line to the script's stdin.
   *
   * @param jsonLine a JSON object on one line, such as {@code {"cmd":"close"}}
   * @throws AssertionError if the script no longer reads its stdin
   */
  public void send(String jsonLine) {
    if (jsonLine.indexOf('\n') >= 0 || jsonLine.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a command must be a single line: " + jsonLine);
    }
    byte[] bytes = (jsonLine + "\n").getBytes(StandardCharsets.UTF_8);
    // Serialised so that concurrent senders cannot interleave halves of two lines.
    synchronized (stdin) {
      try {
        stdin.write(bytes);
        stdin.flush();
      } catch (IOException e) {
        throw failure("cannot send " + jsonLine + ": " + e.getMessage());
      }
    }
    record("in | " + jsonLine);
  }

  /** Serialises {@code command} (a Jackson tree, a Map, a record...) as JSON and sends it. */
  public void sendJson(Object command) {
    try {
      send(MAPPER.writeValueAsString(command));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits for the script to exit by itself and for its output to be read.
   *
   * @return the exit code
   * @throws AssertionError if it is still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw failure("still running after " + timeout);
      }
      // Output written just before the exit may still be in the pipe; tests expect to see it.
      long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      stdoutReader.join(remainingMillis);
      stderrReader.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted waiting for exit");
    }
    return process.exitValue();
  }

  /** Whether the Node process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process id, for diagnostics. */
  public long pid() {
    return process.pid();
  }

  /** Everything the script printed and was sent so far, one line each, prefixed by the stream. */
  public String transcript() {
    synchronized (lock) {
      StringBuilder text = new StringBuilder();
      if (droppedTranscriptLines > 0) {
        text.append("... ").append(droppedTranscriptLines).append(" earlier lines dropped\n");
      }
      for (String line : transcript) {
        text.append(line).append('\n');
      }
      return text.toString();
    }
  }

  /**
   * Stops the script and any process it started: a polite signal first, then a forced kill after a
   * few seconds. Idempotent.
   */
  @Override
  public void close() {
    // Collected before the parent dies: orphans are re-parented and could no longer be found.
    List<ProcessHandle> descendants = process.descendants().toList();
    try {
      stdin.close();
    } catch (IOException ignored) {
      // The script may already be gone; closing its stdin is only a hint to finish.
    }
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
    try {
      if (!process.waitFor(CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
        process.destroyForcibly();
      }
      for (ProcessHandle child : descendants) {
        long remaining = Math.max(1, deadline - System.nanoTime());
        try {
          child.onExit().get(remaining, TimeUnit.NANOSECONDS);
        } catch (Exception notGone) {
          child.destroyForcibly();
        }
      }
      process.waitFor(CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills the Node process at once (SIGKILL), as a crash would, and waits until it is gone and its
   * output has been read. Processes it started are left to {@link #close()}.
   *
   * @throws AssertionError if it is still running after a few seconds
   */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
        throw failure("survived SIGKILL for " + CLOSE_GRACE);
      }
      stdoutReader.join(CLOSE_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted waiting for the killed process");
    }
  }

  @Override
  public String toString() {
    return "NodeScript[" + name + ", pid " + process.pid() + "]";
  }

  private void onStdoutLine(String line) {
    JsonNode node = parseEvent(line);
    synchronized (lock) {
      addTranscript("out| " + line);
      if (node != null) {
        events.add(node);
        lock.notifyAll();
      }
    }
  }

  private static JsonNode parseEvent(String line) {
    if (!line.startsWith("{")) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(line);
      return node.isObject() && node.path("event").isTextual() ? node : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  private void record(String line) {
    synchronized (lock) {
      addTranscript(line);
    }
  }

  private void addTranscript(String line) {
    transcript.addLast(line);
    if (transcript.size() > MAX_TRANSCRIPT_LINES) {
      transcript.removeFirst();
      droppedTranscriptLines++;
    }
  }

  private Thread reader(InputStream stream, String label, Consumer<String> sink) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                record("    " + label + " read failed: " + e);
              } finally {
                if (label.equals("stdout")) {
                  synchronized (lock) {
                    stdoutClosed = true;
                    lock.notifyAll();
                  }
                }
              }
            },
            "node-" + name + "-" + label);
    // Daemon: a test that forgets close() must not keep the JVM alive.
    thread.setDaemon(true);
    return thread;
  }

  private static void joinQuietly(Thread thread, Duration timeout) {
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private AssertionError failure(String message) {
    String exit = process.isAlive() ? "running" : "exited with " + process.exitValue();
    return new AssertionError(
        this + " " + message + " (process " + exit + ")\n--- transcript ---\n" + transcript());
  }
}
