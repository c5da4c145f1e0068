package dev.sio4j.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds a free TCP port on the loopback interface for servers that cannot bind port 0 themselves
 * and report back (or whose port must be known before they start, like a Node fixture server).
 *
 * <p>The port is free when returned; another process could take it before it is used, which is
 * unlikely enough on a test machine because the kernel hands out ephemeral ports round-robin.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class FreePort {

  private FreePort() {}

  /** A TCP port that nothing listens on at 127.0.0.1 right now. */
  public static int find() {
    try (ServerSocket socket = new ServerSocket()) {
      // No SO_REUSEADDR: the port must be genuinely unbound, not merely in TIME_WAIT.
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback interface", e);
    }
  }
}
