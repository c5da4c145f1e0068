package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.WebTransportOptions;
import dev.sio4j.engineio.testing.SelfSignedCertificate;
import dev.sio4j.interop.HeadlessChromium;
import dev.sio4j.interop.NodeScript;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official browser client (the 4.8.4 bundle our server serves) in headless Chromium over
 * WebTransport: HTTP/3 on the UDP port numbered as the server's TCP port, with a self-signed
 * certificate the page passes by hash ({@code serverCertificateHashes}), as the client's
 * documentation shows. The page is served by the server itself over {@code http://127.0.0.1}, a
 * secure context.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebTransportChromiumTest extends ServerTestSupport {
  private static HeadlessChromium browser;
  private static int pages;

  @BeforeAll
  static void launch() {
    browser = HeadlessChromium.launch("the WebTransport tests", Duration.ofSeconds(20));
  }

  @AfterAll
  static void quit() {
    if (browser != null) {
      browser.close();
    }
  }

  private static final SelfSignedCertificate CERT = SelfSignedCertificate.generate();

  private SocketIoServer webTransportServer() {
    SocketIoServer io =
        server(
            b ->
                b.engine(
                    EngineIoOptions.builder()
                        .path("/socket.io")
                        .webTransport(WebTransportOptions.of(CERT.key(), CERT.certificate()))
                        .build()));
    io.onConnection(
        s -> {
          s.on("echo", (args, ack) -> ack.send(args.toArray()));
          s.on("transport", (args, ack) -> ack.send(s.conn().transport().wireName()));
        });
    io.serveStatic(
        "/page",
        path ->
            Optional.of(
                StaticFile.of(
                    "<html><head><title>wt</title><script src=\"/socket.io/socket.io.js\"></script>"
                        .getBytes(StandardCharsets.UTF_8),
                    "text/html; charset=utf-8")));
    return io;
  }

  private String openPage(SocketIoServer io) {
    String page = "p" + (++pages);
    browser.call("open", page, "url", "http://127.0.0.1:" + io.port() + "/page/index.html");
    return page;
  }

  /**
   * Connects with these transports, echoes a string and bytes by ack, and reports the transport the
   * client ended on.
   */
  private String echoScript(String transports) {
    return "new Promise((resolve, reject) => {"
        + " const value = Uint8Array.from(atob('"
        + CERT.sha256Base64()
        + "'), c => c.charCodeAt(0));"
        + " const socket = io({ transports: "
        + transports
        + ", reconnection: false, transportOptions: { webtransport: {"
        + " serverCertificateHashes: [{ algorithm: 'sha-256', value }] } } });"
        + " const timer = setTimeout(() => reject(new Error('no connection in time')), 15000);"
        + " socket.on('connect_error', (e) => { clearTimeout(timer); reject(e); });"
        + " socket.on('connect', async () => {"
        + "   try {"
        + "     const waitUpgrade = () => new Promise((r) => {"
        + "       if (socket.io.engine.transport.name !== 'polling') return r();"
        + "       socket.io.engine.once('upgrade', () => r()); });"
        + "     if ("
        + transports
        + ".length > 1) await waitUpgrade();"
        + "     const text = await socket.timeout(5000).emitWithAck('echo', 'héllo ✓');"
        + "     const bin = await socket.timeout(5000).emitWithAck('echo', new Uint8Array([1, 2, 255]));"
        + "     const serverSide = await socket.timeout(5000).emitWithAck('transport');"
        + "     clearTimeout(timer);"
        + "     resolve({ client: socket.io.engine.transport.name, server: serverSide, text,"
        + "       bin: Array.from(new Uint8Array(bin)) });"
        + "     socket.disconnect();"
        + "   } catch (e) { reject(e); }"
        + " });"
        + "})";
  }

  private static void assertEcho(JsonNode r, String transport) {
    assertEquals(transport, r.path("client").asText(), r.toString());
    assertEquals(transport, r.path("server").asText(), r.toString());
    assertEquals("héllo ✓", r.path("text").asText(), r.toString());
    assertEquals("[1,2,255]", r.path("bin").toString(), r.toString());
  }

  @Test
  void webTransportOnlyEchoesTextAndBinary() {
    SocketIoServer io = webTransportServer();
    String page = openPage(io);
    JsonNode r = browser.call("eval", page, "expr", echoScript("['webtransport']"), "ms", 30_000);
    assertEcho(r, "webtransport");
    assertEquals(
        TransportType.WEBTRANSPORT,
        io.engine().options().transports().stream()
            .filter(t -> t == TransportType.WEBTRANSPORT)
            .findFirst()
            .orElseThrow());
  }

  @Test
  void pollingUpgradesToWebTransportThenEchoes() {
    SocketIoServer io = webTransportServer();
    String page = openPage(io);
    JsonNode r =
        browser.call("eval", page, "expr", echoScript("['polling', 'webtransport']"), "ms", 30_000);
    assertEcho(r, "webtransport");
  }

  @Test
  void aWebSocketClientKeepsWorkingNextToAnOpenWebTransportSession() {
    SocketIoServer io = webTransportServer();
    String wt = openPage(io);
    String ws = openPage(io);
    // a WebTransport session that stays open meanwhile
    String opened =
        browser
            .call(
                "eval",
                wt,
                "expr",
                "new Promise((resolve, reject) => {"
                    + " const value = Uint8Array.from(atob('"
                    + CERT.sha256Base64()
                    + "'), c => c.charCodeAt(0));"
                    + " window.kept = io({ transports: ['webtransport'], reconnection: false,"
                    + " transportOptions: { webtransport: {"
                    + " serverCertificateHashes: [{ algorithm: 'sha-256', value }] } } });"
                    + " window.kept.on('connect_error', reject);"
                    + " window.kept.on('connect', () =>"
                    + " resolve(window.kept.io.engine.transport.name)); })",
                "ms",
                30_000)
            .asText();
    assertEquals("webtransport", opened);
    // clients without WebTransport: WebSocket alone, and polling upgraded to WebSocket
    assertEcho(
        browser.call("eval", ws, "expr", echoScript("['websocket']"), "ms", 30_000), "websocket");
    assertEcho(
        browser.call("eval", ws, "expr", echoScript("['polling', 'websocket']"), "ms", 30_000),
        "websocket");
    // the WebTransport session still echoes
    JsonNode again =
        browser.call(
            "eval",
            wt,
            "expr",
            "window.kept.timeout(5000).emitWithAck('echo', 'still')"
                + ".then((v) => { const t = window.kept.io.engine.transport.name;"
                + " window.kept.disconnect(); return [v, t]; })",
            "ms",
            30_000);
    assertEquals("[\"still\",\"webtransport\"]", again.toString());
  }

  /**
   * The official Node client has no WebTransport, yet its default transports name it: offered the
   * upgrade, its WebTransport probe fails and it upgrades to WebSocket, then echoes.
   */
  @Test
  void aNodeClientWithoutWebTransportUpgradesToWebSocket() {
    SocketIoServer io = webTransportServer();
    try (NodeScript js =
        NodeScript.start(
            "socketio-client.mjs",
            "http://127.0.0.1:" + io.port(),
            "{\"reconnection\":false}",
            "--timeout=60")) {
      assertEquals(
          "polling", js.await("connect", Duration.ofSeconds(10)).path("transport").asText());
      assertEquals(
          "websocket", js.await("upgrade", Duration.ofSeconds(10)).path("transport").asText());
      js.sendJson(
          Map.of("cmd", "emitWithAck", "name", "echo", "args", List.of("plain"), "tag", "e"));
      assertEquals("[\"plain\"]", js.await("ack", Duration.ofSeconds(10)).path("args").toString());
    }
  }
}
