package dev.sio4j.engineio.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is written to {@code System.err} between {@link #start()} and {@link #close()},
 * while still passing it through: the log of a test, with the SLF4J simple binding the tests use
 * (which looks {@code System.err} up at every line). For assertions such as "this produced no
 * WARN".
 *
 * <pre>{@code
 * try (CapturedStderr log = CapturedStderr.start()) {
 *   ...
 *   assertFalse(log.text().contains(" WARN "), log.text());
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; it replaces a global stream, so two captures must not overlap
 * (tests that use it must not run concurrently with each other).
 */
public final class CapturedStderr implements AutoCloseable {
  private final PrintStream original;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private CapturedStderr() {
    this.original = System.err;
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (captured) {
              captured.write(b);
            }
            original.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (captured) {
              captured.write(b, off, len);
            }
            original.write(b, off, len);
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Starts capturing. */
  public static CapturedStderr start() {
    return new CapturedStderr();
  }

  /** What was written so far. */
  public String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** Restores the stream that was there before. */
  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
