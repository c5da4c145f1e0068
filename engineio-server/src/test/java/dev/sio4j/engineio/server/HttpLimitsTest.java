package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.RawHttp;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpLimits}: connections that never finish a request are answered 408 and closed (the
 * client sees the end of the stream: the server let go of the connection), idle kept-alive ones are
 * closed, oversized heads are refused, and a held long-polling GET is never cut by any of it.
 */
@Timeout(60)
class HttpLimitsTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final String HEAD =
      "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n";

  private static TestServer start(HttpLimits.Builder limits) {
    return TestServer.start(EngineIoOptions.builder().httpLimits(limits.build()));
  }

  @Test
  void aConnectionThatNeverSendsARequestGets408AndIsClosed() {
    try (TestServer server = start(HttpLimits.builder().headersTimeout(SHORT));
        RawHttp connection = new RawHttp(server.port())) {
      assertEquals(408, connection.read().status());
      assertTrue(connection.closedByServer());
    }
  }

  @Test
  void aHeadThatNeverEndsGets408AndIsClosed() {
    try (TestServer server = start(HttpLimits.builder().headersTimeout(SHORT));
        RawHttp connection = new RawHttp(server.port())) {
      connection.send(HEAD);
      RawHttp.Response res = connection.read();
      assertEquals(408, res.status());
      assertEquals("close", res.header("connection").orElse(""));
      assertTrue(connection.closedByServer());
    }
  }

  @Test
  void aBodyThatNeverEndsGets408AndClosesItsSession() {
    try (TestServer server = start(HttpLimits.builder().requestTimeout(Duration.ofMillis(500)));
        RawHttp connection = new RawHttp(server.port())) {
      String sid = handshake(server);
      connection.send(
          "POST /engine.io/?EIO=4&transport=polling&sid="
              + sid
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
              + Http.TEXT
              + "\r\nContent-Length: 100\r\n\r\n4abc");
      assertEquals(408, connection.read().status());
      assertTrue(connection.closedByServer());
      server.recorder.assertClose(
          sid, CloseReason.TRANSPORT_ERROR, "data request connection closed prematurely");
      server.recorder.assertNoMessage(sid);
    }
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedWithoutAResponse() {
    try (TestServer server = start(HttpLimits.builder().keepAliveTimeout(SHORT));
        RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response open = connection.exchange(HEAD + "\r\n");
      assertEquals(200, open.status());
      // The end of the stream, not a response (a 408 would be one).
      UncheckedIOException end = assertThrows(UncheckedIOException.class, connection::read);
      assertFalse(end.getCause() instanceof SocketTimeoutException, "closed, not timed out");
      assertTrue(end.getMessage().contains("closed inside the response head"), end.getMessage());
    }
  }

  @Test
  void aHeldPollOutlivesEveryTimeoutAndTheConnectionServesTheNextRequest() {
    Duration tiny = Duration.ofMillis(200);
    try (TestServer server =
            TestServer.start(
                EngineIoOptions.builder()
                    .pingInterval(Duration.ofMillis(1500))
                    .pingTimeout(Duration.ofSeconds(5))
                    .httpLimits(
                        HttpLimits.builder()
                            .headersTimeout(tiny)
                            .requestTimeout(tiny)
                            .keepAliveTimeout(Duration.ofSeconds(1))
                            .build()));
        RawHttp connection = new RawHttp(server.port())) {
      String sid = EngineIoWireClient.sidOf(connection.exchange(HEAD + "\r\n").bodyText());
      String poll =
          "GET /engine.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
      // Held until the first ping, 1.5 s: longer than every HTTP timeout.
      RawHttp.Response ping = connection.exchange(poll + "\r\n");
      assertEquals(200, ping.status());
      assertEquals("2", ping.bodyText());
      RawHttp.Response post =
          connection.exchange(
              RawHttp.post("/engine.io/?EIO=4&transport=polling&sid=" + sid, Http.TEXT, "3"));
      assertEquals("ok", post.bodyText());
    }
  }

  @Test
  void headersOverTheLimitGet431AndTheConnectionIsClosed() {
    try (TestServer server = start(HttpLimits.builder().maxHeaderSize(1024));
        RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response res = connection.exchange(HEAD + "X-Big: " + "a".repeat(2000) + "\r\n\r\n");
      assertEquals(431, res.status());
      assertTrue(connection.closedByServer());
    }
  }

  @Test
  void aRequestLineOverTheLimitGets414AndTheConnectionIsClosed() {
    try (TestServer server = start(HttpLimits.builder().maxRequestLineLength(1024));
        RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response res =
          connection.exchange(
              "GET /engine.io/?EIO=4&transport=polling&x="
                  + "a".repeat(2000)
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals(414, res.status());
      assertTrue(connection.closedByServer());
    }
  }

  @Test
  void defaultsAreNodes() {
    HttpLimits limits = EngineIoOptions.defaults().httpLimits();
    assertEquals(Duration.ofSeconds(60), limits.headersTimeout());
    assertEquals(Duration.ofSeconds(300), limits.requestTimeout());
    assertEquals(Duration.ofSeconds(5), limits.keepAliveTimeout());
    assertEquals(16_384, limits.maxHeaderSize());
    assertEquals(16_384, limits.maxRequestLineLength());
  }
}
