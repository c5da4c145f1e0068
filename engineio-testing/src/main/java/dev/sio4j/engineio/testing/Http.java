package dev.sio4j.engineio.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP requests for tests through one shared {@link HttpClient} (HTTP/1.1, no automatic
 * decompression, so a test sees the bytes and headers the server sent). For what that client hides
 * (exact request bytes, a refused upgrade, keep-alive order) use {@link RawHttp}.
 *
 * <p>Headers are given as name, value pairs: {@code get(url, "Origin", "http://a", "Cookie",
 * "x=1")}. A request times out after {@link #REQUEST_TIMEOUT}; the blocking calls wait at most
 * {@link Await#WAIT}, and fail with an {@link AssertionError}.
 *
 * <p>Thread-safety: stateless apart from the shared client, which is thread-safe; safe from any
 * thread.
 */
public final class Http {
  /** The content type of an Engine.IO text payload. */
  public static final String TEXT = "text/plain;charset=UTF-8";

  /** The timeout of each request built here (a long-poll may be parked for a while). */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** The shared client: HTTP/1.1, no automatic decompression. */
  public static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  /** A request to {@code url} with headers as name, value pairs, timing out as documented. */
  public static HttpRequest.Builder request(String url, String... headers) {
    if (headers.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name, value pairs");
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  /** Sends {@code request} and waits for the whole response. */
  public static HttpResponse<byte[]> send(HttpRequest request) {
    return Await.join(sendAsync(request));
  }

  /** Sends {@code request}; the response is completed on the client's threads. */
  public static CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest request) {
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A GET, waiting for the response. */
  public static HttpResponse<byte[]> get(String url, String... headers) {
    return send(request(url, headers).GET().build());
  }

  /** A GET whose response the test awaits later (a long-poll). */
  public static CompletableFuture<HttpResponse<byte[]>> getAsync(String url, String... headers) {
    return sendAsync(request(url, headers).GET().build());
  }

  /** A POST of UTF-8 text with {@code Content-Type: text/plain;charset=UTF-8}. */
  public static HttpResponse<byte[]> post(String url, String body) {
    return post(url, body.getBytes(StandardCharsets.UTF_8), "Content-Type", TEXT);
  }

  /** A POST of {@code body} with the given headers. */
  public static HttpResponse<byte[]> post(String url, byte[] body, String... headers) {
    return send(request(url, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** The body of {@code response} as UTF-8 text. */
  public static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
