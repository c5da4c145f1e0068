package dev.sio4j.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Admin UI tests' view of {@link HeadlessChromium}: waits, form filling and screenshots.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
final class UiBrowser implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);

  private final HeadlessChromium chromium;

  private UiBrowser(HeadlessChromium chromium) {
    this.chromium = chromium;
  }

  static UiBrowser launch() {
    return new UiBrowser(HeadlessChromium.launch("the Admin UI's browser test", WAIT));
  }

  /** Runs a command on page {@code page}; a refusal fails the test with the transcript. */
  JsonNode call(String cmd, String page, Object... keyValues) {
    return chromium.call(cmd, page, keyValues);
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
    return chromium.transcript();
  }

  @Override
  public void close() {
    chromium.close();
  }
}
