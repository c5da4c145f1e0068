package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sio4j.engineio.client.EngineIoClient;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.interop.NodeServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine as users of the JS client reach it ({@code socket.io.engine}): its upgrade event, its
 * current transport, and its {@code close()} to simulate a network drop, against the Node reference
 * server. As in the reference, the drop is reported as {@code "forced close"} and the client
 * reconnects.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineAccessInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void upgradeEventCurrentTransportAndEngineCloseThenReconnection() {
    try (NodeServer server = NodeServer.socketIo()) {
      SocketIoClient client =
          SocketIoClient.builder()
              .uri(URI.create(server.url()))
              .reconnectionDelay(Duration.ofMillis(100))
              .reconnectionDelayMax(Duration.ofMillis(200))
              .build();
      try {
        LineLog manager = new LineLog();
        client.onUpgrade(t -> manager.add("upgrade:" + t.wireName()));
        client.onClose(r -> manager.add("close:" + r.reason()));
        client.onReconnect(n -> manager.add("reconnect:" + n));
        ClientSocket socket = client.socket("/");
        LineLog log = AbstractClientInteropTest.record(socket);
        log.await("connect", WAIT);
        manager.await("upgrade:websocket", WAIT);
        EngineIoClient engine = client.engine().orElseThrow();
        assertEquals(TransportType.WEBSOCKET, engine.transport().orElseThrow());
        String firstId = socket.id().orElseThrow();
        String firstEngine = engine.id().orElseThrow();

        engine.close();
        assertEquals("disconnect:forced close", log.await("disconnect:", WAIT));
        assertEquals("close:forced close", manager.await("close:", WAIT));
        // The server saw the transport go away.
        assertEquals(
            "transport close",
            server
                .script()
                .await("disconnect", n -> n.path("id").asText().equals(firstId), WAIT)
                .path("reason")
                .asText());

        manager.await("reconnect:", WAIT);
        log.await("connect", WAIT);
        assertNotEquals(firstId, socket.id().orElseThrow());
        EngineIoClient second = client.engine().orElseThrow();
        assertNotEquals(firstEngine, second.id().orElse(firstEngine));
        // The new connection upgrades too, and its upgrade is heard by the same listener.
        manager.await("upgrade:websocket", WAIT);
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }
}
