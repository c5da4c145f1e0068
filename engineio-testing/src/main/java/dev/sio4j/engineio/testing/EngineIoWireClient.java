package dev.sio4j.engineio.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bare Engine.IO v4 client over polling or WebSocket that shows a test the exact packets above
 * Engine.IO: text packets as sent ({@code 40{"sid":"..."}}, {@code 42["ev",1]}), binary messages as
 * {@code byte[]}. The open packet is consumed by {@link #open}; pings are answered unless {@link
 * #autoPong(boolean)} turns that off; noops are skipped; a close packet, a refused poll or a closed
 * WebSocket ends the session.
 *
 * <p>Every wait is bounded by {@link #WAIT}; a failed wait or assertion is an {@link
 * AssertionError}.
 *
 * <p>Thread-safety: sends are serialised; reads are thread-safe.
 */
public final class EngineIoWireClient implements AutoCloseable {
  /** The bound of every wait. */
  public static final Duration WAIT = Await.WAIT;

  private static final HttpClient HTTP = Http.CLIENT;

  private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");

  /** The transport a client uses for its whole life (no upgrade). Thread-safety: immutable. */
  public enum Transport {
    POLLING,
    WEBSOCKET
  }

  /** Marks the end of the session in the message queue. */
  private static final Object CLOSED = new Object();

  private final Transport transport;
  private final String base;
  private final String sid;
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Object sendLock = new Object();
  private volatile boolean autoPong = true;
  private volatile boolean stopped;
  private RawWebSocket ws;

  private EngineIoWireClient(int port, String path, Transport transport, String query) {
    this.transport = transport;
    String p = path.endsWith("/") ? path : path + "/";
    this.base = "127.0.0.1:" + port + p + "?EIO=4" + query + "&transport=";
    if (transport == Transport.POLLING) {
      HttpResponse<byte[]> res = Http.get("http://" + base + "polling");
      String body = Http.text(res);
      if (res.statusCode() != 200 || !body.startsWith("0{")) {
        throw new AssertionError("handshake failed: " + res.statusCode() + " " + body);
      }
      this.sid = sidOf(body);
      poll();
    } else {
      this.ws =
          RawWebSocket.connect(
              URI.create("ws://" + base + "websocket"),
              RawWebSocket.Options.defaults(),
              m -> {
                if (m.data() instanceof byte[]) {
                  received.add(m.data());
                } else if (!onPacket((String) m.data())) {
                  ended();
                }
              });
      ws.closed.thenRun(this::ended);
      Object open = nextRaw();
      if (!(open instanceof String) || !((String) open).startsWith("0{")) {
        throw new AssertionError("no open packet: " + open);
      }
      this.sid = sidOf((String) open);
    }
  }

  /**
   * Opens a session on {@code 127.0.0.1:port} under the Engine.IO {@code path} (e.g. {@code
   * /socket.io}).
   */
  public static EngineIoWireClient open(int port, String path, Transport transport) {
    return new EngineIoWireClient(port, path, transport, "");
  }

  /** Opens a session with extra query parameters ({@code "&a=b"}). */
  public static EngineIoWireClient open(int port, String path, Transport transport, String query) {
    return new EngineIoWireClient(port, path, transport, query);
  }

  public Transport transport() {
    return transport;
  }

  /** The Engine.IO session id. */
  public String sid() {
    return sid;
  }

  /** Whether pings are answered (default); off, the server's ping timeout closes the session. */
  public void autoPong(boolean on) {
    this.autoPong = on;
  }

  /** Sends one Engine.IO text packet as is (e.g. {@code 40} or {@code 42["a"]}). */
  public void send(String packet) {
    if (transport == Transport.POLLING) {
      post(packet);
    } else {
      synchronized (sendLock) {
        ws.send(packet);
      }
    }
  }

  /** Sends a binary message. */
  public void send(byte[] data) {
    if (transport == Transport.POLLING) {
      post("b" + Base64.getEncoder().encodeToString(data));
    } else {
      synchronized (sendLock) {
        ws.send(data);
      }
    }
  }

  /**
   * Socket.IO convenience: sends {@code 40<nsp>,} and returns the socket id of the {@code 40...{
   * "sid"}} reply.
   */
  public String connect(String nsp) {
    send("40" + (nsp.equals("/") ? "" : nsp + ","));
    String reply = nextText();
    String prefix = nsp.equals("/") ? "40{" : "40" + nsp + ",{";
    if (!reply.startsWith(prefix)) {
      throw new AssertionError("expected " + prefix + "..., got " + reply);
    }
    return sidOf(reply);
  }

  /** {@link #connect(String)} on the main namespace. */
  public String connect() {
    return connect("/");
  }

  /** The next message: a text packet ({@code 42[...]}) or a {@code byte[]}. */
  public Object next() {
    try {
      Object m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (m == null) {
        throw new AssertionError("no message within " + WAIT);
      }
      if (m == CLOSED) {
        received.add(CLOSED);
        throw new AssertionError("connection closed while waiting for a message");
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public String nextText() {
    Object m = next();
    if (!(m instanceof String)) {
      throw new AssertionError("expected a text packet, got binary");
    }
    return (String) m;
  }

  public byte[] nextBinary() {
    Object m = next();
    if (!(m instanceof byte[])) {
      throw new AssertionError("expected binary, got " + m);
    }
    return (byte[]) m;
  }

  /** Asserts that no message arrives within {@code quiet} (the end of the session is not one). */
  public void assertSilentFor(Duration quiet) {
    try {
      Object m = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (m == CLOSED) {
        received.add(CLOSED);
        return;
      }
      if (m != null) {
        throw new AssertionError("unexpected message " + m);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until the server ends the session (close packet, refused poll, WebSocket close). */
  public void awaitClosed() {
    Await.join(closed);
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Closes like a client whose page went away: WebSocket dropped, or polling {@code 1}. */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (transport == Transport.POLLING) {
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
      ws.close();
    }
    ended();
  }

  /** Drops the connection without a close packet (network loss). */
  public void abort() {
    stopped = true;
    if (ws != null) {
      ws.close();
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

  /** Handles one Engine.IO text packet; false once the session is closed. */
  private boolean onPacket(String packet) {
    if (packet.isEmpty()) {
      return true;
    }
    switch (packet.charAt(0)) {
      case '1':
        return false;
      case '2':
        if (autoPong && !stopped) {
          // Off the reading thread: a WebSocket send waits for its write.
          CompletableFuture.runAsync(() -> send("3"));
        }
        return true;
      case '6':
        return true;
      case 'b':
        if (transport == Transport.POLLING) {
          received.add(Base64.getDecoder().decode(packet.substring(1)));
          return true;
        }
        received.add(packet);
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

  private Object nextRaw() {
    try {
      Object m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (m == null) {
        throw new AssertionError("no open packet within " + WAIT);
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The sid in an open packet (or any text carrying {@code "sid":"..."}). */
  public static String sidOf(String text) {
    Matcher m = SID.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no sid in " + text);
    }
    return m.group(1);
  }
}
