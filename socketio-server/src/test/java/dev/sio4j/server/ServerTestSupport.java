package dev.sio4j.server;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * Starts servers on 127.0.0.1 and a free port, opens raw clients, and stops everything after each
 * test. Not socketio-testing's extension: that module depends on this one, so this module's tests
 * use engineio-testing, below it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class ServerTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** How long a test watches for something that must not happen. */
  static final Duration QUIET = Duration.ofMillis(300);

  /**
   * The timeout of a broadcast with acks that a test lets expire after some clients answered: wide
   * enough for an answer's round trip on a loaded 2-core machine (the test waits all of it).
   */
  static final Duration ACK_WINDOW = Duration.ofSeconds(3);

  private final List<SocketIoServer> servers = Collections.synchronizedList(new ArrayList<>());
  private final List<EngineIoWireClient> clients = Collections.synchronizedList(new ArrayList<>());

  SocketIoServer server() {
    return server(b -> b);
  }

  /** The options every server of a test starts from; a subclass may set e.g. the parser. */
  SocketIoOptions.Builder baseOptions() {
    return SocketIoOptions.builder();
  }

  SocketIoServer server(UnaryOperator<SocketIoOptions.Builder> options) {
    SocketIoServer io =
        SocketIoServer.builder().options(options.apply(baseOptions()).build()).build();
    servers.add(io);
    Await.join(io.start());
    return io;
  }

  EngineIoWireClient client(SocketIoServer io, Transport kind) {
    EngineIoWireClient c = EngineIoWireClient.open(io.port(), io.options().path(), kind);
    clients.add(c);
    return c;
  }

  /** A client connected to {@code /}; its socket id is {@link #lastId}. */
  EngineIoWireClient connected(SocketIoServer io, Transport kind) {
    EngineIoWireClient c = client(io, kind);
    c.connect();
    return c;
  }

  /** The server-side socket of this id in {@code /} (known before its CONNECT is written). */
  static Socket socketOf(SocketIoServer io, String id) {
    Socket s = io.sockets().sockets().get(id);
    if (s == null) {
      throw new AssertionError("no socket " + id);
    }
    return s;
  }

  static <T> T join(CompletableFuture<T> f) {
    return Await.join(f);
  }

  /** Waits for state that has no event to await, checking every few milliseconds. */
  static void awaitCondition(java.util.function.BooleanSupplier condition, String what) {
    Await.until(condition, WAIT, what);
  }

  @AfterEach
  void stopAll() {
    synchronized (clients) {
      clients.forEach(EngineIoWireClient::abort);
      clients.clear();
    }
    List<SocketIoServer> copy;
    synchronized (servers) {
      copy = new ArrayList<>(servers);
      servers.clear();
    }
    for (SocketIoServer io : copy) {
      join(io.close());
    }
  }
}
