package dev.sio4j.examples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One person's chat tab, in the words of the page: log in, join a room, write, wait to see
 * something. Selectors live here only.
 *
 * <p>Thread-safety: not thread-safe, like {@link Browser}.
 */
final class ChatPage {
  private final Browser browser;
  private final String name;

  ChatPage(Browser browser, String name) {
    this.browser = browser;
    this.name = name;
  }

  /** Submits a nickname (accepted or not). */
  ChatPage submitNick(String nick) {
    call("fill", "selector", "#nick", "value", nick);
    call("click", "selector", "#login-button");
    return this;
  }

  /** Logs in and waits until #general is open. */
  ChatPage login(String nick) {
    submitNick(nick);
    waitVisible("#conv-title", "#general");
    waitVisible("#members li[data-nick='" + nick + "']", null);
    return this;
  }

  String loginError() {
    return waitVisible("#login-error", null);
  }

  ChatPage say(String text) {
    call("fill", "selector", "#text", "value", text);
    call("press", "selector", "#text", "key", "Enter");
    return this;
  }

  /** Types key by key without sending (fires the typing notice). */
  ChatPage typeSlowly(String text) {
    call("type", "selector", "#text", "keys", text);
    return this;
  }

  ChatPage joinRoom(String room) {
    call("fill", "selector", "#room-name", "value", room);
    call("press", "selector", "#room-name", "key", "Enter");
    waitVisible("#conv-title", "#" + room);
    return this;
  }

  ChatPage leaveRoom(String room) {
    call("click", "selector", "#room-list li[data-room='" + room + "'] .leave");
    waitGone("#room-list li.joined[data-room='" + room + "']");
    return this;
  }

  ChatPage openRoom(String room) {
    call("click", "selector", "#room-list li[data-room='" + room + "'] .open");
    waitVisible("#conv-title", "#" + room);
    return this;
  }

  /** Opens the private conversation with a member of the current room. */
  ChatPage openPrivate(String nick) {
    call("click", "selector", "#members li[data-nick='" + nick + "']");
    waitVisible("#conv-title", "@" + nick);
    return this;
  }

  ChatPage openDm(String nick) {
    call("click", "selector", "#dm-list li[data-dm='" + nick + "'] .open");
    waitVisible("#conv-title", "@" + nick);
    return this;
  }

  /** The visible message from {@code from} containing {@code text}, in the open conversation. */
  String waitMessage(String from, String text) {
    return waitVisible(".log:not([hidden]) .msg[data-from='" + from + "'] .text", text);
  }

  /** Waits for my message with this text to show its delivered tick. */
  void waitDelivered(String text) {
    waitVisible(".log:not([hidden]) .msg.mine.delivered[data-id] .text", text);
  }

  String waitSystem(String text) {
    return waitVisible(".log:not([hidden]) .system", text);
  }

  /** The texts of the messages of a conversation ("room:general", "dm:bob"). */
  List<String> messages(String conversation) {
    List<String> list = new ArrayList<>();
    call("texts", "selector", ".log[data-conv='" + conversation + "'] .msg .text")
        .forEach(n -> list.add(n.asText()));
    return list;
  }

  /** The texts of the system lines of a conversation ("room:general"). */
  List<String> systemLines(String conversation) {
    List<String> list = new ArrayList<>();
    call("texts", "selector", ".log[data-conv='" + conversation + "'] .system")
        .forEach(n -> list.add(n.asText()));
    return list;
  }

  /**
   * Where the banner ends and where the parts it must not cover begin (pixels from the top), and
   * whether the composer still fits in the window: {@code {banner, header, sidebar, people,
   * composerFits}}.
   */
  JsonNode bannerLayout() {
    return eval(
        "(() => { const r = (s) => document.querySelector(s).getBoundingClientRect();"
            + " return {banner: r('#banner').bottom, header: r('#conv-header').top,"
            + " title: r('#conv-title').top, sidebar: r('#sidebar .me').top,"
            + " people: r('#people h2').top,"
            + " composerFits: r('#composer').bottom <= window.innerHeight + 0.5}; })()");
  }

  String waitVisible(String selector, String text) {
    return text == null
        ? call("waitFor", "selector", selector).asText()
        : call("waitFor", "selector", selector, "text", text).asText();
  }

  void waitGone(String selector) {
    call("waitFor", "selector", selector, "state", "detached");
  }

  void waitHidden(String selector) {
    waitHidden(selector, Browser.WAIT.toMillis());
  }

  void waitHidden(String selector, long ms) {
    call("waitFor", "selector", selector, "state", "hidden", "ms", ms);
  }

  /** Waits until a JavaScript expression is truthy in the page. */
  JsonNode waitUntil(String expression, long ms) {
    return call("waitFunction", "expr", expression, "ms", ms);
  }

  JsonNode eval(String expression) {
    return call("eval", "expr", expression);
  }

  JsonNode stats() {
    return call("stats");
  }

  void screenshot(String path) {
    call("screenshot", "path", path);
  }

  void close() {
    call("closePage");
  }

  JsonNode call(String cmd, Object... keyValues) {
    return browser.call(cmd, name, keyValues);
  }
}
