package dev.sio4j.interop;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One RESP2 request/reply exchange over a fresh plain socket: enough for a fixture to check on a
 * Redis server without a client library (which would drag its own event loops into the harness).
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
final class Resp {

  /** Stands for a nil reply (a null bulk string or array). */
  static final Object NIL =
      new Object() {
        @Override
        public String toString() {
          return "(nil)";
        }
      };

  /** Bounds one reply: these fixtures never fetch anything large. */
  private static final int MAX_BULK = 16 * 1024 * 1024;

  private Resp() {}

  static Object command(int port, Duration timeout, String... args) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), millis);
      // The read timeout bounds every blocking read, so a server that hangs cannot hang the test.
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write(encode(args));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "redis at 127.0.0.1:" + port + ": " + String.join(" ", args) + ": " + e, e);
    }
  }

  static byte[] encode(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write(bytes, "*" + args.length + "\r\n");
    for (String arg : args) {
      byte[] value = arg.getBytes(StandardCharsets.UTF_8);
      write(bytes, "$" + value.length + "\r\n");
      bytes.writeBytes(value);
      write(bytes, "\r\n");
    }
    return bytes.toByteArray();
  }

  private static void write(ByteArrayOutputStream bytes, String text) {
    bytes.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }

  static Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed before a reply");
    }
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisServer.ReplyException(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return NIL;
          }
          if (length > MAX_BULK) {
            throw new IOException("bulk reply of " + length + " bytes is larger than allowed");
          }
          byte[] value = in.readNBytes(length);
          if (value.length < length) {
            throw new EOFException("connection closed inside a bulk reply");
          }
          line(in);
          return new String(value, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          if (count < 0) {
            return NIL;
          }
          List<Object> items = new ArrayList<>(Math.min(count, 1024));
          for (int i = 0; i < count; i++) {
            items.add(read(in));
          }
          return Collections.unmodifiableList(items);
        }
      default:
        throw new IOException("not a RESP2 reply: type byte " + type);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("CR without LF in a RESP line");
        }
        return bytes.toString(StandardCharsets.UTF_8);
      }
      if (bytes.size() > 64 * 1024) {
        throw new IOException("RESP line too long");
      }
      bytes.write(b);
    }
    throw new EOFException("connection closed inside a RESP line");
  }
}
