package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.header;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.RawWebSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The handshake over polling and WebSocket: the open packet, its fields and what follows it. */
class HandshakeTest {
  private static final Pattern BASE64ID = Pattern.compile("[A-Za-z0-9_-]{20}");

  private static String openPacket(
      String sid, String upgrades, long interval, long timeout, int max) {
    return "0{\"sid\":\""
        + sid
        + "\",\"upgrades\":["
        + upgrades
        + "],\"pingInterval\":"
        + interval
        + ",\"pingTimeout\":"
        + timeout
        + ",\"maxPayload\":"
        + max
        + "}";
  }

  @Test
  void pollingHandshakeAnswersTheOpenPacketWithDefaults() {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling&t=abc"));
      assertEquals(200, res.statusCode());
      assertEquals("text/plain; charset=UTF-8", header(res, "Content-Type"));
      assertEquals("no-store", header(res, "cache-control"));
      String body = text(res);
      String sid = sidOf(body);
      assertTrue(BASE64ID.matcher(sid).matches(), sid);
      assertEquals(openPacket(sid, "\"websocket\"", 25000, 20000, 1000000), body);
      assertEquals(Integer.toString(res.body().length), header(res, "Content-Length"));

      EngineIoSocket socket = server.recorder.awaitOpen();
      assertEquals(sid, socket.id());
      assertEquals(4, socket.protocol());
      assertEquals(TransportType.POLLING, socket.transport());
      assertFalse(socket.upgraded());
      assertTrue(socket.isOpen());
      assertEquals(1, server.server.clientsCount());
    }
  }

  @Test
  void configuredTimingsAndMaxPayloadAreAdvertised() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .pingInterval(Duration.ofMillis(3000))
                .pingTimeout(Duration.ofMillis(1500))
                .maxHttpBufferSize(5000))) {
      String body = text(get(server.url("EIO=4&transport=polling")));
      assertEquals(openPacket(sidOf(body), "\"websocket\"", 3000, 1500, 5000), body);
    }
  }

  @Test
  void websocketHandshakeSendsTheOpenPacketWithoutUpgrades() {
    try (TestServer server = TestServer.start();
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String open = ws.nextText();
      String sid = sidOf(open);
      assertTrue(BASE64ID.matcher(sid).matches(), sid);
      assertEquals(openPacket(sid, "", 25000, 20000, 1000000), open);
      EngineIoSocket socket = server.recorder.awaitOpen();
      assertEquals(sid, socket.id());
      assertEquals(TransportType.WEBSOCKET, socket.transport());
    }
  }

  @Test
  void noUpgradeIsAdvertisedWhenUpgradesAreDisallowed() {
    try (TestServer server = TestServer.start(EngineIoOptions.builder().allowUpgrades(false))) {
      String body = text(get(server.url("EIO=4&transport=polling")));
      assertEquals(openPacket(sidOf(body), "", 25000, 20000, 1000000), body);
    }
  }

  @Test
  void noUpgradeIsAdvertisedWhenWebSocketIsNotAnAllowedTransport() {
    try (TestServer server =
        TestServer.start(EngineIoOptions.builder().transports(TransportType.POLLING))) {
      String body = text(get(server.url("EIO=4&transport=polling")));
      assertEquals(openPacket(sidOf(body), "", 25000, 20000, 1000000), body);
    }
  }

  @Test
  void initialPacketFollowsTheOpenPacketInTheSamePollingPayload() {
    try (TestServer server = TestServer.start(EngineIoOptions.builder().initialPacket("héllo"))) {
      String body = text(get(server.url("EIO=4&transport=polling")));
      assertEquals(
          openPacket(sidOf(body), "\"websocket\"", 25000, 20000, 1000000) + "\u001e4héllo", body);
    }
  }

  @Test
  void initialPacketIsTheSecondWebSocketMessage() {
    try (TestServer server = TestServer.start(EngineIoOptions.builder().initialPacket("hello"));
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      assertTrue(ws.nextText().startsWith("0{\"sid\":"));
      assertEquals("4hello", ws.nextText());
    }
  }

  @Test
  void messageSentInOnOpenArrivesWithTheNextPoll() {
    try (TestServer server = TestServer.start()) {
      server.recorder.openAction = s -> s.send("welcome");
      String body = text(get(server.url("EIO=4&transport=polling")));
      assertTrue(body.startsWith("0{") && !body.contains("\u001e"), body);
      assertEquals("4welcome", Polling.poll(server, sidOf(body)));
    }
  }

  @Test
  void everyHandshakeGetsADistinctSid() {
    try (TestServer server = TestServer.start()) {
      Set<String> sids = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        sids.add(Polling.handshake(server));
      }
      assertEquals(20, sids.size());
      assertEquals(20, server.server.clientsCount());
    }
  }

  @Test
  void idGeneratorChoosesTheSidFromTheRequest() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .idGenerator(r -> "custom-" + r.queryParam("user").orElse("none")))) {
      String body = text(get(server.url("EIO=4&transport=polling&user=bob")));
      assertEquals("custom-bob", sidOf(body));
      Polling.push(server, "custom-bob", "4hi");
      assertEquals("hi", server.recorder.nextText("custom-bob"));
    }
  }

  @Test
  void socketExposesTheHandshakeRequest() {
    try (TestServer server = TestServer.start()) {
      get(server.url("EIO=4&transport=polling&foo=bar"), "X-Custom", "value");
      EngineIoSocket socket = server.recorder.awaitOpen();
      EngineIoRequest request = socket.request();
      assertEquals("GET", request.method());
      assertEquals("bar", request.query().get("foo"));
      assertEquals("value", request.header("x-custom").orElseThrow());
      assertEquals("127.0.0.1", request.remoteAddress().getAddress().getHostAddress());
      assertFalse(request.secure());
    }
  }
}
