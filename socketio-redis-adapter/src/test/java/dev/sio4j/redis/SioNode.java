package dev.sio4j.redis;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.testing.ClusterApp;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A sio4j cluster node in this JVM: a server on 127.0.0.1 and a free port with a Redis adapter
 * factory of its own (as a separate process would have) and the cluster test app ({@link
 * ClusterApp}) on {@code /}.
 */
final class SioNode implements AutoCloseable {
  final SocketIoServer server;
  final RedisAdapterFactory factory;
  private boolean closed;

  private SioNode(SocketIoServer server, RedisAdapterFactory factory) {
    this.server = server;
    this.factory = factory;
  }

  /** A node; with {@code recovery}, connection state recovery on (2 minutes). */
  static SioNode start(RedisAdapterFactory factory, boolean recovery) {
    return start(factory, recovery, b -> {});
  }

  static SioNode start(
      RedisAdapterFactory factory, boolean recovery, Consumer<SocketIoOptions.Builder> more) {
    SocketIoOptions.Builder options = SocketIoOptions.builder().adapter(factory);
    if (recovery) {
      options.connectionStateRecovery(RecoveryOptions.defaults());
    }
    more.accept(options);
    SocketIoServer server =
        SocketIoServer.builder().options(options.build()).host("127.0.0.1").port(0).build();
    try {
      Await.join(server.start(), Duration.ofSeconds(10));
    } catch (RuntimeException | AssertionError e) {
      factory.close();
      throw e;
    }
    ClusterApp.install(server, server.port());
    return new SioNode(server, factory);
  }

  int port() {
    return server.port();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Stops the server (its sockets leave with "server shutting down"), then the Redis factory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Await.join(server.close(), Duration.ofSeconds(15));
    } finally {
      factory.close();
    }
  }

  @Override
  public String toString() {
    return "SioNode[" + url() + "]";
  }
}
