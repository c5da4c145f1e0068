package dev.sio4j.engineio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.Http;
import java.net.http.HttpResponse;

/**
 * The steps of an Engine.IO v4 polling session on a {@link TestServer}, each asserting that the
 * server accepted it; plain requests go through {@link Http}.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
final class Polling {
  private Polling() {}

  /** Opens a v4 polling session and returns its sid; the handshake must succeed. */
  static String handshake(TestServer server) {
    HttpResponse<byte[]> res = Http.get(server.url("EIO=4&transport=polling"));
    assertEquals(200, res.statusCode(), Http.text(res));
    return EngineIoWireClient.sidOf(Http.text(res));
  }

  /** GET on the session, asserting a 200, returning the payload. */
  static String poll(TestServer server, String sid) {
    HttpResponse<byte[]> res = Http.get(server.polling(sid));
    assertEquals(200, res.statusCode(), Http.text(res));
    return Http.text(res);
  }

  /** POST on the session, asserting {@code 200 ok}. */
  static void push(TestServer server, String sid, String payload) {
    HttpResponse<byte[]> res = Http.post(server.polling(sid), payload);
    assertEquals(200, res.statusCode(), Http.text(res));
    assertEquals("ok", Http.text(res));
  }

  /** Waits until a GET of session {@code socket} is parked on the server. */
  static void awaitPendingGet(EngineIoSocket socket) {
    Await.until(socket::isWritable, "a GET is pending for " + socket.id());
  }

  /** The first value of a response header, or null: what the tests compare with assertEquals. */
  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }
}
