package dev.sio4j.admin;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.NodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Headless Chromium (the system's, never a downloaded one) driven through {@code
 * interop/js/chat-browser.mjs} (playwright-core), one command at a time, each bounded by Playwright
 * and, a little later, by the wait for its reply here.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
final class UiBrowser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("sio4j.chromium", "/usr/bin/chromium");
  static final Duration WAIT = Duration.ofSeconds(15);

  private final NodeScript script;
  private final AtomicLong ids = new AtomicLong();

  private UiBrowser(NodeScript script) {
    this.script = script;
  }

  static UiBrowser launch() {
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      fail(
          "Chromium is needed for the Admin UI's browser test but "
              + CHROMIUM
              + " is missing: install it with `apt-get install chromium` or point -Dsio4j.chromium"
              + " at one.");
    }
    NodeScript script =
        NodeScript.start("chat-browser.mjs", "--chromium=" + CHROMIUM, "--timeout=240");
    try {
      script.await("ready", Duration.ofSeconds(30));
    } catch (AssertionError e) {
      script.close();
      throw e;
    }
    return new UiBrowser(script);
  }

  /** Runs a command on page {@code page}; a refusal fails the test with the transcript. */
  JsonNode call(String cmd, String page, Object... keyValues) {
    Map<String, Object> command = new LinkedHashMap<>();
    long id = ids.incrementAndGet();
    command.put("id", id);
    command.put("cmd", cmd);
    command.put("page", page);
    command.put("ms", WAIT.toMillis());
    for (int i = 0; i < keyValues.length; i += 2) {
      command.put((String) keyValues[i], keyValues[i + 1]);
    }
    script.sendJson(command);
    JsonNode reply = script.await("reply", r -> r.path("id").asLong() == id, WAIT.plusSeconds(5));
    if (!reply.path("ok").asBoolean()) {
      throw new AssertionError(
          cmd
              + " "
              + keyValues.length
              + " on page "
              + page
              + " failed: "
              + reply.path("message").asText()
              + "\n--- browser transcript ---\n"
              + script.transcript());
    }
    return reply.path("value");
  }

  /** Waits until an element matching {@code selector} (and containing {@code text}) is visible. */
  String waitVisible(String page, String selector, String text) {
    return text == null
        ? call("waitFor", page, "selector", selector).asText()
        : call("waitFor", page, "selector", selector, "text", text).asText();
  }

  /** Waits until no element matching {@code selector} (and containing {@code text}) is left. */
  void waitGone(String page, String selector, String text) {
    if (text == null) {
      call("waitFor", page, "selector", selector, "state", "detached");
    } else {
      call("waitFor", page, "selector", selector, "text", text, "state", "detached");
    }
  }

  void fill(String selector, String value) {
    call("fill", AdminUiBrowserTest.PAGE, "selector", selector, "value", value);
  }

  void screenshot(String page, Path file) {
    try {
      Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    call("screenshot", page, "path", file.toAbsolutePath().toString());
  }

  String transcript() {
    return script.transcript();
  }

  @Override
  public void close() {
    script.close();
  }
}
