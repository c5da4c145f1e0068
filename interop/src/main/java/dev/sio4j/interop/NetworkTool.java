package dev.sio4j.interop;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A system network tool (a load balancer, an HTTP proxy) run in the foreground as a child of the
 * test JVM, with a configuration file the test generates, listening on 127.0.0.1:{@code port}, and
 * stopped by its PID: {@link #haproxy} and {@link #tinyproxy}. Its standard output and error are
 * kept ({@link #output()}); a tool that logs to a file names it in its configuration, read with
 * {@link #file}.
 *
 * <p>Thread-safety: thread-safe; the output is read on a daemon thread and handed out as copies.
 */
public final class NetworkTool implements AutoCloseable {
  private static final int MAX_LINES = 20_000;

  private final String name;
  private final Process process;
  private final ProcessWatchdog watchdog;
  private final Path dir;
  private final int port;
  private final List<String> lines = new ArrayList<>();

  private NetworkTool(String name, Process process, Path dir, int port) {
    this.name = name;
    this.process = process;
    this.watchdog = ProcessWatchdog.watch(process, "sio4j-" + name);
    this.dir = dir;
    this.port = port;
  }

  /**
   * The executable {@code name} on the {@code PATH}, or in {@code /usr/sbin} or {@code
   * /usr/local/sbin} (where Debian puts daemons, often not on a user's {@code PATH}).
   */
  public static Optional<Path> executable(String name) {
    List<Path> candidates = new ArrayList<>();
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty()) {
        candidates.add(Path.of(d, name));
      }
    }
    candidates.add(Path.of("/usr/sbin", name));
    candidates.add(Path.of("/usr/local/sbin", name));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /**
   * HAProxy in the foreground ({@code -db}: no daemon, no master, so the PID is the proxy itself)
   * with this {@code haproxy.cfg}, which must bind 127.0.0.1:{@code port}.
   */
  public static NetworkTool haproxy(String config, int port, Duration timeout) {
    Path exe = executable("haproxy").orElseThrow(() -> new IllegalStateException("no haproxy"));
    return haproxy(exe, config, port, timeout);
  }

  /** As {@link #haproxy(String, int, Duration)}, with this haproxy executable. */
  public static NetworkTool haproxy(Path exe, String config, int port, Duration timeout) {
    return start(
        "haproxy",
        config,
        "haproxy.cfg",
        cfg -> List.of(exe.toString(), "-db", "-f", cfg.toString()),
        port,
        timeout);
  }

  /**
   * tinyproxy in the foreground ({@code -d}) with a configuration made by {@code config} from the
   * directory it runs in (where a {@code LogFile} can go), which must listen on 127.0.0.1:{@code
   * port}.
   */
  public static NetworkTool tinyproxy(Function<Path, String> config, int port, Duration timeout) {
    Path exe = executable("tinyproxy").orElseThrow(() -> new IllegalStateException("no tinyproxy"));
    Path dir = tempDir("tinyproxy");
    return start(
        "tinyproxy",
        dir,
        config.apply(dir),
        "tinyproxy.conf",
        cfg -> List.of(exe.toString(), "-d", "-c", cfg.toString()),
        port,
        timeout);
  }

  /**
   * tinyproxy on 127.0.0.1:{@code port} accepting local clients, tunnelling {@code CONNECT} to any
   * port, requiring Basic credentials when {@code basicAuth} holds {@code user password}, and
   * logging each request to {@link #TINYPROXY_LOG} (counted by {@link #tunnelsTo}).
   */
  public static NetworkTool tinyproxy(int port, Optional<String> basicAuth, Duration timeout) {
    return tinyproxy(
        dir ->
            String.join(
                    "\n",
                    "Port " + port,
                    "Listen 127.0.0.1",
                    "Timeout 60",
                    "MaxClients 50",
                    "LogFile \"" + dir.resolve(TINYPROXY_LOG) + "\"",
                    "LogLevel Connect",
                    "Allow 127.0.0.1",
                    // No ConnectPort line: CONNECT to any port (test servers use free ones).
                    basicAuth.map(a -> "BasicAuth " + a).orElse(""))
                + "\n",
        port,
        timeout);
  }

  /** The log file of {@link #tinyproxy(int, Optional, Duration)}. */
  public static final String TINYPROXY_LOG = "tinyproxy.log";

  /** How many {@code CONNECT 127.0.0.1:port} requests a tinyproxy has logged so far. */
  public int tunnelsTo(int targetPort) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("CONNECT 127\\.0\\.0\\.1:" + targetPort + " ")
            .matcher(file(TINYPROXY_LOG));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static NetworkTool start(
      String name,
      String config,
      String configName,
      Function<Path, List<String>> command,
      int port,
      Duration timeout) {
    return start(name, tempDir(name), config, configName, command, port, timeout);
  }

  private static Path tempDir(String name) {
    try {
      return Files.createTempDirectory("sio4j-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NetworkTool start(
      String name,
      Path dir,
      String config,
      String configName,
      Function<Path, List<String>> command,
      int port,
      Duration timeout) {
    Path cfg = dir.resolve(configName);
    NetworkTool tool;
    try {
      Files.writeString(cfg, config, StandardCharsets.UTF_8);
      ProcessBuilder builder =
          new ProcessBuilder(command.apply(cfg))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      tool = new NetworkTool(name, builder.start(), dir, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    Thread reader = new Thread(tool::readOutput, name + "-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!tool.accepts()) {
      if (!tool.process.isAlive() || System.nanoTime() > deadline) {
        tool.close();
        throw new AssertionError(
            name
                + " did not start listening on 127.0.0.1:"
                + port
                + "\n--- "
                + configName
                + " ---\n"
                + config
                + "\n--- output ---\n"
                + tool.output());
      }
      // Bounded poll: nothing tells us when another process' port is open.
      waitFor(tool.process, Duration.ofMillis(50));
    }
    return tool;
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private void readOutput() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (lines) {
          if (lines.size() < MAX_LINES) {
            lines.add(line);
          }
        }
      }
    } catch (IOException ignored) {
      // The process is gone.
    }
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Its process id. */
  public long pid() {
    return process.pid();
  }

  /** Every line it printed so far, in order (a copy). */
  public List<String> outputLines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Everything it printed so far. */
  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** A file of its working directory (a log it writes), empty if it does not exist (yet). */
  public String file(String fileName) {
    try {
      Path p = dir.resolve(fileName);
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops it by its PID (SIGTERM, SIGKILL after 5 s) and deletes its directory. */
  @Override
  public void close() {
    watchdog.close();
    process.destroy();
    if (!waitFor(process, Duration.ofSeconds(5))) {
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(5));
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // A temporary directory left behind is harmless.
    }
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + ", 127.0.0.1:" + port + "]";
  }
}
