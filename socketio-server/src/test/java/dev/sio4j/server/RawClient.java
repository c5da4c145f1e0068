package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bare Engine.IO v4 client over polling or WebSocket that shows a test the exact Engine.IO
 * packets of Socket.IO messages: {@code 40{"sid":"..."}}, {@code 42["ev",1]}, binary attachments as
 * {@code byte[]}. Pings are answered unless {@link #autoPong} is turned off; the open packet is
 * consumed by the constructor.
 *
 * <p>Thread-safety: sends are serialised; reads are thread-safe.
 */
final class RawClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");

  enum Kind {
    POLLING,
    WEBSOCKET
  }

  /** Marks the end of the connection in the message queue. */
  private static final Object CLOSED = new Object();

  final Kind kind;
  private final String base;
  private final String sid;
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Object sendLock = new Object();
  private volatile boolean autoPong = true;
  private volatile boolean stopped;
  private WebSocket ws;

  private RawClient(SocketIoServer server, Kind kind, String query) {
    this.kind = kind;
    this.base =
        "127.0.0.1:" + server.port() + server.options().path() + "/?EIO=4" + query + "&transport=";
    if (kind == Kind.POLLING) {
      HttpResponse<String> res = get("http://" + base + "polling");
      assertEquals(200, res.statusCode(), res.body());
      assertTrue(res.body().startsWith("0{"), res.body());
      this.sid = sidOf(res.body());
      poll();
    } else {
      this.ws =
          join(
              HTTP.newWebSocketBuilder()
                  .buildAsync(URI.create("ws://" + base + "websocket"), new Listener()));
      String open = nextRaw();
      assertTrue(open.startsWith("0{"), open);
      this.sid = sidOf(open);
    }
  }

  static RawClient open(SocketIoServer server, Kind kind) {
    return new RawClient(server, kind, "");
  }

  /** Opens a connection with extra query parameters ({@code "&a=b"}). */
  static RawClient open(SocketIoServer server, Kind kind, String query) {
    return new RawClient(server, kind, query);
  }

  /** The Engine.IO session id. */
  String sid() {
    return sid;
  }

  void autoPong(boolean on) {
    this.autoPong = on;
  }

  /** Sends one Engine.IO text packet as is (e.g. {@code 40} or {@code 42["a"]}). */
  void send(String packet) {
    if (kind == Kind.POLLING) {
      post(packet);
    } else {
      synchronized (sendLock) {
        join(ws.sendText(packet, true));
      }
    }
  }

  /** Sends a binary message (an attachment). */
  void send(byte[] data) {
    if (kind == Kind.POLLING) {
      post("b" + Base64.getEncoder().encodeToString(data));
    } else {
      synchronized (sendLock) {
        join(ws.sendBinary(ByteBuffer.wrap(data), true));
      }
    }
  }

  /** Sends {@code 40<nsp>,<auth>} and returns the socket id of the {@code 40...{"sid"}} reply. */
  String connect(String nsp) {
    send("40" + (nsp.equals("/") ? "" : nsp + ","));
    String reply = nextText();
    String prefix = nsp.equals("/") ? "40{" : "40" + nsp + ",{";
    assertTrue(reply.startsWith(prefix), reply);
    return sidOf(reply);
  }

  String connect() {
    return connect("/");
  }

  /** The next message: a String Engine.IO packet ({@code 42[...]}) or a {@code byte[]}. */
  Object next() {
    try {
      Object m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(m, "no message within " + WAIT);
      if (m == CLOSED) {
        received.add(CLOSED);
        throw new AssertionError("connection closed while waiting for a message");
      }
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

  /** Asserts that no message arrives within {@code quiet}. */
  void assertSilentFor(Duration quiet) {
    try {
      Object m = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (m == CLOSED) {
        received.add(CLOSED);
        return;
      }
      assertNull(m, "unexpected message");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits until the server ends the session (close packet, 400 on a poll, WebSocket close). */
  void awaitClosed() {
    join(closed);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  /** Closes like a client whose page went away: WebSocket abort, or polling {@code 1}. */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (kind == Kind.POLLING) {
      if (!closed.isDone()) {
        try {
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url()))
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.ofString("1"))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
        } catch (Exception ignored) {
          // Already gone.
        }
      }
    } else if (ws != null) {
      ws.abort();
    }
    ended();
  }

  /** Drops the connection without a close packet (network loss). */
  void abort() {
    stopped = true;
    if (ws != null) {
      ws.abort();
    }
    ended();
  }

  private void ended() {
    if (closed.complete(null)) {
      received.add(CLOSED);
    }
  }

  private String url() {
    return "http://" + base + "polling&sid=" + sid;
  }

  private void poll() {
    if (stopped || closed.isDone()) {
      return;
    }
    HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(60)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (res, err) -> {
              if (err != null || res.statusCode() != 200) {
                ended();
                return;
              }
              for (String packet : res.body().split("\u001e", -1)) {
                if (!onPacket(packet)) {
                  ended();
                  return;
                }
              }
              poll();
            });
  }

  /** Handles one Engine.IO packet; false once the session is closed. */
  private boolean onPacket(String packet) {
    if (packet.isEmpty()) {
      return true;
    }
    switch (packet.charAt(0)) {
      case '1':
        return false;
      case '2':
        if (autoPong && !stopped) {
          CompletableFuture.runAsync(() -> send("3"));
        }
        return true;
      case '6':
        return true;
      case 'b':
        received.add(Base64.getDecoder().decode(packet.substring(1)));
        return true;
      default:
        received.add(packet);
        return true;
    }
  }

  private void post(String body) {
    synchronized (sendLock) {
      if (closed.isDone()) {
        return;
      }
      HttpResponse<String> res;
      try {
        res =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url()))
                    .timeout(WAIT)
                    .header("Content-Type", "text/plain;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        ended();
        return;
      }
      if (res.statusCode() != 200) {
        ended();
      }
    }
  }

  private String nextRaw() {
    try {
      Object m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(m, "no open packet within " + WAIT);
      return (String) m;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + url + " failed", e);
    }
  }

  static String sidOf(String text) {
    Matcher m = SID.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no sid in " + text);
    }
    return m.group(1);
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + WAIT, e);
    }
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
        String packet = text.toString();
        text.setLength(0);
        if (packet.equals("2")) {
          if (autoPong) {
            CompletableFuture.runAsync(() -> send("3"));
          }
        } else if (packet.equals("1")) {
          ended();
        } else {
          received.add(packet);
        }
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
      ended();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      ended();
    }
  }
}
