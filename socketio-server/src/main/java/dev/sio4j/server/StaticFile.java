package dev.sio4j.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * A file served by {@link SocketIoServer#serveStatic}: its bytes and media type. The ETag (a CRC-32
 * of the content) and the gzip form are computed once, when first needed.
 *
 * <p>Thread-safety: immutable (its lazily computed forms are published safely); the content array
 * is copied in and never handed out.
 */
public final class StaticFile {
  private final byte[] content;
  private final String contentType;
  private volatile String etag;
  private volatile byte[] gzipped;

  private StaticFile(byte[] content, String contentType) {
    this.content = content;
    this.contentType = contentType;
  }

  /** A file with this content (copied) and media type, e.g. {@code text/html; charset=utf-8}. */
  public static StaticFile of(byte[] content, String contentType) {
    return new StaticFile(
        Arrays.copyOf(content, content.length), Objects.requireNonNull(contentType));
  }

  public String contentType() {
    return contentType;
  }

  /** The size of the content in bytes. */
  public int length() {
    return content.length;
  }

  byte[] content() {
    return content;
  }

  String etag() {
    String e = etag;
    if (e == null) {
      CRC32 crc = new CRC32();
      crc.update(content);
      e = "\"" + HexFormat.of().toHexDigits((int) crc.getValue()) + "-" + content.length + "\"";
      etag = e;
    }
    return e;
  }

  byte[] gzipped() {
    byte[] g = gzipped;
    if (g == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 16);
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(content);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      g = out.toByteArray();
      gzipped = g;
    }
    return g;
  }
}
