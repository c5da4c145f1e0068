package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ClientBundleTest extends ServerTestSupport {

  private static HttpResponse<byte[]> get(SocketIoServer io, String path, String... headers) {
    return Http.get("http://127.0.0.1:" + io.port() + path, headers);
  }

  private static String header(HttpResponse<?> res, String name) {
    return res.headers().firstValue(name).orElse(null);
  }

  @Test
  void minifiedBundleIsTheOfficialClientWithItsVersionAsETag() {
    SocketIoServer io = server();
    HttpResponse<byte[]> res = get(io, "/socket.io/socket.io.min.js?v=1");
    assertEquals(200, res.statusCode());
    String body = new String(res.body(), StandardCharsets.UTF_8);
    assertTrue(body.startsWith("/*!\n * Socket.IO v4.8.4"), body.substring(0, 40));
    assertEquals("application/javascript; charset=utf-8", header(res, "Content-Type"));
    assertEquals("public, max-age=0", header(res, "Cache-Control"));
    assertEquals("\"4.8.4\"", header(res, "ETag"));
    assertEquals(String.valueOf(res.body().length), header(res, "Content-Length"));
  }

  @Test
  void matchingIfNoneMatchIsNotModified() {
    SocketIoServer io = server();
    HttpResponse<byte[]> strong = get(io, "/socket.io/socket.io.js", "If-None-Match", "\"4.8.4\"");
    assertEquals(304, strong.statusCode());
    assertEquals(0, strong.body().length);
    HttpResponse<byte[]> weak = get(io, "/socket.io/socket.io.js", "If-None-Match", "W/\"4.8.4\"");
    assertEquals(304, weak.statusCode());
    HttpResponse<byte[]> other = get(io, "/socket.io/socket.io.js", "If-None-Match", "\"1.0.0\"");
    assertEquals(200, other.statusCode());
  }

  @Test
  void bundleIsGzippedWhenAccepted() throws IOException {
    SocketIoServer io = server();
    HttpResponse<byte[]> plain = get(io, "/socket.io/socket.io.esm.min.js");
    HttpResponse<byte[]> gz = get(io, "/socket.io/socket.io.esm.min.js", "Accept-Encoding", "gzip");
    assertEquals("gzip", header(gz, "Content-Encoding"));
    assertTrue(gz.body().length < plain.body().length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertArrayEquals(plain.body(), in.readAllBytes());
    }
  }

  @Test
  void sourceMapsAreJson() {
    SocketIoServer io = server();
    for (String f :
        new String[] {
          "socket.io.js.map",
          "socket.io.min.js.map",
          "socket.io.esm.min.js.map",
          "socket.io.msgpack.min.js.map"
        }) {
      HttpResponse<byte[]> res = get(io, "/socket.io/" + f);
      assertEquals(200, res.statusCode(), f);
      assertEquals("application/json; charset=utf-8", header(res, "Content-Type"), f);
    }
    assertEquals(200, get(io, "/socket.io/socket.io.msgpack.min.js").statusCode());
  }

  /** Under the path, Engine.IO answers what is not a bundle file, as in the reference. */
  private static void assertTransportUnknown(HttpResponse<byte[]> res) {
    assertEquals(400, res.statusCode());
    assertEquals(
        "{\"code\":0,\"message\":\"Transport unknown\"}",
        new String(res.body(), StandardCharsets.UTF_8));
  }

  @Test
  void unknownFilesAreEngineIoRequestsAndOtherPathsAre404() {
    SocketIoServer io = server();
    assertTransportUnknown(get(io, "/socket.io/socket.io.other.js"));
    assertEquals(404, get(io, "/elsewhere").statusCode());
    assertEquals(404, get(io, "/socket.iox/socket.io.js").statusCode());
    EngineIoWireClient c = client(io, EngineIoWireClient.Transport.POLLING);
    c.connect();
  }

  @Test
  void nothingIsServedWithServeClientOff() {
    SocketIoServer io = server(b -> b.serveClient(false));
    assertTransportUnknown(get(io, "/socket.io/socket.io.js"));
    assertTransportUnknown(get(io, "/socket.io/socket.io.min.js"));
  }

  @Test
  void bundleFollowsACustomPath() {
    SocketIoServer io = server(b -> b.path("/custom/"));
    assertEquals(200, get(io, "/custom/socket.io.js").statusCode());
    assertEquals(404, get(io, "/socket.io/socket.io.js").statusCode());
    EngineIoWireClient c = client(io, EngineIoWireClient.Transport.WEBSOCKET);
    c.connect();
  }
}
