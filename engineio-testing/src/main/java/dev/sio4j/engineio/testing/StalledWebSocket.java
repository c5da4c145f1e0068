package dev.sio4j.engineio.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that completes the handshake and then stops reading: the slow consumer of a
 * test. A plain blocking socket with a small receive buffer, so that the server's writes back up
 * after a few kilobytes in the kernel; it reads only the 101 response until told to {@link
 * #readFrame read} again or to {@link #drainToEof drain}. It can still send (masked text frames),
 * e.g. the Socket.IO CONNECT.
 *
 * <p>Every wait is bounded; a failed wait is an {@link AssertionError}.
 *
 * <p>Thread-safety: not thread-safe; one test thread uses it.
 */
public final class StalledWebSocket implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private long bytesRead;

  private StalledWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to {@code 127.0.0.1:port}, asks for {@code pathAndQuery} as a WebSocket and reads the
   * 101 response, nothing more.
   *
   * @param receiveBuffer the socket's receive buffer (the kernel may round it up)
   */
  public static StalledWebSocket connect(int port, String pathAndQuery, int receiveBuffer) {
    Socket s = new Socket();
    try {
      // Before connecting: the window the client advertises is fixed at the handshake.
      s.setReceiveBufferSize(receiveBuffer);
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) Await.WAIT.toMillis());
      s.setSoTimeout((int) Await.WAIT.toMillis());
      StalledWebSocket ws = new StalledWebSocket(s);
      ws.handshake(port, pathAndQuery);
      return ws;
    } catch (IOException e) {
      closeQuietly(s);
      throw new AssertionError("cannot open a WebSocket on port " + port, e);
    }
  }

  private void handshake(int port, String pathAndQuery) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request =
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    // Byte by byte up to the blank line: nothing of the frames after it is read.
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed during the handshake: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String response = head.toString(StandardCharsets.US_ASCII);
    if (!response.startsWith("HTTP/1.1 101")) {
      throw new AssertionError("no 101: " + response);
    }
  }

  /** Sends a text message in one masked frame (at most 125 bytes, enough for a CONNECT). */
  public void send(String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    if (data.length > 125) {
      throw new IllegalArgumentException("at most 125 bytes");
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] frame = new byte[6 + data.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | data.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < data.length; i++) {
      frame[6 + i] = (byte) (data[i] ^ mask[i % 4]);
    }
    try {
      out.write(frame);
      out.flush();
    } catch (IOException e) {
      throw new AssertionError("send failed", e);
    }
  }

  /**
   * Reads the next frame (the client wakes up): its payload as text for a text frame, {@code null}
   * for a close frame or the end of the stream.
   */
  public String readFrame() {
    try {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = readByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = (readByte() << 8) | readByte();
      } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | readByte();
        }
      }
      byte[] payload = in.readNBytes((int) len);
      bytesRead += 2 + len;
      if (payload.length < len) {
        return null;
      }
      if ((b0 & 0x0f) == 0x8) {
        return null;
      }
      return new String(payload, StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame within " + Await.WAIT, e);
    } catch (IOException e) {
      return null;
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("end of stream inside a frame");
    }
    return b;
  }

  /**
   * Reads everything until the server closes the connection; returns the bytes read (by this call).
   * A reset counts as the end too.
   *
   * @throws AssertionError if the stream has not ended within {@code within}
   */
  public long drainToEof(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    try {
      socket.setSoTimeout(200);
      while (true) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError(
              "the connection still open after " + within + " (" + total + " bytes read)");
        }
        int n;
        try {
          n = in.read(chunk);
        } catch (SocketTimeoutException e) {
          continue;
        }
        if (n < 0) {
          return total;
        }
        total += n;
        bytesRead += n;
      }
    } catch (IOException e) {
      return total; // reset by the server: ended as well
    }
  }

  /** Bytes read after the handshake so far. */
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
