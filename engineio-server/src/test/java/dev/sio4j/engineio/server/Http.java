package dev.sio4j.engineio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.interop.wire.EngineIoWireClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Polling requests through {@link HttpClient} (HTTP/1.1, no automatic decompression), and small
 * wait helpers.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Http {
  static final Duration WAIT = Recorder.WAIT;
  static final String TEXT = "text/plain;charset=UTF-8";

  static final HttpClient CLIENT = EngineIoWireClient.HTTP;

  private Http() {}

  static HttpRequest.Builder request(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  static HttpResponse<byte[]> send(HttpRequest request) {
    return join(sendAsync(request));
  }

  static CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest request) {
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> get(String url, String... headers) {
    return send(request(url, headers).GET().build());
  }

  static CompletableFuture<HttpResponse<byte[]>> getAsync(String url, String... headers) {
    return sendAsync(request(url, headers).GET().build());
  }

  /** A POST of UTF-8 text with {@code Content-Type: text/plain;charset=UTF-8}. */
  static HttpResponse<byte[]> post(String url, String body) {
    return post(url, body.getBytes(StandardCharsets.UTF_8), "Content-Type", TEXT);
  }

  static HttpResponse<byte[]> post(String url, byte[] body, String... headers) {
    return send(request(url, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static <T> T join(CompletableFuture<T> future) {
    return EngineIoWireClient.join(future);
  }

  /** The sid in an open packet (or any text carrying {@code "sid":"..."}). */
  static String sidOf(String text) {
    return EngineIoWireClient.sidOf(text);
  }

  /** Opens a v4 polling session and returns its sid; the handshake must succeed. */
  static String handshake(TestServer server) {
    HttpResponse<byte[]> res = get(server.url("EIO=4&transport=polling"));
    assertEquals(200, res.statusCode(), text(res));
    return sidOf(text(res));
  }

  /** GET on the session, asserting a 200, returning the payload. */
  static String poll(TestServer server, String sid) {
    HttpResponse<byte[]> res = get(server.polling(sid));
    assertEquals(200, res.statusCode(), text(res));
    return text(res);
  }

  /** POST on the session, asserting {@code 200 ok}. */
  static void push(TestServer server, String sid, String payload) {
    HttpResponse<byte[]> res = post(server.polling(sid), payload);
    assertEquals(200, res.statusCode(), text(res));
    assertEquals("ok", text(res));
  }

  /**
   * Waits until {@code condition} holds, checking every few milliseconds: for state that has no
   * event to await (a GET being parked on the server).
   */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Waits until a GET of session {@code socket} is parked on the server. */
  static void awaitPendingGet(EngineIoSocket socket) {
    await(socket::isWritable, "a GET is pending for " + socket.id());
  }
}
