package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.server.Polling.header;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** CORS, the session cookie, headers hooks, HTTP compression and JSONP. */
class HttpFeaturesTest {
  private static final String ORIGIN = "http://example.com";

  @Nested
  class CorsHeaders {
    private final EngineIoOptions.Builder options =
        EngineIoOptions.builder()
            .cors(CorsOptions.builder().origins(ORIGIN).credentials(true).build());

    @Test
    void preflightIs204WithOriginMethodsHeadersAndCredentials() {
      try (TestServer server = TestServer.start(options)) {
        HttpResponse<byte[]> res =
            Http.send(
                Http.request(
                        server.url("EIO=4&transport=polling"),
                        "Origin",
                        ORIGIN,
                        "Access-Control-Request-Method",
                        "POST",
                        "Access-Control-Request-Headers",
                        "content-type,x-custom")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .build());
        assertEquals(204, res.statusCode());
        assertEquals(ORIGIN, header(res, "Access-Control-Allow-Origin"));
        assertEquals("true", header(res, "Access-Control-Allow-Credentials"));
        assertEquals("GET,HEAD,PUT,PATCH,POST,DELETE", header(res, "Access-Control-Allow-Methods"));
        assertEquals("content-type,x-custom", header(res, "Access-Control-Allow-Headers"));
        assertEquals("Origin, Access-Control-Request-Headers", header(res, "Vary"));
        assertEquals(0, res.body().length);
        assertEquals(0, server.server.clientsCount());
      }
    }

    @Test
    void plainRequestsOfAnAllowedOriginGetAllowOrigin() {
      try (TestServer server = TestServer.start(options)) {
        HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling"), "Origin", ORIGIN);
        assertEquals(200, res.statusCode());
        assertEquals(ORIGIN, header(res, "Access-Control-Allow-Origin"));
        assertEquals("true", header(res, "Access-Control-Allow-Credentials"));
        assertEquals("Origin", header(res, "Vary"));
        String sid = sidOf(text(res));

        HttpResponse<byte[]> post =
            Http.send(
                Http.request(server.polling(sid), "Origin", ORIGIN, "Content-Type", Http.TEXT)
                    .POST(HttpRequest.BodyPublishers.ofString("4x"))
                    .build());
        assertEquals(ORIGIN, header(post, "Access-Control-Allow-Origin"));

        HttpResponse<byte[]> error = get(server.url("EIO=4&transport=tobi"), "Origin", ORIGIN);
        assertEquals(400, error.statusCode());
        assertEquals(ORIGIN, header(error, "Access-Control-Allow-Origin"));
      }
    }

    @Test
    void otherOriginsGetNoAllowOrigin() {
      // Served only with the origin check off (by default they are refused: OriginCheckTest).
      try (TestServer server = TestServer.start(options.checkOrigin(false))) {
        HttpResponse<byte[]> res =
            get(server.url("EIO=4&transport=polling"), "Origin", "http://evil.example");
        assertEquals(200, res.statusCode());
        assertNull(header(res, "Access-Control-Allow-Origin"));
      }
    }

    @Test
    void anyOriginIsAStar() {
      try (TestServer server =
          TestServer.start(EngineIoOptions.builder().cors(CorsOptions.anyOrigin()))) {
        HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling"), "Origin", ORIGIN);
        assertEquals("*", header(res, "Access-Control-Allow-Origin"));
        assertNull(header(res, "Access-Control-Allow-Credentials"));
      }
    }

    @Test
    void noCorsHeaderWhenCorsIsNotConfigured() {
      // A foreign origin is served only with the origin check off (OriginCheckTest).
      try (TestServer server = TestServer.start(EngineIoOptions.builder().checkOrigin(false))) {
        HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling"), "Origin", ORIGIN);
        assertEquals(200, res.statusCode());
        assertTrue(
            res.headers().map().keySet().stream()
                .noneMatch(h -> h.toLowerCase().startsWith("access-control-")),
            res.headers().map().toString());
      }
    }
  }

  // ---- cookie ----------------------------------------------------------------------------------

