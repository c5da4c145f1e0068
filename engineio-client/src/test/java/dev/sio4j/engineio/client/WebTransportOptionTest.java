package dev.sio4j.engineio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sio4j.engineio.parser.TransportType;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java client speaks polling and WebSocket only: asked for WebTransport, it says so at once
 * rather than open a WebSocket under that name. (A server's {@code webtransport} upgrade offer is
 * filtered out against the allowed transports.)
 */
class WebTransportOptionTest {
  @Test
  void webTransportIsRefusedAsAClientTransport() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EngineIoClientOptions.builder()
                    .uri(URI.create("http://127.0.0.1:1"))
                    .transports(TransportType.POLLING, TransportType.WEBTRANSPORT));
    assertEquals("the Java client does not speak WebTransport", e.getMessage());
    assertEquals(
        List.of(TransportType.POLLING, TransportType.WEBSOCKET),
        EngineIoClientOptions.builder().uri(URI.create("http://127.0.0.1:1")).build().transports());
  }
}
