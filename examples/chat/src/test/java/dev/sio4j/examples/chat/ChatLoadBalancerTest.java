package dev.sio4j.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.examples.chat.HaProxy.Request;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat as users run it in production: one {@code redis-server}, three chat nodes (processes,
 * streams adapter) and a real HAProxy in front of them, configured as the README's worked example
 * shows (read from README.md, ports changed). Headless Chromium pages, each in its own browser
 * context (its own cookie), connect through the balancer, land on different nodes, chat in rooms
 * and privately; then one node stops (SIGTERM: its pages recover their session on another node) and
 * another crashes (SIGKILL: its pages start a new session on the last node and catch up from the
 * rooms' history). The pages on the other nodes notice nothing. Over WebSocket (upgraded from
 * polling, as the client does by default) and over long-polling only, where the balancer's
 * stickiness is what keeps a session's requests on its node.
 *
 * <p>Skipped, loudly, only when no haproxy executable is found. Each transport takes 25 to 60 s on
 * a 2-core machine (mostly three JVMs starting and warming up); the timeout leaves room for a
 * machine busy with a whole build.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ChatLoadBalancerTest {
  private static final Logger log = LoggerFactory.getLogger(ChatLoadBalancerTest.class);
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Reconnection through the balancer to a living node: client backoff plus the proxy's retries.
   */
  private static final long BACK_MS = 25_000;

  private static final Pattern NODE_COOKIE = Pattern.compile("(?:^|;\\s*)SIO4J_NODE=([^;]+)");
  private static final List<String> NICKS = List.of("alice", "bob", "carol", "dave");

  private static final String NO_HAPROXY =
      "SKIPPED ChatLoadBalancerTest: no haproxy executable (looked at -D"
          + HaProxy.EXECUTABLE_PROPERTY
          + ", the PATH and /usr/sbin/haproxy). Install the Debian package haproxy:"
          + " scripts/test-all.sh does (scripts/system-packages.txt) when run as root.";

  private static Path haproxy;
  private static Browser browser;

  private RedisServer redis;

  /** Node {@code i} is the README's {@code node<i+1>}. */
  private final List<ChatProcess> nodes = new ArrayList<>();

  private HaProxy proxy;

  /** A node that went away, and how many requests HAProxy had logged by then. */
  private final Map<String, Integer> goneAt = new TreeMap<>();

  private final Map<String, ChatPage> pages = new LinkedHashMap<>();

  @BeforeAll
  static void findHaProxyAndLaunchBrowser() {
    Optional<Path> executable = HaProxy.executable();
    if (executable.isEmpty()) {
      log.warn(NO_HAPROXY);
      System.err.println("WARN " + NO_HAPROXY);
      return;
    }
    haproxy = executable.get();
    browser = Browser.launch();
  }

  /**
   * Each test is reported skipped, with the reason, rather than the class silently running none.
   */
  @BeforeEach
  void skipWithoutHaProxy() {
    Assumptions.assumeTrue(haproxy != null, NO_HAPROXY);
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @AfterEach
  void stopEverything() {
    for (String nick : browser == null ? List.<String>of() : NICKS) {
      try {
        browser.call("closePage", nick);
      } catch (AssertionError ignored) {
        // The browser may be gone with a failed test.
      }
    }
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      try {
        nodes.forEach(ChatProcess::close);
      } finally {
        if (redis != null) {
          redis.close();
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"websocket", "polling"})
  void pagesSpreadOverTheNodesAndMoveToALivingOneWhenTheirsGoesAway(String transport) {
    try {
      scenario(transport);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + diagnostics(), e);
    }
  }

  private void scenario(String transport) {
    startCluster();
    String url =
        "http://127.0.0.1:"
            + proxy.port()
            + "/"
            + (transport.equals("polling") ? "?transport=polling" : "");
    for (String nick : NICKS) {
      // Each page in its own browser context: its own cookie, so the balancer places it afresh.
      pages.put(nick, browser.open(nick, url).login(nick));
    }
    for (ChatPage page : pages.values()) {
      for (String nick : NICKS) {
        page.waitVisible("#members li[data-nick='" + nick + "']", nick);
      }
    }
    Map<String, String> on = whereIsEveryone();
    assertEquals(
        Set.of("node1", "node2", "node3"),
        new TreeSet<>(on.values()),
        "round robin puts four pages on all three nodes: " + on);
    Map<String, String> ids = socketIds();

    // Rooms and private messages across the nodes.
    ChatPage alice = page("alice");
    ChatPage carol = page("carol");
    ChatPage dave = page("dave");
    for (String nick : List.of("alice", "bob", "carol")) {
      page(nick).joinRoom("ops");
    }
    alice.waitVisible("#members-count", "3");
    List<String> ops = new ArrayList<>();
    List<String> general = new ArrayList<>();
    say(alice, "deploy at noon", ops);
    carol.openRoom("general");
    carol.openPrivate("dave");
    carol.say("psst dave");
    carol.waitDelivered("psst dave");
    dave.waitVisible("#dm-list li[data-dm='carol'] .badge", "1");
    dave.openDm("carol");
    dave.waitMessage("carol", "psst dave");
    dave.say("got it, carol");
    carol.waitMessage("dave", "got it, carol");
    dave.openRoom("general");
    carol.openRoom("ops");
    waitForAll(ops, general);

    // A node stops (deploy, SIGTERM): its pages come back through the balancer on another node
    // with the same session (the streams adapter keeps it in Redis) and get what they missed.
    String stopped = on.get("alice");
    // Alice's page waits until told, so that messages are sent while it is away for sure; the
    // other pages of that node (if any) come back by themselves, whenever that happens.
    alice.eval("chat.socket.io.reconnection(false); true");
    goneAt.put(stopped, proxy.requests().size());
    node(stopped).close();
    alice.waitVisible("#banner", "Connection lost");
    ChatPage sender = firstElsewhere(on, stopped, "bob", "carol");
    say(sender, "while alice is away 1", ops);
    say(sender, "while alice is away 2", ops);
    sender.openRoom("general");
    say(sender, "meanwhile in general", general);
    sender.openRoom("ops");
    alice.eval("chat.socket.io.reconnection(true); chat.socket.connect(); true");
    alice.waitHidden("#banner", BACK_MS);
    for (String nick : onNode(on, stopped)) {
      ChatPage moved = page(nick);
      moved.waitUntil("chat.socket.connected && chat.socket.recovered", BACK_MS);
      moved.waitSystem("missed messages recovered");
      assertEquals(ids.get(nick), socketId(moved), nick + " kept its socket: recovered");
    }
    waitForAll(ops, general);
    Map<String, String> afterStop = whereIsEveryone();
    for (String nick : onNode(on, stopped)) {
      assertNotEquals(stopped, afterStop.get(nick), nick + " moved: " + afterStop);
    }
    // Alive on its new node: a message from alice, a private one to her.
    say(alice, "back, on " + afterStop.get("alice"), ops);
    carol.waitVisible("#members li[data-nick='alice']", "alice");
    carol.openPrivate("alice");
    carol.say("welcome back");
    carol.waitDelivered("welcome back");
    alice.waitVisible("#dm-list li[data-dm='carol'] .badge", "1");
    carol.openRoom("ops");
    waitForAll(ops, general);
    assertNobodyElseNoticed(
        NICKS.stream().filter(n -> !on.get(n).equals(stopped)).collect(Collectors.toList()), ids);

    // A node crashes (SIGKILL): nothing saved its sessions, so its pages start new ones on the
    // last node, join their rooms again and catch up from the rooms' history, each message once.
    String crashed = afterStop.get("bob");
    ChatPage bob = page("bob");
    // Its node was busy until the end: the other nodes heard from it a moment ago.
    say(bob, "bob's last words", ops);
    bob.eval("chat.socket.io.reconnection(false); true");
    goneAt.put(crashed, proxy.requests().size());
    node(crashed).kill();
    bob.waitVisible("#banner", "Connection lost");
    ChatPage sender2 = firstElsewhere(afterStop, crashed, "carol", "alice");
    say(sender2, "while bob is away", ops);
    bob.eval("chat.socket.io.reconnection(true); chat.socket.connect(); true");
    bob.waitHidden("#banner", BACK_MS);
    for (String nick : onNode(afterStop, crashed)) {
      ChatPage moved = page(nick);
      moved.waitUntil("chat.socket.connected", BACK_MS);
      moved.waitUntil("chat.state.joined.length === " + (nick.equals("dave") ? 1 : 2), BACK_MS);
    }
    bob.waitSystem("Reconnected.");
    assertFalse(bob.eval("chat.socket.recovered").asBoolean(), "a crash saves no session");
    waitForAll(ops, general);
    Map<String, String> afterCrash = whereIsEveryone();
    for (String nick : onNode(afterStop, crashed)) {
      assertNotEquals(crashed, afterCrash.get(nick), nick + " moved: " + afterCrash);
    }
    say(bob, "bob again, on " + afterCrash.get("bob"), ops);
    waitForAll(ops, general);
    List<String> stayed =
        NICKS.stream()
            .filter(n -> !on.get(n).equals(stopped) && !afterStop.get(n).equals(crashed))
            .collect(Collectors.toList());
    assertFalse(stayed.isEmpty(), "a page stayed on its node throughout: " + on + afterStop);
    assertNobodyElseNoticed(stayed, ids);
    assertNobodyWentOffline();

    assertSticky();
    assertTheLivingNodesLoggedNoWarning();
    for (ChatPage page : pages.values()) {
      assertEquals(transport, page.eval("document.body.dataset.transport").asText());
      if (transport.equals("polling")) {
        assertEquals(0, page.stats().path("websockets").asInt(), "no WebSocket was opened");
      }
    }
    log.info(
        "{}: placed {}, after the stop of {} {}, after the crash of {} {}",
        transport,
        on,
        stopped,
        afterStop,
        crashed,
        afterCrash);
  }

  /** The tails of the balancer's log and of every node's output, for a failure. */
  private String diagnostics() {
    StringBuilder b = new StringBuilder();
    if (proxy != null) {
      b.append("\n--- haproxy ---\n").append(tail(proxy.output(), 150));
    }
    for (int i = 0; i < nodes.size(); i++) {
      b.append("\n--- node").append(i + 1).append(" ---\n").append(tail(nodes.get(i).output(), 40));
    }
    return b.toString();
  }

  private static String tail(String text, int lines) {
    List<String> all = List.of(text.split("\n"));
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  // ---- the cluster --------------------------------------------------------------------------

  private void startCluster() {
    redis = RedisServer.start();
    List<CompletableFuture<ChatProcess>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = FreePort.find();
      // In parallel: three JVMs starting one after the other take long on a busy machine.
      starting.add(
          CompletableFuture.supplyAsync(
              () -> ChatProcess.start(port, START, "--redis", redis.uri())));
    }
    AssertionError failed = null;
    for (CompletableFuture<ChatProcess> f : starting) {
      try {
        nodes.add(f.get(START.toSeconds() + 10, TimeUnit.SECONDS));
      } catch (Exception e) {
        if (failed == null) {
          failed = new AssertionError("a chat node did not start", e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
    String config =
        HaProxy.onPorts(
            HaProxy.readmeConfig(),
            FreePort.find(),
            nodes.stream().map(ChatProcess::port).collect(Collectors.toList()));
    proxy = HaProxy.start(haproxy, config, proxyPort(config), WAIT);
  }

  private static int proxyPort(String config) {
    Matcher m = Pattern.compile("bind 127\\.0\\.0\\.1:(\\d+)").matcher(config);
    assertTrue(m.find(), config);
    return Integer.parseInt(m.group(1));
  }

  private ChatProcess node(String server) {
    return nodes.get(Integer.parseInt(server.substring("node".length())) - 1);
  }

  // ---- where the pages are ------------------------------------------------------------------

  private ChatPage page(String nick) {
    return pages.get(nick);
  }

  /**
   * Each page's node, by two witnesses that must agree: the balancer's cookie in the page, and the
   * server HAProxy logged for the requests of the page's current Engine.IO session.
   */
  private Map<String, String> whereIsEveryone() {
    Map<String, String> on = new TreeMap<>();
    for (Map.Entry<String, ChatPage> e : pages.entrySet()) {
      JsonNode info =
          e.getValue()
              .waitUntil(
                  "chat.socket.connected && chat.socket.io.engine && chat.socket.io.engine.id"
                      + " ? {sid: chat.socket.io.engine.id, cookie: document.cookie} : null",
                  WAIT.toMillis());
      Matcher cookie = NODE_COOKIE.matcher(info.path("cookie").asText());
      assertTrue(cookie.find(), e.getKey() + " has the balancer's cookie: " + info);
      String sid = info.path("sid").asText();
      Await.until(
          () -> serverOf(sid).isPresent(),
          WAIT,
          "HAProxy logged a request of " + e.getKey() + "'s session " + sid);
      assertEquals(
          cookie.group(1),
          serverOf(sid).get(),
          "the cookie of " + e.getKey() + " names the node that serves its session");
      on.put(e.getKey(), cookie.group(1));
    }
    return on;
  }

  private Optional<String> serverOf(String sid) {
    return proxy.requests().stream()
        .filter(r -> r.sid().equals(Optional.of(sid)))
        .map(Request::server)
        .findFirst();
  }

  private static List<String> onNode(Map<String, String> on, String node) {
    return on.entrySet().stream()
        .filter(e -> e.getValue().equals(node))
        .map(Map.Entry::getKey)
        .collect(Collectors.toList());
  }

  private ChatPage firstElsewhere(Map<String, String> on, String node, String... candidates) {
    for (String nick : candidates) {
      if (!on.get(nick).equals(node)) {
        return page(nick);
      }
    }
    throw new AssertionError("none of " + List.of(candidates) + " is off " + node + ": " + on);
  }

  private Map<String, String> socketIds() {
    Map<String, String> ids = new TreeMap<>();
    pages.forEach((nick, page) -> ids.put(nick, socketId(page)));
    return ids;
  }

  private static String socketId(ChatPage page) {
    return page.eval("chat.socket.id").asText();
  }

  // ---- what the pages see -------------------------------------------------------------------

  /** Says {@code text} in the page's open room and waits for its delivered tick. */
  private static void say(ChatPage page, String text, List<String> expected) {
    page.say(text);
    page.waitDelivered(text);
    expected.add(text);
  }

  /**
   * Waits until every page in #ops shows the last message of {@code ops}, every page the last of
   * {@code general}, then checks each page shows each message exactly once, in order.
   */
  private void waitForAll(List<String> ops, List<String> general) {
    for (Map.Entry<String, ChatPage> e : pages.entrySet()) {
      boolean inOps = !e.getKey().equals("dave");
      for (List<String> conv : inOps ? List.of(ops, general) : List.of(general)) {
        if (conv.isEmpty()) {
          continue;
        }
        String key = conv == ops ? "room:ops" : "room:general";
        String last = conv.get(conv.size() - 1);
        e.getValue()
            .call(
                "waitFor",
                "selector",
                ".log[data-conv='" + key + "'] .msg .text",
                "text",
                last,
                "state",
                "attached",
                "ms",
                BACK_MS);
        assertEquals(conv, e.getValue().messages(key), e.getKey() + " sees " + key + " once each");
      }
    }
  }

  /** The pages that stayed on their nodes saw no disconnection and kept their sockets. */
  private void assertNobodyElseNoticed(List<String> stayed, Map<String, String> ids) {
    for (String nick : stayed) {
      ChatPage page = page(nick);
      JsonNode lifecycle = page.eval("chat.state.lifecycle.map((l) => l.slice(13).trim())");
      assertEquals("[\"connect\"]", lifecycle.toString(), nick + " connected once only");
      assertEquals(ids.get(nick), socketId(page), nick + " kept its socket");
      assertEquals(0, page.stats().path("consoleErrors").size(), nick + ": console errors");
    }
  }

  /** Nodes going away are not people leaving: no "went offline" line anywhere. */
  private void assertNobodyWentOffline() {
    for (Map.Entry<String, ChatPage> e : pages.entrySet()) {
      for (String conv : List.of("room:general", "room:ops")) {
        List<String> lines = e.getValue().systemLines(conv);
        assertTrue(
            lines.stream().noneMatch(l -> l.contains("went offline")), e.getKey() + ": " + lines);
      }
    }
  }

  /** The nodes that stayed up saw nothing worth a warning: resets, nodes gone, sessions moved. */
  private void assertTheLivingNodesLoggedNoWarning() {
    for (int i = 0; i < nodes.size(); i++) {
      String server = "node" + (i + 1);
      if (goneAt.containsKey(server)) {
        continue;
      }
      String output = nodes.get(i).output();
      List<String> warnings =
          output
              .lines()
              .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
              .collect(Collectors.toList());
      assertEquals(List.of(), warnings, server + " logged:\n" + output);
    }
  }

  /**
   * Stickiness, from the balancer's own log: every request of an Engine.IO session (polling GETs
   * and POSTs, the WebSocket upgrade) reached the node that holds the session, as long as that node
   * was there. Once it is gone, the balancer sends what is left of its sessions' requests elsewhere
   * ({@code option redispatch}), where they are refused (400: unknown session) and the client
   * starts over: that is the only way a session's request may end on another node.
   */
  private void assertSticky() {
    List<Request> all = proxy.requests();
    Map<String, String> home = new TreeMap<>();
    Map<String, Integer> atHome = new TreeMap<>();
    List<String> strays = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Request r = all.get(i);
      if (r.sid().isEmpty()) {
        continue;
      }
      String sid = r.sid().get();
      String node = home.computeIfAbsent(sid, s -> r.server());
      if (r.server().equals(node)) {
        atHome.merge(sid, 1, Integer::sum);
        continue;
      }
      Integer gone = goneAt.get(node);
      boolean afterItsNodeWent = gone != null && i >= gone;
      if (!afterItsNodeWent || r.status() != 400) {
        strays.add(i + ": " + r + " (session of " + node + ", gone at " + gone + ")");
      }
    }
    assertEquals(List.of(), strays, "requests that left their session's node");
    long busy = atHome.values().stream().filter(n -> n >= 3).count();
    assertTrue(busy >= NICKS.size(), "sessions with 3 requests or more: " + atHome);
    log.info("requests per session on its node: {}", atHome);
  }
}
