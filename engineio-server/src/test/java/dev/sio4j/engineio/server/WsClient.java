package dev.sio4j.engineio.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client on the JDK's {@link WebSocket}, collecting whole messages (String or byte[])
 * and the close.
 *
 * <p>Thread-safety: sends must come from one thread at a time; reads are thread-safe.
 */
final class WsClient implements AutoCloseable {
  static final Duration WAIT = Recorder.WAIT;

  /** The close status code, or -1 when the connection ended without a close frame. */
  final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final WebSocket ws;

  private WsClient(URI uri) {
    Listener listener = new Listener();
    this.ws = Http.join(Http.CLIENT.newWebSocketBuilder().buildAsync(uri, listener));
  }

  static WsClient connect(URI uri) {
    return new WsClient(uri);
  }

  void send(String text) {
    Http.join(ws.sendText(text, true));
  }

  void send(byte[] data) {
    Http.join(ws.sendBinary(ByteBuffer.wrap(data), true));
  }

  Object next() {
    try {
      Object m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(m, "no WebSocket message within " + WAIT);
      return m;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  String nextText() {
    return assertInstanceOf(String.class, next());
  }

  byte[] nextBinary() {
    return assertInstanceOf(byte[].class, next());
  }

  /** Asserts that nothing arrives within {@code quiet}. */
  void assertSilentFor(Duration quiet) {
    try {
      assertNull(received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits for the server to end the connection; returns the close code (-1 without a frame). */
  int awaitClose() {
    return Http.join(closed);
  }

  @Override
  public void close() {
    ws.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      binary.writeBytes(chunk);
      if (last) {
        received.add(binary.toByteArray());
        binary.reset();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
