package dev.sio4j.examples.chat;

import dev.sio4j.interop.NetworkTool;
import dev.sio4j.interop.NodeScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HAProxy in front of chat nodes, run in the foreground ({@code -db}) as a child of the test
 * JVM and stopped by its PID (interop's {@link NetworkTool} runs it), with the configuration the
 * README shows ("Worked example: three chat nodes behind HAProxy"), read from README.md itself so
 * that the sample users copy is the one that is tested. Only addresses change: the frontend's
 * {@code 127.0.0.1:8080} and the nodes' {@code 127.0.0.1:3001..3003} become free ports.
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

  private final NetworkTool tool;

  private HaProxy(NetworkTool tool) {
    this.tool = tool;
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
    return NetworkTool.executable("haproxy");
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
    return new HaProxy(NetworkTool.haproxy(executable, config, port, timeout));
  }

  int port() {
    return tool.port();
  }

  long pid() {
    return tool.pid();
  }

  /** Every request logged so far, in the order they ended. */
  List<Request> requests() {
    List<Request> requests = new ArrayList<>();
    for (String line : tool.outputLines()) {
      Matcher m = HTTPLOG.matcher(line);
      if (m.matches()) {
        requests.add(new Request(m.group(2), Integer.parseInt(m.group(3)), m.group(4), m.group(5)));
      }
    }
    return requests;
  }

  /** Everything it printed (log lines, warnings, alerts), for failure messages. */
  String output() {
    return tool.output();
  }

  /** Stops it by its PID (SIGTERM, SIGKILL after 5 s) and deletes its directory. */
  @Override
  public void close() {
    tool.close();
  }
}
