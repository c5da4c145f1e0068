package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.engineio.testing.LineLog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process test server speaks the reference script's protocol faithfully. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Sio4jTestServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void joinIsReportedOnceTheTargetedSocketsAreInTheRoom() {
    try (Sio4jTestServer server = new Sio4jTestServer("{}")) {
      SocketIoClient client =
          SocketIoClient.builder().uri(URI.create(server.url())).reconnection(false).build();
      try {
        ClientSocket socket = client.socket("/");
        LineLog log = AbstractClientInteropTest.record(socket);
        socket.on("news", args -> log.add("news:" + args.string(0)));
        log.await("connect", WAIT);
        String id = socket.id().orElseThrow();
        server.await("connection", n -> n.path("id").asText().equals(id), WAIT);

        server.command(Map.of("cmd", "join", "to", id, "room", "r"));
        server.await("joined", n -> n.path("room").asText().equals("r"), WAIT);
        // Reported after the fact: a broadcast to the room sent now reaches the socket.
        server.command(Map.of("cmd", "emit", "to", "r", "name", "news", "args", List.of("in r")));
        assertEquals("news:in r", log.await("news:", WAIT));
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }
}
