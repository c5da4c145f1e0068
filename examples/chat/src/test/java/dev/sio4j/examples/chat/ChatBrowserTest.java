package dev.sio4j.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat example end to end: its server in-process on a free 127.0.0.1 port, its page in headless
 * Chromium (two browser contexts: two people), driven through playwright-core.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatBrowserTest {
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("sio4j.chat.screenshots", "target/screenshots"));

  private static Browser browser;
  private ChatServer server;
  private final List<ChatPage> pages = new ArrayList<>();

  @BeforeAll
  static void launchBrowser() throws Exception {
    Files.createDirectories(SCREENSHOTS);
    browser = Browser.launch();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void startServer() {
    server = ChatServer.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    for (ChatPage page : pages) {
      try {
        page.close();
      } catch (AssertionError ignored) {
        // The page may already be gone with a failed test; the next test opens new ones.
      }
    }
    if (server != null) {
      server.close();
    }
  }

  private ChatPage open(String name, String query) {
    ChatPage page = browser.open(name, server.url() + query);
    pages.add(page);
    return page;
  }

  @Test
  void twoPeopleChatInARoomWithTypingIndicatorAndDeliveredTicks() {
    ChatPage alice = open("alice", "").login("alice");
    ChatPage bob = open("bob", "").login("bob");

    alice.waitSystem("bob joined #general");
    alice.waitVisible("#members li[data-nick='bob']", "bob");
    bob.waitVisible("#members li[data-nick='alice']", "alice");
    assertEquals("2", alice.waitVisible("#members-count", "2"));
    // By default the client upgrades to WebSocket.
    alice.waitUntil("document.body.dataset.transport === 'websocket'", 10_000);

    alice.say("Hi Bob! Did the build pass?");
    alice.waitDelivered("Hi Bob! Did the build pass?");
    bob.waitMessage("alice", "Hi Bob! Did the build pass?");
    String time = bob.waitVisible(".log:not([hidden]) .msg[data-from='alice'] time", null);
    assertTrue(time.matches(".*\\d{1,2}.\\d{2}.*"), "a time is shown: " + time);

    bob.typeSlowly("Yes, all green");
    alice.waitVisible("#typing", "bob is typing…");
    bob.call("press", "selector", "#text", "key", "Enter");
    bob.waitDelivered("Yes, all green");
    alice.waitMessage("bob", "Yes, all green");
    alice.waitUntil("document.querySelector('#typing').textContent === ''", 10_000);

    bob.joinRoom("random");
    bob.openRoom("general");
    alice.waitVisible("#room-list li:not(.joined)[data-room='random'] .count", "1");

    alice.say("Great, shipping it — merci, Zoë!");
    bob.waitMessage("alice", "shipping it");
    bob.typeSlowly("👍");
    alice.waitVisible("#typing", "bob is typing…");

    assertEquals(
        List.of(
            "Hi Bob! Did the build pass?", "Yes, all green", "Great, shipping it — merci, Zoë!"),
        alice.messages("room:general"));
    noConsoleErrors(alice);
    noConsoleErrors(bob);
    alice.screenshot(SCREENSHOTS.resolve("chat.png").toString());
  }

  @Test
  void privateMessageReachesOnlyItsRecipient() {
    ChatPage alice = open("alice", "").login("alice");
    ChatPage bob = open("bob", "").login("bob");
    ChatPage carol = open("carol", "").login("carol");
    alice.waitVisible("#members li[data-nick='bob']", "bob");

    alice.openPrivate("bob");
    alice.say("psst, the password is swordfish");
    alice.waitDelivered("swordfish");

    bob.waitVisible("#dm-list li[data-dm='alice'] .badge", "1");
    bob.openDm("alice");
    bob.waitMessage("alice", "swordfish");
    bob.say("got it");
    alice.waitMessage("bob", "got it");

    carol.waitVisible("#members li[data-nick='alice']", "alice");
    assertEquals(0, carol.eval("document.querySelectorAll('.log .msg').length").asInt());
    assertEquals(0, carol.eval("document.querySelectorAll('#dm-list li').length").asInt());
    assertEquals(0, bob.eval("document.querySelectorAll('#dm-list .badge').length").asInt());
  }

  @Test
  void roomsAreCreatedJoinedAndLeftWithHistoryAndMembers() {
    ChatPage alice = open("alice", "").login("alice");
    alice.joinRoom("Release-Train");
    alice.waitVisible("#members-room", "#release-train");
    for (int i = 1; i <= 3; i++) {
      alice.say("note " + i);
      alice.waitDelivered("note " + i);
    }

    ChatPage bob = open("bob", "").login("bob");
    bob.waitVisible("#room-list li[data-room='release-train'] .count", "1");
    bob.call("click", "selector", "#room-list li[data-room='release-train'] .join");
    bob.waitVisible("#conv-title", "#release-train");
    // The room's last messages arrive with the join.
    bob.waitMessage("alice", "note 3");
    assertEquals(List.of("note 1", "note 2", "note 3"), bob.messages("room:release-train"));
    alice.waitSystem("bob joined #release-train");
    alice.waitVisible("#members-count", "2");

    bob.leaveRoom("release-train");
    alice.waitSystem("bob left #release-train");
    alice.waitVisible("#members-count", "1");
    bob.waitVisible("#conv-title", "#general");
    bob.waitVisible("#room-list li:not(.joined)[data-room='release-train']", null);
  }

  @Test
  void nicknamesAreCheckedByTheServer() {
    open("alice", "").login("alice");
    ChatPage other = open("other", "");

    other.submitNick("");
    assertTrue(other.loginError().contains("pick a nickname"), other.loginError());
    other.submitNick("x".repeat(21));
    other.waitVisible("#login-error", "at most 20");
    other.submitNick("ALICE");
    other.waitVisible("#login-error", "is taken");
    other.screenshot(SCREENSHOTS.resolve("login-error.png").toString());

    other.login("alice2");
    other.waitVisible("#members li[data-nick='alice']", "alice");
  }

  @Test
  void chatWorksOverPollingWhenWebSocketIsBlocked() {
    ChatPage alice = open("alice", "?transport=polling").login("alice");
    ChatPage bob = open("bob", "?transport=polling").login("bob");
    alice.waitVisible("#members li[data-nick='bob']", "bob");

    alice.say("over long-polling");
    alice.waitDelivered("over long-polling");
    bob.waitMessage("alice", "over long-polling");
    alice.typeSlowly("typing");
    bob.waitVisible("#typing", "alice is typing…");
    bob.say("works here too");
    alice.waitMessage("bob", "works here too");

    for (ChatPage page : List.of(alice, bob)) {
      assertEquals("polling", page.eval("document.body.dataset.transport").asText());
      assertEquals(0, page.stats().path("websockets").asInt(), "no WebSocket was opened");
    }
  }

  @Test
  void missedMessagesComeBackAfterAShortDisconnection() {
    ChatPage alice = open("alice", "").login("alice");
    ChatPage bob = open("bob", "").login("bob");
    alice.say("before");
    bob.waitMessage("alice", "before");

    // Alice's network drops (and her page does not retry until told to).
    alice.eval("chat.socket.io.reconnection(false); chat.socket.io.engine.close(); true");
    alice.waitVisible("#banner", "Connection lost");
    assertBannerPushesThePageDown(alice);
    bob.waitSystem("alice went offline");
    bob.say("while you were away 1");
    bob.waitDelivered("while you were away 1");
    bob.say("while you were away 2");
    bob.waitDelivered("while you were away 2");

    alice.eval("chat.socket.io.reconnection(true); chat.socket.connect(); true");
    alice.waitHidden("#banner");
    alice.waitMessage("bob", "while you were away 2");
    List<String> seen = alice.messages("room:general");
    assertEquals(
        List.of("before", "while you were away 1", "while you were away 2"),
        seen,
        "each message once, in order");
  }

  @Test
  void pagesReconnectByThemselvesWhenTheServerRestarts() {
    // The server as a process of its own, stopped and started again as an operator would.
    int port = FreePort.find();
    ChatProcess chat = ChatProcess.start(port, Duration.ofSeconds(30));
    try {
      String url = "http://127.0.0.1:" + port + "/";
      ChatPage alice = browser.open("alice", url);
      pages.add(alice);
      ChatPage bob = browser.open("bob", url);
      pages.add(bob);
      alice.login("alice");
      bob.login("bob");
      alice.waitVisible("#members li[data-nick='bob']", "bob");

      chat.close();
      alice.waitVisible("#banner", "reconnecting");
      bob.waitVisible("#banner", "reconnecting");
      assertEquals("disconnected", alice.eval("document.body.dataset.state").asText());
      assertBannerPushesThePageDown(bob);

      chat = ChatProcess.start(port, Duration.ofSeconds(30));
      // The client's reconnection backoff (at most 3 s between attempts on this page) sets the
      // pace.
      alice.waitHidden("#banner", 20_000);
      bob.waitHidden("#banner", 20_000);
      alice.waitSystem("Reconnected");
      // Both joined #general again by themselves, with their nicknames.
      alice.waitVisible("#members li[data-nick='bob']", "bob");
      alice.say("still here after the restart");
      bob.waitMessage("alice", "still here after the restart");

      // Each page joined again (its answer came after any notice the join sent it)...
      for (ChatPage page : List.of(alice, bob)) {
        page.waitSystem("Reconnected");
        page.waitUntil("chat.state.joined.includes('general')", 10_000);
      }
      // ...without seeing its own join notice, and the server going away made nobody "go offline".
      List<String> aliceLines = alice.systemLines("room:general");
      List<String> bobLines = bob.systemLines("room:general");
      assertTrue(aliceLines.stream().noneMatch(l -> l.contains("alice joined")), aliceLines + "");
      assertTrue(bobLines.stream().noneMatch(l -> l.contains("bob joined")), bobLines + "");
      for (List<String> lines : List.of(aliceLines, bobLines)) {
        assertTrue(lines.stream().noneMatch(l -> l.contains("went offline")), lines + "");
      }
    } finally {
      chat.close();
    }
  }

  @Test
  void badInputIsAnsweredWithAnErrorEventAndNeverBroadcast() {
    ChatPage alice = open("alice", "").login("alice");
    ChatPage bob = open("bob", "").login("bob");
    alice.waitVisible("#members li[data-nick='bob']", "bob");

    assertEquals(
        "TEXT_TOO_LONG", emit(alice, "'message', {room: 'general', text: 'x'.repeat(501)}"));
    alice.waitVisible(".toast.error", "at most 500 characters");
    assertEquals("TEXT_EMPTY", emit(alice, "'message', {room: 'general', text: '   '}"));
    assertEquals("BAD_REQUEST", emit(alice, "'message', 'just a string'"));
    assertEquals("ROOM_INVALID", emit(alice, "'join', {room: 'no spaces please'}"));
    assertEquals("ROOM_TOO_LONG", emit(alice, "'join', {room: 'r'.repeat(25)}"));
    assertEquals("NOT_IN_ROOM", emit(alice, "'message', {room: 'elsewhere', text: 'hi'}"));
    assertEquals("NO_SUCH_USER", emit(alice, "'private', {to: 'nobody', text: 'hi'}"));
    assertEquals("NO_SUCH_USER", emit(alice, "'private', {to: 'alice', text: 'hi'}"));

    // A flood: the token bucket lets a burst through, then refuses.
    JsonNode codes =
        alice.call(
            "eval",
            "expr",
            "Promise.all(Array.from({length: 40}, (_, i) => new Promise(resolve =>"
                + " chat.socket.timeout(5000).emit('message', {room: 'general', text: 'flood ' + i},"
                + " (err, res) => resolve(err ? 'TIMEOUT' : (res.ok ? 'OK' : res.code))))))");
    List<String> results = new ArrayList<>();
    codes.forEach(c -> results.add(c.asText()));
    assertTrue(results.contains("RATE_LIMITED"), results.toString());
    long accepted = results.stream().filter("OK"::equals).count();
    assertTrue(accepted >= 5 && accepted < 40, results.toString());
    assertEquals(new HashSet<>(List.of("OK", "RATE_LIMITED")), new HashSet<>(results));

    // Bob got the accepted ones and nothing refused; the server still serves everyone.
    bob.waitUntil(
        "document.querySelectorAll(\".log[data-conv='room:general'] .msg\").length === " + accepted,
        10_000);
    assertFalse(bob.messages("room:general").stream().anyMatch(t -> t.startsWith("xxx")));
    bob.say("still alive?");
    alice.waitMessage("bob", "still alive?");
  }

  /** Emits from the page's socket with an ack and returns the refusal code ("OK" if accepted). */
  private static String emit(ChatPage page, String eventAndArgs) {
    return page.call(
            "eval",
            "expr",
            "new Promise(resolve => chat.socket.timeout(5000).emit("
                + eventAndArgs
                + ", (err, res) => resolve(err ? 'TIMEOUT' : (res.ok ? 'OK' : res.code))))")
        .asText();
  }

  /** The banner takes its own row: the header, the room title and the sidebars start below it. */
  private static void assertBannerPushesThePageDown(ChatPage page) {
    JsonNode layout = page.bannerLayout();
    double banner = layout.path("banner").asDouble();
    assertTrue(banner > 0, "the banner shows: " + layout);
    for (String part : List.of("header", "title", "sidebar", "people")) {
      assertTrue(layout.path(part).asDouble() >= banner - 0.5, part + " is below it: " + layout);
    }
    assertTrue(layout.path("composerFits").asBoolean(), "the composer still fits: " + layout);
  }

  private static void noConsoleErrors(ChatPage page) {
    JsonNode errors = page.stats().path("consoleErrors");
    assertEquals(0, errors.size(), "console errors: " + errors);
  }
}
