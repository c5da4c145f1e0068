package dev.sio4j.redis;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.testing.ClusterApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The nodes and clients of a cluster test on one Redis server, closed together: sio4j nodes (a
 * {@link SocketIoServer} with the {@link RedisAdapter} and the {@link ClusterApp}), Node nodes
 * ({@link NodeClusterNode}, the official classic adapter) and {@link Peer}s.
 *
 * <p>Thread-safety: for one test thread.
 */
final class TestCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final RedisServer redis;
  private final List<AutoCloseable> open = Collections.synchronizedList(new ArrayList<>());

  TestCluster(RedisServer redis) {
    this.redis = redis;
  }

  /**
   * A sio4j node with its own adapter factory.
   *
   * <p>Thread-safety: as the server.
   */
  record SioNode(SocketIoServer server, RedisAdapterFactory factory) implements AutoCloseable {
    String url() {
      return "http://127.0.0.1:" + server.port();
    }

    RedisAdapter adapter() {
      return (RedisAdapter) server.sockets().adapter();
    }

    @Override
    public void close() {
      Await.join(server.close(), WAIT);
      factory.close();
    }
  }

  /** Starts a sio4j node and waits until its adapter is subscribed (the server count grew). */
  SioNode sio(RedisAdapterOptions options) {
    return sio(options.key(), () -> RedisAdapter.factory(redis.uri(), options));
  }

  /** Starts a sio4j node on the factory {@code factory} makes, whose key is {@code key}. */
  SioNode sio(String key, Supplier<RedisAdapterFactory> newFactory) {
    int before = subscribers(key);
    RedisAdapterFactory factory = newFactory.get();
    SocketIoServer server =
        SocketIoServer.builder()
            .options(SocketIoOptions.builder().adapter(factory).build())
            .build();
    SioNode node = new SioNode(server, factory);
    open.add(node);
    Await.join(server.start(), WAIT);
    ClusterApp.install(server, server.port());
    Await.until(() -> subscribers(key) > before, WAIT, "node subscribed");
    return node;
  }

  SioNode sio() {
    return sio(RedisAdapterOptions.defaults());
  }

  /** A Node node with the official classic adapter (started once it is subscribed). */
  NodeClusterNode node(String optionsJson) {
    NodeClusterNode node = NodeClusterNode.start(NodeClusterNode.REDIS, redis.uri(), optionsJson);
    open.add(node);
    return node;
  }

  Peer java(String name, String url) {
    return track(Peer.java(name, url));
  }

  Peer js(String name, String url) {
    return track(Peer.js(name, url));
  }

  <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  /** The nodes subscribed to the request channel of {@code /}: what every adapter counts. */
  int subscribers(String key) {
    Object reply = redis.command("PUBSUB", "NUMSUB", key + "-request#/#");
    return Integer.parseInt(String.valueOf(((List<?>) reply).get(1)));
  }

  void awaitServers(int count) {
    Await.until(() -> subscribers("socket.io") == count, WAIT, count + " servers");
  }

  @Override
  public void close() {
    List<AutoCloseable> copy;
    synchronized (open) {
      copy = new ArrayList<>(open);
      open.clear();
    }
    Collections.reverse(copy);
    for (AutoCloseable c : copy) {
      try {
        c.close();
      } catch (Exception e) {
        // Keep closing the rest; a test failure already says what went wrong.
      }
    }
  }
}
