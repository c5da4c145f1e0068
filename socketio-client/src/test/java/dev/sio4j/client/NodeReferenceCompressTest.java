package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.client.EngineIoClientOptions.PerMessageDeflate;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.LineLog;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code socket.compress(false).emit(...)} against the Node reference server with
 * permessage-deflate: the server counts the bytes it reads, so a compressed emit and an
 * uncompressed one are told apart on the wire.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeReferenceCompressTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void compressFalseKeepsTheFrameUncompressed() {
    try (TestServer server = new NodeTestServer("{\"perMessageDeflate\":{\"threshold\":0}}")) {
      SocketIoClient client =
          SocketIoClient.builder()
              .uri(URI.create(server.url()))
              .transports(TransportType.WEBSOCKET)
              .perMessageDeflate(PerMessageDeflate.defaults())
              .build();
      try {
        ClientSocket socket = client.socket("/");
        LineLog log = AbstractClientInteropTest.record(socket);
        log.await("connect", WAIT);
        String id = socket.id().orElseThrow();
        String big = "a".repeat(20_000);

        long mark = bytesRead(server, id);
        socket.timeout(WAIT).emitWithAck("echo", big).join();
        long compressed = bytesRead(server, id) - mark;
        assertTrue(compressed < 2_000, "20000 compressible chars took " + compressed + " bytes");

        mark = bytesRead(server, id);
        socket.compress(false).timeout(WAIT).emitWithAck("echo", big).join();
        long raw = bytesRead(server, id) - mark;
        assertTrue(raw > 20_000, "compress(false) still took only " + raw + " bytes");
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  private static long bytesRead(TestServer server, String id) {
    server.command(Map.of("cmd", "stats", "to", id));
    JsonNode stats = server.await("stats", n -> n.path("id").asText().equals(id), WAIT);
    assertTrue(
        stats.path("extensions").toString().contains("permessage-deflate"), stats.toString());
    return stats.path("bytesRead").asLong();
  }
}
