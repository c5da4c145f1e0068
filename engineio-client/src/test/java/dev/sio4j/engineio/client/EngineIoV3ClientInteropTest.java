package dev.sio4j.engineio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.interop.NodeServer;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client with {@code protocolVersion(3)} against the reference {@code engine.io} server with
 * {@code allowEIO3} (echoing every message), on the v3 edge cases: UTF-16 lengths with non-BMP
 * characters, text that starts with a digit, several binary packets in one polling payload, and the
 * heartbeat the v3 client drives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineIoV3ClientInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static NodeServer server;

  @BeforeAll
  static void start() {
    // A short heartbeat: a v3 client that does not ping is dropped after 1.5 s.
    server = NodeServer.engineIo("{\"allowEIO3\":true,\"pingInterval\":500,\"pingTimeout\":1000}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static EngineIoClient open(EngineIoClientInteropTest.Mode mode, Lines rec) {
    return EngineIoClient.open(
        EngineIoClientOptions.builder()
            .uri(URI.create(server.url()))
            .transports(mode.transports)
            .upgrade(mode.upgrade)
            .protocolVersion(3)
            .build(),
        rec);
  }

  @ParameterizedTest
  @EnumSource(EngineIoClientInteropTest.Mode.class)
  void echoesTheV3EdgeCases(EngineIoClientInteropTest.Mode mode) {
    Lines rec = new Lines();
    EngineIoClient client = open(mode, rec);
    rec.expect("open", WAIT);
    String sid = client.id().orElseThrow();
    JsonNode conn =
        server.script().await("connection", n -> n.path("id").asText().equals(sid), WAIT);
    assertEquals(3, conn.path("protocol").asInt(3));
    if (mode == EngineIoClientInteropTest.Mode.UPGRADE) {
      rec.expect("upgrade:websocket", WAIT);
    }
    String nonBmp = "\uD83D\uDE00 h\u00e9llo \uD83C\uDF89";
    client.send(nonBmp);
    client.send("42 starts with digits");
    rec.expect("message:" + nonBmp, WAIT);
    rec.expect("message:42 starts with digits", WAIT);
    // Sent together, echoed together: a binary payload of several packets over polling.
    byte[][] all = {{1}, {2, 3}, {(byte) 0xff, 0, 4}};
    for (byte[] b : all) {
      client.send(b);
    }
    client.send("after");
    for (byte[] b : all) {
      rec.expect("binary:" + Base64.getEncoder().encodeToString(b), WAIT);
    }
    rec.expect("message:after", WAIT);
    client.close().join();
    rec.expect("close:forced close", WAIT);
  }

  @ParameterizedTest
  @EnumSource(EngineIoClientInteropTest.Mode.class)
  void theClientPingsAndTheServerKeepsTheConnection(EngineIoClientInteropTest.Mode mode) {
    Lines rec = new Lines();
    EngineIoClient client = open(mode, rec);
    rec.expect("open", WAIT);
    String sid = client.id().orElseThrow();
    // Three server heartbeat periods (ping interval + timeout) without a close.
    rec.log.assertNoLine("close:", Duration.ofMillis(4500));
    assertEquals(ReadyState.OPEN, client.readyState());
    assertTrue(
        server.script().events("close").stream().noneMatch(n -> n.path("id").asText().equals(sid)));
    client.send("still here");
    rec.expect("message:still here", WAIT);
    client.close().join();
  }

  /** Every callback as a line: "open", "message:hi", "binary:<base64>", "close:<reason>". */
  private static final class Lines implements EngineIoListener {
    final LineLog log = new LineLog();

    void expect(String line, Duration timeout) {
      assertEquals(line, log.await(line, timeout));
    }

    @Override
    public void onOpen(Handshake handshake) {
      log.add("open");
    }

    @Override
    public void onMessage(String text) {
      log.add("message:" + text);
    }

    @Override
    public void onBinaryMessage(byte[] data) {
      log.add("binary:" + Base64.getEncoder().encodeToString(data));
    }

    @Override
    public void onUpgrade(TransportType transport) {
      log.add("upgrade:" + transport);
    }

    @Override
    public void onClose(CloseReason reason, Optional<Throwable> cause) {
      log.add("close:" + reason.reason());
    }
  }

  @Test
  void rejectsOtherProtocolVersions() {
    EngineIoClientOptions.Builder b = EngineIoClientOptions.builder();
    assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> b.protocolVersion(5))
            .getMessage()
            .contains("3 or 4"));
    assertEquals(
        List.of(TransportType.POLLING, TransportType.WEBSOCKET),
        b.uri(URI.create("http://127.0.0.1:1")).protocolVersion(3).build().transports());
  }
}
