package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.header;
import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.server.AllowRequest.Decision;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.RawHttp;
import dev.sio4j.engineio.testing.RawWebSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Refused requests: every Engine.IO error code with its exact status and JSON body on polling, and
 * the raw {@code 400 Bad Request} written on a refused WebSocket upgrade.
 */
class ErrorResponseTest {

  private static void assertError(HttpResponse<byte[]> res, int status, String body) {
    assertEquals(status, res.statusCode());
    assertEquals("application/json", header(res, "Content-Type"));
    assertEquals(body, text(res));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET | EIO=4&transport=tobi | 0 | Transport unknown | UNKNOWN_TRANSPORT",
        "GET | EIO=4 | 0 | Transport unknown | UNKNOWN_TRANSPORT",
        "GET | EIO=4&transport=constructor | 0 | Transport unknown | UNKNOWN_TRANSPORT",
        "GET | EIO=4&transport=__proto__ | 0 | Transport unknown | UNKNOWN_TRANSPORT",
        "GET | EIO=4&transport=webtransport | 0 | Transport unknown | UNKNOWN_TRANSPORT",
        "GET | EIO=4&transport=polling&sid=test | 1 | Session ID unknown | UNKNOWN_SID",
        "POST | EIO=4&transport=polling&sid=test | 1 | Session ID unknown | UNKNOWN_SID",
        "POST | EIO=4&transport=polling | 2 | Bad handshake method | BAD_HANDSHAKE_METHOD",
        "PUT | EIO=4&transport=polling | 2 | Bad handshake method | BAD_HANDSHAKE_METHOD",
        "GET | EIO=4&transport=websocket | 3 | Bad request | BAD_REQUEST",
        "GET | EIO=3&transport=polling | 5 | Unsupported protocol version | UNSUPPORTED_PROTOCOL_VERSION",
        "GET | transport=polling | 5 | Unsupported protocol version | UNSUPPORTED_PROTOCOL_VERSION",
        "GET | EIO=5&transport=polling | 5 | Unsupported protocol version | UNSUPPORTED_PROTOCOL_VERSION",
      })
  void pollingRequestIsRefusedWithCodeAndMessage(
      String method, String query, int code, String message, EngineIoError error) {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> res =
          Http.send(
              Http.request(server.url(query), "Content-Type", Http.TEXT)
                  .method(
                      method,
                      method.equals("GET")
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString("4x"))
                  .build());
      assertError(res, 400, "{\"code\":" + code + ",\"message\":\"" + message + "\"}");
      Recorder.ConnectionError seen = server.recorder.nextConnectionError();
      assertEquals(error, seen.error());
      assertEquals(message, seen.message());
      assertEquals(0, server.server.clientsCount());
    }
  }

  @Test
  void allowRequestRefusalIs403WithItsMessage() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .allowRequest(
                    r ->
                        CompletableFuture.completedFuture(Decision.deny("Thou shall not pass"))))) {
      assertError(
          get(server.url("EIO=4&transport=polling")),
          403,
          "{\"code\":4,\"message\":\"Thou shall not pass\"}");
      assertEquals(EngineIoError.FORBIDDEN, server.recorder.nextConnectionError().error());
      assertTrue(server.recorder.opened().isEmpty());
    }
  }

  @Test
  void allowRequestRefusalWithoutMessageSaysForbidden() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .allowRequest(r -> CompletableFuture.completedFuture(Decision.deny(null))))) {
      assertError(
          get(server.url("EIO=4&transport=polling")),
          403,
          "{\"code\":4,\"message\":\"Forbidden\"}");
    }
  }

  @Test
  void allowRequestThatThrowsRefusesWithTheExceptionMessage() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .allowRequest(
                    r -> {
                      throw new IllegalStateException("no \"quotes\" here");
                    }))) {
      assertError(
          get(server.url("EIO=4&transport=polling")),
          403,
          "{\"code\":4,\"message\":\"no \\\"quotes\\\" here\"}");
    }
  }

  @Test
  void allowRequestMayDecideLaterOnAnotherThread() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .allowRequest(
                    r ->
                        CompletableFuture.supplyAsync(
                            () ->
                                r.queryParam("token").orElse("").equals("secret")
                                    ? Decision.allow()
                                    : Decision.deny("bad token"),
                            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))))) {
      HttpResponse<byte[]> ok = get(server.url("EIO=4&transport=polling&token=secret"));
      assertEquals(200, ok.statusCode());
      assertTrue(text(ok).startsWith("0{\"sid\":\""), text(ok));
      assertError(
          get(server.url("EIO=4&transport=polling&token=guess")),
          403,
          "{\"code\":4,\"message\":\"bad token\"}");
    }
  }

  @Test
  void allowRequestMayDecideLaterForAWebSocketHandshake() {
    try (TestServer server =
            TestServer.start(
                EngineIoOptions.builder()
                    .allowRequest(
                        r ->
                            CompletableFuture.supplyAsync(
                                Decision::allow,
                                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))));
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      String sid = EngineIoWireClient.sidOf(ws.nextText());
      ws.send("4late but fine");
      assertEquals("late but fine", server.recorder.nextText(sid));
    }
  }

  @Test
  void allowRequestIsNotConsultedForRequestsWithASid() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .allowRequest(
                    r -> {
                      calls.incrementAndGet();
                      return CompletableFuture.completedFuture(Decision.allow());
                    }))) {
      String sid = Polling.handshake(server);
      Polling.push(server, sid, "4x");
      assertEquals("x", server.recorder.nextText(sid));
      assertEquals(1, calls.get());
    }
  }

  @Test
  void methodOtherThanGetOrPostOnASessionIs500() {
    try (TestServer server = TestServer.start()) {
      String sid = Polling.handshake(server);
      HttpResponse<byte[]> res =
          Http.send(
              Http.request(server.polling(sid))
                  .method("PUT", HttpRequest.BodyPublishers.ofString("4x"))
                  .build());
      assertEquals(500, res.statusCode());
      assertEquals(0, res.body().length);
    }
  }

  // ---- refused WebSocket upgrades --------------------------------------------------------------

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "EIO=4&transport=websocket&sid=unknown | Session ID unknown",
        "EIO=4&transport=tobi | Transport unknown",
        "EIO=4&transport=polling | Bad request",
        "EIO=3&transport=websocket | Unsupported protocol version",
        "transport=websocket | Unsupported protocol version",
      })
  void refusedUpgradeGetsARaw400WithTheMessageThenTheConnectionCloses(String query, String body) {
    try (TestServer server = TestServer.start();
        RawHttp raw = new RawHttp(server.port())) {
      RawHttp.Response res = raw.exchange(RawHttp.upgradeRequest("/engine.io/?" + query));
      assertEquals("HTTP/1.1 400 Bad Request", res.statusLine());
      assertEquals(Optional.of("close"), res.header("connection"));
      assertEquals(Optional.of("text/html"), res.header("content-type"));
      assertEquals(Optional.of(Integer.toString(body.length())), res.header("content-length"));
      assertEquals(body, res.bodyText());
      assertTrue(raw.closedByServer(), "the connection must be closed after a refused upgrade");
      assertEquals(0, server.server.clientsCount());
    }
  }

  @Test
  void forbiddenUpgradeIs400NotForbidden() {
    try (TestServer server =
            TestServer.start(
                EngineIoOptions.builder()
                    .allowRequest(r -> CompletableFuture.completedFuture(Decision.deny("nope"))));
        RawHttp raw = new RawHttp(server.port())) {
      RawHttp.Response res =
          raw.exchange(RawHttp.upgradeRequest("/engine.io/?EIO=4&transport=websocket"));
      assertEquals(400, res.status());
      assertEquals("nope", res.bodyText());
      assertTrue(raw.closedByServer());
      assertEquals(EngineIoError.FORBIDDEN, server.recorder.nextConnectionError().error());
    }
  }

  @Test
  void acceptedUpgradeAnswers101() {
    try (TestServer server = TestServer.start();
        RawHttp raw = new RawHttp(server.port())) {
      RawHttp.Response res =
          raw.exchange(RawHttp.upgradeRequest("/engine.io/?EIO=4&transport=websocket"));
      assertEquals(101, res.status());
      assertEquals(Optional.of("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), res.header("sec-websocket-accept"));
      server.recorder.awaitOpen();
    }
  }
}
