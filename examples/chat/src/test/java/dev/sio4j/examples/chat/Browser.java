package dev.sio4j.examples.chat;

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
 * Headless Chromium run by {@code interop/js/chat-browser.mjs} (playwright-core), one command at a
 * time. Every command is bounded twice: by Playwright ({@code ms}) and, a little later, by the wait
 * for its reply here.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
final class Browser implements AutoCloseable {
  /** The system's Chromium; never a downloaded one. */
  static final String CHROMIUM = System.getProperty("sio4j.chromium", "/usr/bin/chromium");

  static final Duration WAIT = Duration.ofSeconds(10);

  private final NodeScript script;
  private final AtomicLong ids = new AtomicLong();

  private Browser(NodeScript script) {
    this.script = script;
  }

  /** Starts Chromium; fails with a hint when it is not installed. */
  static Browser launch() {
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      fail(
          "Chromium is needed for the chat's browser tests but "
              + CHROMIUM
              + " is missing: install it with `apt-get install chromium` (scripts/test-all.sh does,"
              + " from scripts/system-packages.txt) or point -Dsio4j.chromium at one.");
    }
    NodeScript script =
        NodeScript.start("chat-browser.mjs", "--chromium=" + CHROMIUM, "--timeout=240");
    try {
      script.await("ready", Duration.ofSeconds(30));
    } catch (AssertionError e) {
      script.close();
      throw e;
    }
    return new Browser(script);
  }

  /** Runs a command and returns its value; a refusal fails the test with the transcript. */
  JsonNode call(String cmd, String page, Object... keyValues) {
    Map<String, Object> command = new LinkedHashMap<>();
    long id = ids.incrementAndGet();
    command.put("id", id);
    command.put("cmd", cmd);
    command.put("page", page);
    for (int i = 0; i < keyValues.length; i += 2) {
      command.put((String) keyValues[i], keyValues[i + 1]);
    }
    Duration wait = WAIT;
    if (command.get("ms") instanceof Number) {
      wait = Duration.ofMillis(((Number) command.get("ms")).longValue());
    }
    script.sendJson(command);
    JsonNode reply = script.await("reply", r -> r.path("id").asLong() == id, wait.plusSeconds(5));
    if (!reply.path("ok").asBoolean()) {
      throw new AssertionError(
          cmd
              + " on page "
              + page
              + " failed: "
              + reply.path("message").asText()
              + "\n--- browser transcript ---\n"
              + script.transcript());
    }
    return reply.path("value");
  }

  ChatPage open(String name, String url) {
    call("open", name, "url", url);
    return new ChatPage(this, name);
  }

  /** The browser's transcript, for failure messages. */
  String transcript() {
    return script.transcript();
  }

  @Override
  public void close() {
    script.close();
  }
}
