package dev.sio4j.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.testing.SocketIoServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real Admin UI ({@code @socket.io/admin-ui} 0.5.1's own files, served by our server at {@code
 * /admin-ui/}) in headless Chromium: a wrong password is refused, the right one logs in, the UI
 * shows the sockets and rooms of the running server (Java clients and a JavaScript client, in
 * rooms), and its disconnect button disconnects a socket, which is then gone on the server.
 * Screenshots go to {@code target/screenshots/} (property {@code sio4j.admin.screenshots}).
 */
@Timeout(180)
class AdminUiBrowserTest {
  static final Path SHOTS =
      Path.of(System.getProperty("sio4j.admin.screenshots", "target/screenshots"));
  static final String PAGE = "ui";

  @RegisterExtension
  final SocketIoServerExtension server =
      SocketIoServerExtension.builder()
          .configure(
              io ->
                  io.onConnection(
                      s -> {
                        s.join("lobby");
                        String name = s.handshake().auth().path("name").asText("");
                        if (!name.isEmpty()) {
                          s.join("team-" + name);
                        }
                      }))
          .build();

  private Instrumentation admin;
  private UiBrowser browser;
  private NodeScript jsClient;

  @BeforeEach
  void instrument() {
    admin =
        AdminUi.builder()
            .auth("admin", AdminUiProtocolTest.HASH)
            .uiPath("/admin-ui")
            .serverId("sio4j-browser-test")
            .build()
            .instrument(server.io());
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (jsClient != null) {
      jsClient.close();
    }
    admin.close();
  }

  private ClientSocket app(String name) {
    return server.connect("/", SocketOptions.builder().auth(Map.of("name", name)).build());
  }

  private void login(String password) {
    browser.fill(".v-dialog input[type=password]", password);
    browser.call("click", PAGE, "selector", ".v-dialog button[type=submit]");
  }

  @Test
  void theServedUiLogsInShowsSocketsAndRoomsAndDisconnectsASocket() {
    ClientSocket alice = app("alice");
    ClientSocket bob = app("bob");
    String aliceId = alice.id().orElseThrow();
    String bobId = bob.id().orElseThrow();
    // And one of the official JavaScript client.
    jsClient =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + server.port(),
            "{\"auth\":{\"name\":\"carol\"},\"reconnection\":false}");
    String carolId = jsClient.await("connect", Duration.ofSeconds(20)).path("id").asText();
    String origin = "http://127.0.0.1:" + server.port();

    browser = UiBrowser.launch();
    browser.call("open", PAGE, "url", origin + "/admin-ui/");
    browser.waitVisible(PAGE, ".v-dialog input[type=password]", null);
    browser.fill(".v-dialog input[type=text] >> nth=0", origin);
    browser.fill(".v-dialog input[type=text] >> nth=1", "admin");

    login("not the password");
    browser.waitVisible(PAGE, ".v-dialog .red--text", "Invalid credentials");
    browser.screenshot(PAGE, SHOTS.resolve("admin-ui-1-wrong-password.png"));

    login(AdminUiProtocolTest.PASSWORD);
    browser.call("waitFor", PAGE, "selector", ".v-dialog", "state", "hidden");
    // The dashboard's namespaces come from server_stats.
    browser.waitVisible(PAGE, "td", "/admin");
    browser.screenshot(PAGE, SHOTS.resolve("admin-ui-2-dashboard.png"));
    browser.call("eval", PAGE, "expr", "location.hash = '#/servers/'");
    browser.waitVisible(PAGE, "td", "sio4j-browser-test");

    browser.call("eval", PAGE, "expr", "location.hash = '#/sockets/'");
    browser.waitVisible(PAGE, "td", aliceId);
    browser.waitVisible(PAGE, "td", bobId);
    browser.waitVisible(PAGE, "td", carolId);
    browser.screenshot(PAGE, SHOTS.resolve("admin-ui-3-sockets.png"));

    browser.call("eval", PAGE, "expr", "location.hash = '#/rooms/'");
    browser.waitVisible(PAGE, "td", "team-alice");
    browser.waitVisible(PAGE, "td", "team-bob");
    browser.waitVisible(PAGE, "td", "team-carol");
    browser.waitVisible(PAGE, "td", "lobby");
    browser.screenshot(PAGE, SHOTS.resolve("admin-ui-4-rooms.png"));

    browser.call("eval", PAGE, "expr", "location.hash = '#/sockets/'");
    browser.waitVisible(PAGE, "td", bobId);
    browser.call("click", PAGE, "selector", "tr:has(td:text-is('" + bobId + "')) button");
    Await.until(
        () -> !server.io().sockets().sockets().containsKey(bobId),
        "bob's socket gone from the server");
    Await.until(() -> !bob.connected(), "bob's client disconnected");
    assertTrue(server.io().sockets().sockets().containsKey(aliceId), "alice is still there");
    browser.call("eval", PAGE, "expr", "location.hash = '#/sockets/'");
    browser.waitGone(PAGE, "td", bobId);

    // The JavaScript client too: the server disconnects it, and it hears so.
    browser.call("click", PAGE, "selector", "tr:has(td:text-is('" + carolId + "')) button");
    assertEquals(
        "io server disconnect",
        jsClient.await("disconnect", Duration.ofSeconds(15)).path("reason").asText());
    Await.until(
        () -> !server.io().sockets().sockets().containsKey(carolId),
        "carol's socket gone from the server");
    browser.call("eval", PAGE, "expr", "location.hash = '#/sockets/'");
    browser.waitGone(PAGE, "td", carolId);
    browser.waitVisible(PAGE, "td", aliceId);
    browser.screenshot(PAGE, SHOTS.resolve("admin-ui-5-after-disconnect.png"));
  }
}
