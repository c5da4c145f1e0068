package dev.sio4j.examples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.HeadlessChromium;
import java.time.Duration;

/**
 * The chat's view of {@link HeadlessChromium}: opens chat pages.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
final class Browser implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final HeadlessChromium chromium;

  private Browser(HeadlessChromium chromium) {
    this.chromium = chromium;
  }

  /** Starts Chromium; fails with a hint when it is not installed. */
  static Browser launch() {
    return new Browser(HeadlessChromium.launch("the chat's browser tests", WAIT));
  }

  /** Runs a command and returns its value; a refusal fails the test with the transcript. */
  JsonNode call(String cmd, String page, Object... keyValues) {
    return chromium.call(cmd, page, keyValues);
  }

  ChatPage open(String name, String url) {
    call("open", name, "url", url);
    return new ChatPage(this, name);
  }

  /** The browser's transcript, for failure messages. */
  String transcript() {
    return chromium.transcript();
  }

  @Override
  public void close() {
    chromium.close();
  }
}
