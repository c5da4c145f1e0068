package dev.sio4j.engineio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.NodeServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Engine.IO client against the reference {@code engine.io} server (echoing every message). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineIoClientInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static NodeServer server;

  enum Mode {
    POLLING(List.of(TransportType.POLLING), false),
    WEBSOCKET(List.of(TransportType.WEBSOCKET), false),
    UPGRADE(List.of(TransportType.POLLING, TransportType.WEBSOCKET), true);

    final List<TransportType> transports;
    final boolean upgrade;

    Mode(List<TransportType> transports, boolean upgrade) {
      this.transports = transports;
      this.upgrade = upgrade;
    }
  }

  @BeforeAll
  static void start() {
    server = NodeServer.engineIo();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static EngineIoClientOptions.Builder options(NodeServer s, Mode mode) {
    return EngineIoClientOptions.builder()
        .uri(URI.create(s.url()))
        .transports(mode.transports)
        .upgrade(mode.upgrade);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void echoesTextAndBinaryAndClosesCleanly(Mode mode) {
    RecordingListener rec = new RecordingListener();
    EngineIoClient client = EngineIoClient.open(options(server, mode).build(), rec);
    // Sent before the handshake: buffered, then flushed once open.
    client.send("early");
    rec.expect("open", WAIT);
    String sid = client.id().orElseThrow();
    if (mode == Mode.UPGRADE) {
      rec.expect("upgrade:websocket", WAIT);
      server.script().await("upgrade", n -> n.path("id").asText().equals(sid), WAIT);
    }
    rec.expect("message:early", WAIT);
    client.send("héllo ✓");
    rec.expect("message:héllo ✓", WAIT);
    byte[] bytes = {0, 1, 2, (byte) 255};
    client.send(bytes);
    rec.expect("binary:" + Base64.getEncoder().encodeToString(bytes), WAIT);
    JsonNode conn =
        server.script().await("connection", n -> n.path("id").asText().equals(sid), WAIT);
    assertEquals(mode == Mode.WEBSOCKET ? "websocket" : "polling", conn.path("transport").asText());
    assertEquals(
        mode == Mode.POLLING ? TransportType.POLLING : TransportType.WEBSOCKET,
        client.transport().orElseThrow());

    client.close().join();
    rec.expect("close:forced close", WAIT);
    JsonNode close = server.script().await("close", n -> n.path("id").asText().equals(sid), WAIT);
    assertEquals("transport close", close.path("reason").asText());
    assertEquals(ReadyState.CLOSED, client.readyState());
    assertTrue(client.id().isEmpty());
    assertTrue(rec.callbackThread.getName().startsWith("sio4j-client-"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverCloseIsTransportClose(Mode mode) {
    RecordingListener rec = new RecordingListener();
    EngineIoClient client = EngineIoClient.open(options(server, mode).build(), rec);
    rec.expect("open", WAIT);
    if (mode == Mode.UPGRADE) {
      rec.expect("upgrade:websocket", WAIT);
    }
    String sid = client.id().orElseThrow();
    server.script().sendJson(java.util.Map.of("cmd", "closeSockets"));
    rec.expect("close:transport close", WAIT);
    server.script().await("close", n -> n.path("id").asText().equals(sid), WAIT);
    client.closeFuture().join();
  }

  @Test
  void connectionRefusedIsTransportError() {
    RecordingListener rec = new RecordingListener();
    EngineIoClient client =
        EngineIoClient.open(
            EngineIoClientOptions.builder()
                .uri(URI.create("http://127.0.0.1:" + FreePort.find()))
                .build(),
            rec);
    assertTrue(rec.await("error:", WAIT).startsWith("error:xhr poll error"));
    rec.expect("close:transport error", WAIT);
    client.closeFuture().join();
  }

  @Test
  void pollingBatchesRespectMaxPayload() {
    try (NodeServer small = NodeServer.engineIo("{\"maxHttpBufferSize\":100}")) {
      RecordingListener rec = new RecordingListener();
      EngineIoClient client = EngineIoClient.open(options(small, Mode.POLLING).build(), rec);
      String msg = "x".repeat(40);
      // Queued before the handshake, so they leave in batches that must be split.
      for (int i = 0; i < 10; i++) {
        client.send(msg + i);
      }
      rec.expect("open", WAIT);
      for (int i = 0; i < 10; i++) {
        rec.expect("message:" + msg + i, WAIT);
      }
      String sid = client.id().orElseThrow();
      client.close().join();
      JsonNode close = small.script().await("close", n -> n.path("id").asText().equals(sid), WAIT);
      assertEquals("transport close", close.path("reason").asText());
    }
  }

  @Test
  void silentServerIsPingTimeout() throws Exception {
    try (NodeServer fast = NodeServer.engineIo("{\"pingInterval\":300,\"pingTimeout\":200}")) {
      RecordingListener rec = new RecordingListener();
      EngineIoClient client = EngineIoClient.open(options(fast, Mode.WEBSOCKET).build(), rec);
      rec.expect("open", WAIT);
      long pid = fast.script().pid();
      signal("STOP", pid);
      try {
        rec.expect("close:ping timeout", WAIT);
      } finally {
        signal("CONT", pid);
      }
      client.closeFuture().join();
      assertFalse(rec.snapshot().contains("error:"));
    }
  }

  @Test
  void sharedEventLoopGroupIsNotShutDown() {
    var group =
        new io.netty.channel.MultiThreadIoEventLoopGroup(
            1, io.netty.channel.nio.NioIoHandler.newFactory());
    try {
      RecordingListener rec = new RecordingListener();
      EngineIoClient client =
          EngineIoClient.open(options(server, Mode.UPGRADE).eventLoopGroup(group).build(), rec);
      rec.expect("open", WAIT);
      client.send(new String(new byte[] {'o', 'k'}, StandardCharsets.US_ASCII));
      rec.expect("message:ok", WAIT);
      client.close().join();
      assertFalse(group.isShuttingDown());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static void signal(String sig, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    assertTrue(p.waitFor(5, TimeUnit.SECONDS));
  }
}
