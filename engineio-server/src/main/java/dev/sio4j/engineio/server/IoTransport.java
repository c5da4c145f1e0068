package dev.sio4j.engineio.server;

import java.util.Locale;
import java.util.Optional;

/**
 * The Netty transport a standalone server's event loops use for their sockets. {@link #AUTO}, the
 * default, takes epoll on Linux, io_uring where epoll is missing but the kernel offers io_uring
 * (Linux 5.x and later, unless a seccomp profile or {@code kernel.io_uring_disabled} forbids it),
 * and NIO elsewhere. The others force one; a server forced onto a transport the machine lacks fails
 * to start, with the reason.
 *
 * <p>Why not io_uring first: measured on Linux 6.18 with Netty 4.2, it saves the system call of
 * each socket write but costs more per write in completions, and broadcasts whose writes coalesce
 * (several in flight) cost up to twice the CPU per delivery; an idle connection also holds a
 * receive buffer posted to the ring (about 0.8 KB more per connection). Force it where it pays.
 *
 * <p>Without a choice on the builder, the system property {@value #PROPERTY} ({@code auto}, {@code
 * io_uring}, {@code epoll} or {@code nio}) decides, so a deployment can change it without a code
 * change. The transport in use is logged at INFO when the server starts, with the reasons the
 * faster ones were not taken at DEBUG.
 *
 * <p>Thread-safety: an immutable enum.
 */
public enum IoTransport {
  /** epoll, else io_uring, else NIO. */
  AUTO("auto"),
  /** Linux io_uring: one system call submits the writes and reads of a whole loop turn. */
  IO_URING("io_uring"),
  /** Linux epoll, edge-triggered. */
  EPOLL("epoll"),
  /** The JDK's NIO selector, everywhere. */
  NIO("nio");

  /** The system property consulted when the builder names no transport. */
  public static final String PROPERTY = "sio4j.transport";

  private final String wireName;

  IoTransport(String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name used in the system property and in logs, e.g. {@code io_uring}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The transport named {@code name} ({@code auto}, {@code io_uring}, {@code epoll}, {@code nio};
   * case and {@code -}/{@code _} do not matter), if it names one.
   */
  public static Optional<IoTransport> byName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (n.equals("iouring") || n.equals("uring")) {
      n = "io_uring";
    }
    for (IoTransport t : values()) {
      if (t.wireName.equals(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * The transport the system property {@value #PROPERTY} names, {@link #AUTO} when it is unset.
   *
   * @throws IllegalArgumentException when it is set to something else
   */
  public static IoTransport fromSystemProperty() {
    String v = System.getProperty(PROPERTY);
    if (v == null || v.isBlank()) {
      return AUTO;
    }
    return byName(v)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    PROPERTY + "=" + v + ": expected auto, io_uring, epoll or nio"));
  }
}
