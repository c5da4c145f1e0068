package dev.sio4j.examples.chat;

import dev.sio4j.interop.NodeScript;
import dev.sio4j.interop.ProcessWatchdog;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real HAProxy in front of chat nodes, run in the foreground ({@code -db}) as a child of the test
 * JVM and stopped by its PID, with the configuration the README shows ("Worked example: three chat
 * nodes behind HAProxy"), read from README.md itself so that the sample users copy is the one that
 * is tested. Only addresses change: the frontend's {@code 127.0.0.1:8080} and the nodes' {@code
 * 127.0.0.1:3001..3003} become free ports.
 *
 * <p>The configuration logs every request to standard output ({@code option httplog}), which is how
 * a test sees which node took which request: {@link #requests()}.
 *
 * <p>Thread-safety: thread-safe; the log is read on a daemon thread and handed out as copies.
 */
final class HaProxy implements AutoCloseable {
  /** System property naming the haproxy executable. */
  static final String EXECUTABLE_PROPERTY = "sio4j.haproxy";

  static final String README_SECTION = "### Worked example: three chat nodes behind HAProxy";

  /** Bounds what is kept of its log; a test run makes a few hundred requests. */
  private static final int MAX_LOG_LINES = 20_000;

  /**
   * An {@code option httplog} line: {@code client [date] frontend backend/server Tq/Tw/Tc/Tr/Ta
   * status bytes ... "METHOD uri HTTP/1.1"}.
   */
  private static final Pattern HTTPLOG =
      Pattern.compile(
          "^\\S+ \\[[^]]+] \\S+ ([^/\\s]+)/(\\S+) \\S+ (-?\\d+) .*\"(\\S+) (\\S+)[^\"]*\"$");

  private static final Pattern SID = Pattern.compile("[?&]sid=([^&]+)");

  /** One request as HAProxy logged it, once it was over. */
  record Request(String server, int status, String method, String uri) {
    /** The Engine.IO session it belongs to, if it names one. */
    Optional<String> sid() {
      Matcher m = SID.matcher(uri);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
  }

  private final Process process;
  private final ProcessWatchdog watchdog;
  private final Path dir;
  private final int port;
  private final List<String> log = new ArrayList<>();

  private HaProxy(Process process, Path dir, int port) {
    this.process = process;
    this.watchdog = ProcessWatchdog.watch(process, "sio4j-haproxy");
    this.dir = dir;
    this.port = port;
  }

  /**
   * The haproxy executable: {@code -Dsio4j.haproxy}, else {@code haproxy} on the {@code PATH}, else
   * {@code /usr/sbin/haproxy} (where the Debian package puts it, often not on a user's {@code
   * PATH}).
   */
  static Optional<Path> executable() {
    String configured = System.getProperty(EXECUTABLE_PROPERTY);
    if (configured != null) {
      Path p = Path.of(configured);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "haproxy"));
      }
    }
    candidates.add(Path.of("/usr/sbin/haproxy"));
    candidates.add(Path.of("/usr/local/sbin/haproxy"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** The {@code haproxy.cfg} block of the README's worked example, as the README shows it. */
  static String readmeConfig() {
    Path readme = NodeScript.interopDir().getParent().resolve("README.md");
    String text;
    try {
      text = Files.readString(readme, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + readme, e);
    }
    int section = text.indexOf("\n" + README_SECTION + "\n");
    if (section < 0) {
      throw new AssertionError(readme + " has no section \"" + README_SECTION + "\"");
    }
    // The block right after the line "`haproxy.cfg`:" in that section.
    int label = text.indexOf("\n`haproxy.cfg`:\n", section);
    int next = text.indexOf("\n## ", section + 1);
    if (label < 0 || (next >= 0 && label > next)) {
      throw new AssertionError("the README's worked example has no `haproxy.cfg`: block");
    }
    int open = text.indexOf("```", label);
    int start = text.indexOf('\n', open) + 1;
    int end = text.indexOf("\n```", start);
    if (open < 0 || end < 0) {
      throw new AssertionError("the README's haproxy.cfg block is not a fenced block");
    }
    return text.substring(start, end + 1);
  }

  /**
   * The README's configuration on other ports: {@code 127.0.0.1:8080} becomes {@code port} and
   * {@code 127.0.0.1:3001}, {@code :3002}, {@code :3003} the nodes' ports, each found exactly once
   * (so that a README whose addresses change fails here rather than testing something else).
   */
  static String onPorts(String config, int port, List<Integer> nodePorts) {
    String result = replaceOnce(config, "127.0.0.1:8080", "127.0.0.1:" + port);
    for (int i = 0; i < nodePorts.size(); i++) {
      result = replaceOnce(result, "127.0.0.1:" + (3001 + i), "127.0.0.1:" + nodePorts.get(i));
    }
    return result;
  }

  private static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) {
      throw new AssertionError("expected " + from + " once in the README's haproxy.cfg:\n" + text);
    }
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  /**
   * Starts HAProxy in the foreground with {@code config} and waits until its frontend on
   * 127.0.0.1:{@code port} accepts connections.
   */
  static HaProxy start(Path executable, String config, int port, Duration timeout) {
    Path dir;
    try {
      dir = Files.createTempDirectory("sio4j-haproxy-");
      Files.writeString(dir.resolve("haproxy.cfg"), config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path cfg = dir.resolve("haproxy.cfg");
    // -db: foreground, no daemon and no master process, so the PID we hold is the proxy itself.
    ProcessBuilder builder =
        new ProcessBuilder(executable.toString(), "-db", "-f", cfg.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    HaProxy proxy;
    try {
      proxy = new HaProxy(builder.start(), dir, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + executable, e);
    }
    Thread reader = new Thread(proxy::readLog, "haproxy-log");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!proxy.accepts()) {
      if (!proxy.process.isAlive() || System.nanoTime() > deadline) {
        proxy.close();
        throw new AssertionError(
            "haproxy did not start listening on 127.0.0.1:"
                + port
                + "\n--- haproxy.cfg ---\n"
                + config
                + "--- output ---\n"
                + proxy.output());
      }
      // Bounded poll: nothing tells us when another process' port is open.
      waitFor(proxy.process, Duration.ofMillis(50));
    }
    return proxy;
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private void readLog() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (log) {
          if (log.size() < MAX_LOG_LINES) {
            log.add(line);
          }
        }
      }
    } catch (IOException ignored) {
      // The process is gone.
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Every request logged so far, in the order they ended. */
  List<Request> requests() {
    List<Request> requests = new ArrayList<>();
    synchronized (log) {
      for (String line : log) {
        Matcher m = HTTPLOG.matcher(line);
        if (m.matches()) {
          requests.add(
              new Request(m.group(2), Integer.parseInt(m.group(3)), m.group(4), m.group(5)));
        }
      }
    }
    return requests;
  }

  /** Everything it printed (log lines, warnings, alerts), for failure messages. */
  String output() {
    synchronized (log) {
      return String.join("\n", log);
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
}
