package dev.sio4j.engineio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.client.EngineIoClientOptions.PerMessageDeflate;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.interop.NodeServer;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client options of issue 16 against the reference {@code engine.io} server, which reports what
 * it saw: the handshake query, whether its transport sends binary as binary, the negotiated
 * WebSocket extensions and the bytes read from the WebSocket's TCP connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineIoClientOptionsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static EngineIoClientOptions.Builder options(NodeServer s, TransportType... transports) {
    return EngineIoClientOptions.builder().uri(URI.create(s.url())).transports(transports);
  }

  private static JsonNode stats(NodeServer s, String sid) {
    s.script().sendJson(Map.of("cmd", "stats"));
    return s.script().await("stats", n -> n.path("id").asText().equals(sid), WAIT);
  }

  enum Transport {
    POLLING,
    WEBSOCKET
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void forceBase64AnnouncesB64AndCarriesBinaryAsText(Transport transport) {
    TransportType type = TransportType.valueOf(transport.name());
    try (NodeServer server = NodeServer.engineIo()) {
      RecordingListener rec = new RecordingListener();
      EngineIoClient client =
          EngineIoClient.open(options(server, type).forceBase64(true).build(), rec);
      try {
        rec.expect("open", WAIT);
        String sid = client.id().orElseThrow();
        assertEquals(
            "1", server.script().await("connection", WAIT).path("query").path("b64").asText());
        assertFalse(stats(server, sid).path("supportsBinary").asBoolean(true));
        byte[] bytes = {0, 1, 2, (byte) 0xff, 'b'};
        client.send(bytes);
        // The server decoded "b<base64>" into binary, and its echo came back as base64 text.
        assertEquals(
            Base64.getEncoder().encodeToString(bytes),
            server.script().await("message", WAIT).path("binary").asText());
        rec.expect("binary:" + Base64.getEncoder().encodeToString(bytes), WAIT);
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
      // Control: without the option the WebSocket carries binary as binary.
      if (type == TransportType.WEBSOCKET) {
        RecordingListener plain = new RecordingListener();
        EngineIoClient other = EngineIoClient.open(options(server, type).build(), plain);
        try {
          plain.expect("open", WAIT);
          assertTrue(stats(server, other.id().orElseThrow()).path("supportsBinary").asBoolean());
        } finally {
          other.close().orTimeout(10, TimeUnit.SECONDS).join();
        }
      }
    }
  }

  @Test
  void timestampRequestsStampsPollingRequestsUnlessTurnedOff() {
    try (NodeServer server = NodeServer.engineIo()) {
      for (boolean stamp : new boolean[] {true, false}) {
        RecordingListener rec = new RecordingListener();
        EngineIoClient client =
            EngineIoClient.open(
                options(server, TransportType.POLLING).timestampRequests(stamp).build(), rec);
        try {
          rec.expect("open", WAIT);
          JsonNode query = server.script().await("connection", WAIT).path("query");
          assertEquals(stamp, query.has("t"), "stamped=" + stamp + ": " + query);
          assertTrue(query.has("EIO"), query.toString());
        } finally {
          client.close().orTimeout(10, TimeUnit.SECONDS).join();
        }
      }
    }
  }

  @Test
  void perMessageDeflateCompressesAboveTheThresholdUnlessCompressIsFalse() {
    try (NodeServer server = NodeServer.engineIo("{\"perMessageDeflate\":{\"threshold\":0}}")) {
      RecordingListener rec = new RecordingListener();
      EngineIoClient client =
          EngineIoClient.open(
              options(server, TransportType.WEBSOCKET)
                  .perMessageDeflate(PerMessageDeflate.defaults())
                  .build(),
              rec);
      try {
        rec.expect("open", WAIT);
        String sid = client.id().orElseThrow();
        JsonNode before = stats(server, sid);
        assertTrue(
            before.path("extensions").asText().contains("permessage-deflate"), before.toString());
        String big = "a".repeat(20_000);

        client.send(big);
        server.script().await("message", WAIT);
        // The server's echo came back compressed (threshold 0) and was inflated here.
        rec.expect("message:" + big, WAIT);
        long compressed =
            stats(server, sid).path("bytesRead").asLong() - before.path("bytesRead").asLong();
        assertTrue(
            compressed < 2_000, "20000 compressible bytes took " + compressed + " on the wire");

        long mark = stats(server, sid).path("bytesRead").asLong();
        client.send(big, false);
        server.script().await("message", WAIT);
        rec.expect("message:" + big, WAIT);
        long raw = stats(server, sid).path("bytesRead").asLong() - mark;
        assertTrue(raw > 20_000, "compress=false still took only " + raw + " bytes");

        mark = stats(server, sid).path("bytesRead").asLong();
        String small = "a".repeat(1_000);
        client.send(small);
        server.script().await("message", WAIT);
        long belowThreshold = stats(server, sid).path("bytesRead").asLong() - mark;
        assertTrue(belowThreshold > 1_000, "below the 1024-byte threshold, yet " + belowThreshold);
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
      // Control: a client that does not offer the extension gets none.
      RecordingListener plain = new RecordingListener();
      EngineIoClient other =
          EngineIoClient.open(options(server, TransportType.WEBSOCKET).build(), plain);
      try {
        plain.expect("open", WAIT);
        assertEquals("", stats(server, other.id().orElseThrow()).path("extensions").asText());
      } finally {
        other.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  @Test
  void inflatingBeyondMaxIncomingPayloadFailsTheConnection() {
    try (NodeServer server = NodeServer.engineIo("{\"perMessageDeflate\":{\"threshold\":0}}")) {
      RecordingListener rec = new RecordingListener();
      EngineIoClient client =
          EngineIoClient.open(
              options(server, TransportType.WEBSOCKET)
                  .perMessageDeflate(PerMessageDeflate.defaults())
                  .maxIncomingPayload(10_000)
                  .build(),
              rec);
      try {
        rec.expect("open", WAIT);
        // 200 KB of one letter deflate to a few hundred bytes: a small frame, a big message.
        server
            .script()
            .sendJson(
                Map.of(
                    "cmd", "send", "text", "a".repeat(200_000), "id", client.id().orElseThrow()));
        rec.await("error:", WAIT);
        rec.expect("close:transport error", WAIT);
        assertFalse(
            rec.snapshot().stream().anyMatch(l -> l.startsWith("message:")),
            rec.snapshot().toString());
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  @Test
  void tryAllTransportsFallsBackToTheNextTransport() {
    try (NodeServer server = NodeServer.engineIo("{\"transports\":[\"polling\"]}")) {
      RecordingListener rec = new RecordingListener();
      EngineIoClient client =
          EngineIoClient.open(
              options(server, TransportType.WEBSOCKET, TransportType.POLLING)
                  .tryAllTransports(true)
                  .build(),
              rec);
      try {
        rec.expect("open", WAIT);
        assertEquals(TransportType.POLLING, client.transport().orElseThrow());
        assertEquals(
            "polling", server.script().await("connection", WAIT).path("transport").asText());
        client.send("over polling");
        rec.expect("message:over polling", WAIT);
        assertFalse(
            rec.snapshot().stream().anyMatch(l -> l.startsWith("error:")),
            rec.snapshot().toString());
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
      // Without the option (the reference's default) the first failure ends the attempt.
      RecordingListener strict = new RecordingListener();
      EngineIoClient other =
          EngineIoClient.open(
              options(server, TransportType.WEBSOCKET, TransportType.POLLING).build(), strict);
      try {
        strict.await("error:", WAIT);
        strict.expect("close:transport error", WAIT);
      } finally {
        other.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  @Test
  void rememberUpgradeStartsWithWebSocketAfterAWebSocketWorked() {
    try (NodeServer server = NodeServer.engineIo()) {
      RecordingListener first = new RecordingListener();
      EngineIoClient upgraded =
          EngineIoClient.open(
              options(server, TransportType.POLLING, TransportType.WEBSOCKET)
                  .rememberUpgrade(true)
                  .build(),
              first);
      try {
        first.expect("open", WAIT);
        first.expect("upgrade:websocket", WAIT);
      } finally {
        upgraded.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
      server.script().await("connection", WAIT);

      RecordingListener second = new RecordingListener();
      EngineIoClient remembering =
          EngineIoClient.open(
              options(server, TransportType.POLLING, TransportType.WEBSOCKET)
                  .rememberUpgrade(true)
                  .build(),
              second);
      try {
        second.expect("open", WAIT);
        assertEquals(
            "websocket", server.script().await("connection", WAIT).path("transport").asText());
      } finally {
        remembering.close().orTimeout(10, TimeUnit.SECONDS).join();
      }

      // Without the option the handshake stays on the first transport.
      RecordingListener third = new RecordingListener();
      EngineIoClient plain =
          EngineIoClient.open(
              options(server, TransportType.POLLING, TransportType.WEBSOCKET).build(), third);
      try {
        third.expect("open", WAIT);
        assertEquals(
            "polling", server.script().await("connection", WAIT).path("transport").asText());
      } finally {
        plain.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  @Test
  void optionsKeepTheirValuesThroughToBuilder() {
    EngineIoClientOptions o =
        EngineIoClientOptions.builder()
            .uri(URI.create("http://127.0.0.1:1"))
            .withCredentials(true)
            .tryAllTransports(true)
            .forceBase64(true)
            .perMessageDeflate(new PerMessageDeflate(10))
            .proxy(EngineIoClientOptions.Proxy.of("127.0.0.1", 3128, "u", "p"))
            .build()
            .toBuilder()
            .build();
    assertTrue(o.withCredentials() && o.tryAllTransports() && o.forceBase64());
    assertEquals(10, o.perMessageDeflate().orElseThrow().threshold());
    assertEquals(List.of("u"), o.proxy().orElseThrow().username().stream().toList());
    assertFalse(o.proxy().orElseThrow().toString().contains("p]"), "no password in toString");
  }
}
