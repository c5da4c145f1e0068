package dev.sio4j.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process on 127.0.0.1 and a free port, for tests that need Redis.
 *
 * <p>The server runs without persistence ({@code --save "" --appendonly no}) in a temporary
 * directory of its own, and is ready (answers {@code PING}) when {@link #start()} returns. A test
 * can crash it ({@link #kill()}), stop it politely ({@link #stop()}) and bring it back on the same
 * port ({@link #restart()}), which is how the fault tests simulate an outage. {@link #command}
 * sends one command over a plain socket for checks (no Redis client library is involved).
 *
 * <p>The executable is {@code redis-server} on the {@code PATH} unless the system property {@value
 * #EXECUTABLE_PROPERTY} names another. Its output goes to {@code redis.log} in its directory, whose
 * tail is part of every startup failure.
 *
 * <p>Nothing is left running: {@link #close()} stops the process by its PID and deletes the
 * directory; a JVM shutdown hook kills what a test forgot; and a tiny watchdog process (a shell
 * blocked reading a pipe from this JVM) kills the server when the JVM dies without running hooks.
 *
 * <p>Thread-safety: lifecycle methods ({@link #kill()}, {@link #stop()}, {@link #restart()}, {@link
 * #close()}) are serialised on this object; {@link #command} and the accessors may be called from
 * any thread at any time (a command to a server that is down fails with an {@link
 * UncheckedIOException}).
 */
public final class RedisServer implements AutoCloseable {

  /** System property naming the {@code redis-server} executable. */
  public static final String EXECUTABLE_PROPERTY = "sio4j.redis.server";

  /** How long {@link #command} waits to connect and for each read. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  /** Stands for a nil reply of {@link #command} (a null bulk string or array). */
  public static final Object NIL = Resp.NIL;

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PING_TIMEOUT = Duration.ofMillis(500);

  private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (RedisServer server : LIVE) {
                    server.close();
                  }
                },
                "redis-server-reaper"));
  }

  private final int port;
  private final Path dir;
  private final List<String> extraArgs;

  // Guarded by this.
  private Process process;
  private ProcessWatchdog watchdog;
  private boolean closed;

  private RedisServer(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = extraArgs;
  }

  /**
   * Starts a standalone server on a free port and waits until it answers {@code PING}.
   *
   * @throws IllegalStateException if {@code redis-server} cannot be started or is not ready within
   *     10 seconds
   */
  public static RedisServer start() {
    return start(FreePort.find(), List.of());
  }

  /**
   * Starts a server on a free port with more command-line arguments (for example {@code
   * "--cluster-enabled", "yes"}) and waits until it answers {@code PING}.
   *
   * @param extraArgs arguments appended to the defaults; a relative file name is resolved in the
   *     server's own directory
   */
  public static RedisServer start(String... extraArgs) {
    return start(FreePort.find(), List.of(extraArgs));
  }

  static RedisServer start(int port, List<String> extraArgs) {
    Path dir;
    try {
      dir = Files.createTempDirectory("sio4j-redis-" + port + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for redis-server", e);
    }
    RedisServer server = new RedisServer(port, dir, List.copyOf(extraArgs));
    LIVE.add(server);
    try {
      synchronized (server) {
        server.launch();
      }
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The port it listens on; the same across restarts. */
  public int port() {
    return port;
  }

  /** Its address for clients, {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Its working directory (holding {@code redis.log}, and {@code nodes.conf} for a cluster). */
  public Path dir() {
    return dir;
  }

  /** The current process id, or -1 when it is not running. */
  public synchronized long pid() {
    return process != null && process.isAlive() ? process.pid() : -1;
  }

  /** Whether the process is running. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Sends one command and returns its reply: a {@link String} for a simple or bulk string, a {@link
   * Long} for an integer, an unmodifiable {@link List} of these for an array, {@link #NIL} for a
   * nil.
   *
   * @throws ReplyException for an error reply (its message is the error line, e.g. {@code ERR ...})
   * @throws UncheckedIOException if the server cannot be reached or does not answer within {@link
   *     #COMMAND_TIMEOUT} (a {@link java.net.ConnectException} cause when it is down)
   */
  public Object command(String... args) {
    return Resp.command(port, COMMAND_TIMEOUT, args);
  }

  /**
   * Sends one command to any Redis server on 127.0.0.1 (a cluster node, for example); replies as
   * {@link #command(String...)}.
   */
  public static Object commandAt(int port, String... args) {
    return Resp.command(port, COMMAND_TIMEOUT, args);
  }

  /** Crashes the server (SIGKILL) and waits until the process is gone; no-op when not running. */
  public synchronized void kill() {
    terminate(true);
  }

  /** Stops the server gracefully (SIGTERM, killed after 5 s) and waits for it to exit. */
  public synchronized void stop() {
    terminate(false);
  }

  /**
   * Starts the server again on the same port (stopping it first if it still runs) and waits until
   * it answers {@code PING}. The old listening socket may linger briefly, so binding is retried.
   *
   * @throws IllegalStateException if it is not ready within 10 seconds, or after {@link #close()}
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    terminate(false);
    launch();
  }

  /** Stops the process by its PID and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      terminate(false);
    } finally {
      LIVE.remove(this);
      deleteDir();
    }
  }

  @Override
  public String toString() {
    return "RedisServer[" + uri() + "]";
  }

  /** An error reply from Redis. */
  public static final class ReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReplyException(String message) {
      super(message);
    }
  }

  private List<String> commandLine() {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty(EXECUTABLE_PROPERTY, "redis-server"));
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString(),
            "--daemonize",
            "no",
            // Tests talk to it from 127.0.0.1 only; no password, so protected mode does not matter.
            "--protected-mode",
            "no"));
    command.addAll(extraArgs);
    return command;
  }

  // Caller holds this.
  private void launch() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Path log = dir.resolve("redis.log");
    while (true) {
      ProcessBuilder builder =
          new ProcessBuilder(commandLine())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log.toFile()))
              .redirectInput(Redirect.from(new File("/dev/null")));
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot start "
                + builder.command().get(0)
                + " (install the redis-server package, or set -D"
                + EXECUTABLE_PROPERTY
                + ")",
            e);
      }
      watchdog = ProcessWatchdog.watch(process, "sio4j-redis");
      while (process.isAlive() && System.nanoTime() < deadline) {
        if (answersPing()) {
          return;
        }
        // A bounded poll: there is no event to wait for from another process' readiness.
        waitFor(process, Duration.ofMillis(50));
      }
      boolean exited = !process.isAlive();
      String tail = tail(log);
      terminate(true);
      if (exited && tail.contains("Address already in use") && System.nanoTime() < deadline) {
        // The previous incarnation's socket has not been released yet.
        waitFor(null, Duration.ofMillis(200));
        continue;
      }
      throw new IllegalStateException(
          "redis-server on port "
              + port
              + (exited ? " exited at startup" : " was not ready within " + READY_TIMEOUT)
              + "\n--- redis.log ---\n"
              + tail);
    }
  }

  private boolean answersPing() {
    try {
      return "PONG".equals(Resp.command(port, PING_TIMEOUT, "PING"));
    } catch (UncheckedIOException | ReplyException notYet) {
      return false;
    }
  }

  // Caller holds this.
  private void terminate(boolean forcibly) {
    // The watchdog goes first so that it can never kill a recycled PID later on.
    if (watchdog != null) {
      watchdog.close();
      watchdog = null;
    }
    if (process == null) {
      return;
    }
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
      if (!waitFor(process, STOP_TIMEOUT)) {
        process.destroyForcibly();
      }
    }
    if (!waitFor(process, STOP_TIMEOUT)) {
      throw new IllegalStateException("redis-server pid " + process.pid() + " does not exit");
    }
    process = null;
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      if (process == null) {
        // A retry back-off, not a stand-in for an event: the kernel tells nobody when a port frees.
        Thread.sleep(timeout.toMillis());
        return true;
      }
      return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void deleteDir() {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // A temp directory left behind is harmless; the process is what matters.
    }
  }
}
