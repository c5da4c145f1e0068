package dev.sio4j.engineio.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket on 127.0.0.1, for what {@link java.net.http.HttpClient} hides: the
 * exact bytes of a request, the raw response to a refused WebSocket upgrade, the headers of a
 * {@code 101}, several requests on one keep-alive connection in a known order, and whether the
 * server closed the connection.
 *
 * <p>Thread-safety: not thread-safe; one instance per connection.
 */
public final class RawHttp implements AutoCloseable {
  /**
   * One response as read from the socket. Thread-safety: immutable (do not change the body).
   *
   * @param statusLine e.g. {@code HTTP/1.1 400 Bad Request}
   * @param headers by lower-case name
   */
  public record Response(
      String statusLine, int status, Map<String, List<String>> headers, byte[] body) {
    /** The first value of a header (any case). */
    public Optional<String> header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;

  /** Connects to {@code 127.0.0.1:port}; reads time out after 10 seconds. */
  public RawHttp(int port) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A WebSocket handshake request for {@code target} (path and query). */
  public static String upgradeRequest(String target, String... extraHeaderLines) {
    StringBuilder sb =
        new StringBuilder()
            .append("GET ")
            .append(target)
            .append(" HTTP/1.1\r\n")
            .append("Host: 127.0.0.1\r\n")
            .append("Upgrade: websocket\r\n")
            .append("Connection: Upgrade\r\n")
            .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
            .append("Sec-WebSocket-Version: 13\r\n");
    for (String line : extraHeaderLines) {
      sb.append(line).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  /** Sends a request (the exact bytes) and reads one response. */
  public Response exchange(String request) {
    send(request);
    return read();
  }

  /** Sends a request (the exact bytes) without reading its response: see {@link #read}. */
  public void send(String request) {
    try {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the next response (within the socket's 10-second read timeout). */
  public Response read() {
    try {
      return readResponse();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response readResponse() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside the response head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(
                lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    byte[] body = new byte[0];
    List<String> length = headers.get("content-length");
    if (status != 101 && length != null) {
      body = in.readNBytes(Integer.parseInt(length.get(0)));
    }
    return new Response(lines[0], status, headers, body);
  }

  /**
   * A POST of {@code body} to {@code target} (path and query), keeping the connection open; the
   * bytes of the request as one string for {@link #exchange}.
   */
  public static String post(String target, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST "
        + target
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + contentType
        + "\r\nContent-Length: "
        + bytes.length
        + "\r\n\r\n"
        + new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** True when the server closes the connection within the socket timeout. */
  public boolean closedByServer() {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /**
   * Closes with a TCP reset instead of a FIN ({@code SO_LINGER} 0), as a client that crashes or a
   * middlebox that gives up does.
   */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
