package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.SelfSignedCertificate;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebTransport is off by default, and offered (as polling's upgrade) only when configured. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebTransportOptionsTest {
  private static final SelfSignedCertificate CERT = SelfSignedCertificate.generate();

  private static WebTransportOptions webTransport() {
    return WebTransportOptions.of(CERT.key(), CERT.certificate());
  }

  @Test
  void offByDefault() {
    EngineIoOptions defaults = EngineIoOptions.defaults();
    assertTrue(defaults.webTransport().isEmpty());
    assertEquals(EnumSet.of(TransportType.POLLING, TransportType.WEBSOCKET), defaults.transports());
    // asked for without a listener, it is still not offered
    assertEquals(
        EnumSet.of(TransportType.POLLING),
        EngineIoOptions.builder()
            .transports(TransportType.POLLING, TransportType.WEBTRANSPORT)
            .build()
            .transports());
    assertThrows(
        IllegalArgumentException.class,
        () -> EngineIoOptions.builder().transports(TransportType.WEBTRANSPORT).build());
    assertThrows(IllegalStateException.class, () -> WebTransportOptions.builder().build());
  }

  @Test
  void configuredItIsAcceptedAndSurvivesToBuilder() {
    EngineIoOptions options = EngineIoOptions.builder().webTransport(webTransport()).build();
    assertEquals(EnumSet.allOf(TransportType.class), options.transports());
    EngineIoOptions copy = options.toBuilder().build();
    assertTrue(copy.webTransport().isPresent());
    assertEquals(options.transports(), copy.transports());
    // the transports list still decides, as in the reference
    assertFalse(
        EngineIoOptions.builder()
            .webTransport(webTransport())
            .transports(TransportType.POLLING, TransportType.WEBSOCKET)
            .build()
            .transports()
            .contains(TransportType.WEBTRANSPORT));
  }

  @Test
  void pollingAdvertisesWebTransportAfterWebSocketOnlyWhenOn() {
    try (TestServer plain = TestServer.start()) {
      String body = text(get(plain.url("EIO=4&transport=polling")));
      assertTrue(body.contains("\"upgrades\":[\"websocket\"]"), body);
      assertTrue(plain.server.webTransportPort().isEmpty());
    }
    try (TestServer wt = TestServer.start(EngineIoOptions.builder().webTransport(webTransport()))) {
      String body = text(get(wt.url("EIO=4&transport=polling")));
      assertTrue(body.contains("\"upgrades\":[\"websocket\",\"webtransport\"]"), body);
      // the UDP port numbered as the TCP one: clients open WebTransport to their URL's port
      assertEquals(wt.port(), wt.server.webTransportPort().orElseThrow());
    }
  }

  @Test
  void webTransportIsNeverAnHttpTransport() {
    try (TestServer wt = TestServer.start(EngineIoOptions.builder().webTransport(webTransport()))) {
      HttpResponse<byte[]> res = get(wt.url("EIO=4&transport=webtransport"));
      assertEquals(400, res.statusCode());
      assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", text(res));
    }
  }

  @Test
  void aUdpPortInUseFailsTheStartAndReleasesTheTcpPort() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      EngineIoServer server =
          EngineIoServer.builder()
              .options(
                  EngineIoOptions.builder()
                      .webTransport(
                          WebTransportOptions.builder()
                              .port(taken.getLocalPort())
                              .certificate(CERT.key(), CERT.certificate())
                              .build())
                      .build())
              .handler(new Recorder())
              .build();
      java.util.concurrent.ExecutionException e =
          assertThrows(
              java.util.concurrent.ExecutionException.class,
              () -> server.start().get(10, TimeUnit.SECONDS));
      assertTrue(String.valueOf(e.getCause()).contains("Address already in use"), e.toString());
    }
  }
}
