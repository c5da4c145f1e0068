package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.Subscription;
import dev.sio4j.engineio.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** {@link SocketIoServer#serveStatic}: extra files on the server's own port. */
class ServeStaticTest extends ServerTestSupport {
  static final byte[] INDEX = "<html>index</html>".getBytes(StandardCharsets.UTF_8);
  static final byte[] APP = "console.log('é');".repeat(50).getBytes(StandardCharsets.UTF_8);

  private final List<String> asked = new CopyOnWriteArrayList<>();

  private final StaticFiles files =
      path -> {
        asked.add(path);
        Map<String, StaticFile> all =
            Map.of(
                "index.html", StaticFile.of(INDEX, "text/html; charset=utf-8"),
                "js/app.js", StaticFile.of(APP, "application/javascript"));
        return Optional.ofNullable(all.get(path));
      };

  private static HttpResponse<byte[]> get(SocketIoServer io, String path, String... headers) {
    return Http.get("http://127.0.0.1:" + io.port() + path, headers);
  }

  @Test
  void servesTheFilesBelowThePrefixWithTypeAndETag() {
    SocketIoServer io = server();
    io.serveStatic("/ui", files);
    HttpResponse<byte[]> app = get(io, "/ui/js/app.js?v=3");
    assertEquals(200, app.statusCode());
    assertArrayEquals(APP, app.body());
    assertEquals("application/javascript", app.headers().firstValue("Content-Type").orElse(""));
    String etag = app.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, get(io, "/ui/js/app.js", "If-None-Match", etag).statusCode());

    HttpResponse<byte[]> index = get(io, "/ui/");
    assertEquals(200, index.statusCode());
    assertArrayEquals(INDEX, index.body());
  }

  @Test
  void thePrefixAloneRedirectsToItsSlashKeepingTheQuery() {
    SocketIoServer io = server();
    io.serveStatic("/ui", files);
    HttpResponse<byte[]> res = get(io, "/ui?x=1");
    assertEquals(301, res.statusCode());
    assertEquals("/ui/?x=1", res.headers().firstValue("Location").orElse(""));
  }

  @Test
  void unknownFilesAndWaysOutAreNotFound() {
    SocketIoServer io = server();
    io.serveStatic("/ui", files);
    assertEquals(404, get(io, "/ui/missing.js").statusCode());
    asked.clear();
    assertEquals(404, get(io, "/ui/js/..%2F..%2Fsecret").statusCode());
    assertEquals(404, get(io, "/ui/./index.html").statusCode());
    assertTrue(asked.isEmpty(), "asked for " + asked);
    // Outside the prefix: not the route's (the default fallback answers 404 too, but the files
    // are never asked).
    assertEquals(404, get(io, "/uix/index.html").statusCode());
    assertTrue(asked.isEmpty(), "asked for " + asked);
  }

  @Test
  void gzipWhenAcceptedAndHeadWithoutBody() throws IOException {
    SocketIoServer io = server();
    io.serveStatic("/ui", files);
    HttpResponse<byte[]> gz = get(io, "/ui/js/app.js", "Accept-Encoding", "gzip");
    assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertArrayEquals(APP, in.readAllBytes());
    }
    HttpResponse<byte[]> head =
        Http.send(
            HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + io.port() + "/ui/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertEquals(200, head.statusCode());
    assertEquals(0, head.body().length);
    assertEquals(
        String.valueOf(INDEX.length), head.headers().firstValue("Content-Length").orElse(""));
  }

  @Test
  void otherMethodsAreRefusedAndARemovedRouteIsGone() {
    SocketIoServer io = server();
    Subscription route = io.serveStatic("/ui", files);
    assertEquals(405, Http.post("http://127.0.0.1:" + io.port() + "/ui/", "x").statusCode());
    route.cancel();
    assertEquals(404, get(io, "/ui/").statusCode());
  }

  @Test
  void theClientBundleAndEngineIoStillAnswer() {
    SocketIoServer io = server();
    io.serveStatic("/ui", files);
    assertEquals(200, get(io, "/socket.io/socket.io.min.js").statusCode());
    assertEquals(200, get(io, "/socket.io/?EIO=4&transport=polling").statusCode());
  }

  @Test
  void aPrefixStartsWithASlashAndEndsWithout() {
    SocketIoServer io = server();
    assertThrows(IllegalArgumentException.class, () -> io.serveStatic("ui", files));
    assertThrows(IllegalArgumentException.class, () -> io.serveStatic("/ui/", files));
    assertThrows(IllegalArgumentException.class, () -> io.serveStatic("/", files));
  }
}