  @Test
  void cookieOptionSetsTheSidCookieOnTheHandshakeOnly() {
    try (TestServer server =
        TestServer.start(EngineIoOptions.builder().cookie(CookieOptions.defaults()))) {
      HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling"));
      String sid = sidOf(text(res));
      assertEquals("io=" + sid + "; Path=/; HttpOnly; SameSite=Lax", header(res, "Set-Cookie"));
      server.recorder.socket(sid).send("x");
      HttpResponse<byte[]> next = get(server.polling(sid));
      assertEquals("4x", text(next));
      assertNull(header(next, "Set-Cookie"));
    }
  }

  @Test
  void customCookieAttributes() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .cookie(
                    CookieOptions.builder()
                        .name("woot")
                        .path("/custom")
                        .httpOnly(false)
                        .sameSite("Strict")
                        .secure(true)
                        .build()))) {
      HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling"));
      assertEquals(
          "woot=" + sidOf(text(res)) + "; Path=/custom; Secure; SameSite=Strict",
          header(res, "Set-Cookie"));
    }
  }

  @Test
  void noCookieByDefault() {
    try (TestServer server = TestServer.start()) {
      assertNull(header(get(server.url("EIO=4&transport=polling")), "Set-Cookie"));
    }
  }

  // ---- headers hooks ---------------------------------------------------------------------------

  private static EngineIoOptions.Builder hooks() {
    return EngineIoOptions.builder()
        .addInitialHeaders((h, r) -> h.put("X-Initial", new ArrayList<>(List.of("first"))))
        .addHeaders(
            (h, r) -> h.put("X-Every", new ArrayList<>(List.of(r.query().get("transport")))));
  }

  @Test
  void initialHeadersOnTheHandshakeOnlyAndHeadersOnEveryResponse() {
    try (TestServer server = TestServer.start(hooks())) {
      HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling"));
      assertEquals("first", header(res, "X-Initial"));
      assertEquals("polling", header(res, "X-Every"));
      String sid = sidOf(text(res));

      HttpResponse<byte[]> post = Http.post(server.polling(sid), "4x");
      assertNull(header(post, "X-Initial"));
      assertEquals("polling", header(post, "X-Every"));

      server.recorder.socket(sid).send("y");
      HttpResponse<byte[]> poll = get(server.polling(sid));
      assertNull(header(poll, "X-Initial"));
      assertEquals("polling", header(poll, "X-Every"));
    }
  }

  @Test
  void headersHooksApplyToTheWebSocket101() {
    try (TestServer server = TestServer.start(hooks());
        RawHttp raw = new RawHttp(server.port())) {
      RawHttp.Response res =
          raw.exchange(RawHttp.upgradeRequest("/engine.io/?EIO=4&transport=websocket"));
      assertEquals(101, res.status());
      assertEquals(Optional.of("first"), res.header("x-initial"));
      assertEquals(Optional.of("websocket"), res.header("x-every"));
    }
  }

  @Test
  void hooksMayOverrideEngineHeaders() {
    try (TestServer server =
        TestServer.start(
            EngineIoOptions.builder()
                .addHeaders(
                    (h, r) -> h.put("cache-control", new ArrayList<>(List.of("private")))))) {
      assertEquals("private", header(get(server.url("EIO=4&transport=polling")), "cache-control"));
    }
  }

  // ---- HTTP compression ------------------------------------------------------------------------

  private static String gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String inflate(byte[] body) throws IOException {
    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void largePollingResponseIsGzippedWhenAccepted() throws IOException {
    String big = "a".repeat(2000);
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      server.recorder.socket(sid).send(big);
      HttpResponse<byte[]> res = get(server.polling(sid), "Accept-Encoding", "gzip, deflate");
      assertEquals("gzip", header(res, "Content-Encoding"));
      assertEquals(Integer.toString(res.body().length), header(res, "Content-Length"));
      assertTrue(res.body().length < 2001);
      assertEquals("4" + big, gunzip(res.body()));
    }
  }

  @Test
  void deflateIsUsedWhenGzipIsNotAccepted() throws IOException {
    String big = "b".repeat(2000);
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      server.recorder.socket(sid).send(big);
      HttpResponse<byte[]> res = get(server.polling(sid), "Accept-Encoding", "deflate");
      assertEquals("deflate", header(res, "Content-Encoding"));
      assertEquals("4" + big, inflate(res.body()));
    }
  }

  @Test
  void noCompressionWithoutAcceptEncoding() {
    String big = "c".repeat(2000);
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      server.recorder.socket(sid).send(big);
      HttpResponse<byte[]> res = get(server.polling(sid));
      assertNull(header(res, "Content-Encoding"));
      assertEquals("4" + big, text(res));
    }
  }

  @Test
  void noCompressionBelowTheThreshold() {
    String small = "d".repeat(1022); // the payload "4ddd..." is 1023 bytes, one under 1024
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      server.recorder.socket(sid).send(small);
      HttpResponse<byte[]> res = get(server.polling(sid), "Accept-Encoding", "gzip");
      assertNull(header(res, "Content-Encoding"));
      assertEquals("4" + small, text(res));
      server.recorder.socket(sid).send(small + "d");
      assertEquals(
          "gzip", header(get(server.polling(sid), "Accept-Encoding", "gzip"), "Content-Encoding"));
    }
  }

  @Test
  void noCompressionWhenEveryPacketOptsOut() {
    String big = "e".repeat(2000);
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      server.recorder.socket(sid).send(big, false);
      HttpResponse<byte[]> res = get(server.polling(sid), "Accept-Encoding", "gzip");
      assertNull(header(res, "Content-Encoding"));
      assertEquals("4" + big, text(res));
    }
  }

  @Test
  void noCompressionWhenDisabled() {
    String big = "f".repeat(2000);
    try (TestServer server =
        TestServer.start(EngineIoOptions.builder().httpCompression(false, 1024))) {
      String sid = handshake(server);
      server.recorder.socket(sid).send(big);
      HttpResponse<byte[]> res = get(server.polling(sid), "Accept-Encoding", "gzip");
      assertNull(header(res, "Content-Encoding"));
      assertEquals("4" + big, text(res));
    }
  }

  // ---- JSONP -----------------------------------------------------------------------------------

  @Test
  void jsonpResponsesCallTheIndexedCallbackWithTheEscapedPayload() {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling&j=0"));
      assertEquals(200, res.statusCode());
      String body = text(res);
      String sid = sidOf(body.replace("\\\"", "\""));
      assertEquals(
          "___eio[0](\"0{\\\"sid\\\":\\\""
              + sid
              + "\\\",\\\"upgrades\\\":[\\\"websocket\\\"],\\\"pingInterval\\\":25000,"
              + "\\\"pingTimeout\\\":20000,\\\"maxPayload\\\":1000000}\");",
          body);

      server.recorder.socket(sid).send("say \"hi\"\u2028\u2029\n");
      server.recorder.socket(sid).send("é");
      assertEquals(
          "___eio[0](\"4say \\\"hi\\\"\\u2028\\u2029\\n\\u001e4é\");",
          text(get(server.url("EIO=4&transport=polling&j=0&sid=" + sid))));
    }
  }

  @Test
  void jsonpIndexKeepsOnlyDigits() {
    try (TestServer server = TestServer.start()) {
      String body = text(get(server.url("EIO=4&transport=polling&j=1a2%3B")));
      assertTrue(body.startsWith("___eio[12](\"0{"), body);
    }
  }

  @Test
  void jsonpFormPostCarriesThePayloadInFieldD() {
    try (TestServer server = TestServer.start()) {
      String sid =
          sidOf(text(get(server.url("EIO=4&transport=polling&j=3"))).replace("\\\"", "\""));
      String payload = "4hello\u001e4a\\nb\u001e4c\\\\nd";
      HttpResponse<byte[]> res =
          Http.post(
              server.url("EIO=4&transport=polling&j=3&sid=" + sid),
              ("d=" + URLEncoder.encode(payload, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8),
              "Content-Type",
              "application/x-www-form-urlencoded");
      assertEquals(200, res.statusCode());
      assertEquals("ok", text(res));
      assertEquals("hello", server.recorder.nextText(sid));
      // an escaped newline becomes a newline; an escaped backslash-n stays backslash-n
      assertEquals("a\nb", server.recorder.nextText(sid));
      assertEquals("c\\nd", server.recorder.nextText(sid));
    }
  }

  @Test
  void compressedBodyIsStillTheExactPayloadForBinary() throws IOException {
    byte[] data = new byte[1500];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      server.recorder.socket(sid).send(data);
      HttpResponse<byte[]> res = get(server.polling(sid), "Accept-Encoding", "gzip");
      String payload = gunzip(res.body());
      assertTrue(payload.startsWith("b"));
      assertArrayEquals(data, java.util.Base64.getDecoder().decode(payload.substring(1)));
    }
  }
}
