package dev.sio4j.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Headless Chromium, the system's (never a downloaded one), driven through {@code
 * interop/js/chat-browser.mjs} (playwright-core) one command at a time. Every command is bounded
 * twice: by Playwright ({@code ms}, the given default unless the command names one) and, a little
 * later, by the wait for its reply here. The browser tests of every module share it.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** The Chromium binary: {@code -Dsio4j.chromium}, else Debian's {@code /usr/bin/chromium}. */
  public static final String CHROMIUM = System.getProperty("sio4j.chromium", "/usr/bin/chromium");

  private final NodeScript script;
  private final Duration defaultWait;
  private final AtomicLong ids = new AtomicLong();

  private HeadlessChromium(NodeScript script, Duration defaultWait) {
    this.script = script;
    this.defaultWait = defaultWait;
  }

  /**
   * Starts Chromium.
   *
   * @param purpose what needs it, for the message when Chromium is missing ("the chat's browser
   *     tests")
   * @param defaultWait the bound of a command that names none
   * @throws AssertionError when Chromium is not installed or does not start within 30 s
   */
  public static HeadlessChromium launch(String purpose, Duration defaultWait) {
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      throw new AssertionError(
          "Chromium is needed for "
              + purpose
              + " but "
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
    return new HeadlessChromium(script, defaultWait);
  }

  /**
   * Runs a command on a page and returns its value.
   *
   * @param keyValues the command's further fields, as name, value, name, value...
   * @throws AssertionError when the command is refused or not answered in time, with the transcript
   */
  public JsonNode call(String cmd, String page, Object... keyValues) {
    Map<String, Object> command = new LinkedHashMap<>();
    long id = ids.incrementAndGet();
    command.put("id", id);
    command.put("cmd", cmd);
    command.put("page", page);
    command.put("ms", defaultWait.toMillis());
    for (int i = 0; i < keyValues.length; i += 2) {
      command.put((String) keyValues[i], keyValues[i + 1]);
    }
    Duration wait = Duration.ofMillis(((Number) command.get("ms")).longValue());
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

  /** What the browser script printed, for failure messages. */
  public String transcript() {
    return script.transcript();
  }

  /** Closes the browser and stops its script. */
  @Override
  public void close() {
    script.close();
  }
}
