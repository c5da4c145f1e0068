package dev.sio4j.examples.conformance;

import dev.sio4j.adapter.AdapterFactory;
import dev.sio4j.adapter.InMemoryAdapter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter of a {@code cluster} node, by the name given with {@code --adapter}, with the Node
 * adapters' defaults (key and channel prefix {@code socket.io}, sharded {@code subscriptionMode}
 * {@code dynamic}): {@code redis} ({@code @socket.io/redis-adapter} {@code createAdapter}), {@code
 * redis-sharded} ({@code createShardedAdapter}, Redis 7+, several URIs for a Redis Cluster), {@code
 * redis-streams} ({@code @socket.io/redis-streams-adapter}), or {@code memory} (a node alone, for
 * tests of the handlers).
 *
 * <p>What a kind opens (Lettuce clients, the factory's connections) is registered with {@link
 * #closeAtEnd} and closed by {@link #close()}, last opened first, after the server stopped.
 *
 * <p>Thread-safety: not thread-safe; used while a node starts and when it stops.
 */
final class ClusterAdapters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterAdapters.class);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /**
   * The adapter factory for {@code kind}.
   *
   * @param redisUris the Redis servers ({@code redis://host:port}); unused by {@code memory}
   * @throws IllegalArgumentException for an unknown kind, or one not available in this build
   */
  AdapterFactory forName(String kind, List<String> redisUris) {
    switch (kind) {
      case "memory":
        return InMemoryAdapter::new;
      // The Redis adapters (module socketio-redis-adapter), one line each, for instance
      // closeAtEnd(RedisAdapter.factory(options, redisClient(redisUris))).
      case "redis":
        throw new IllegalArgumentException("adapter not available yet: " + kind);
      case "redis-sharded":
        throw new IllegalArgumentException("adapter not available yet: " + kind);
      case "redis-streams":
        throw new IllegalArgumentException("adapter not available yet: " + kind);
      default:
        throw new IllegalArgumentException(
            "unknown adapter " + kind + " (one of redis, redis-sharded, redis-streams, memory)");
    }
  }

  /** Whether the Node adapter of that kind is used with connection state recovery on. */
  static boolean recovers(String kind) {
    return kind.equals("redis-streams");
  }

  /** A Lettuce client of the first URI, shut down by {@link #close()}. */
  RedisClient redisClient(List<String> redisUris) {
    RedisClient client = RedisClient.create(RedisURI.create(first(redisUris)));
    closeAtEnd(client::shutdown);
    return client;
  }

  /**
   * A Lettuce client of the Redis Cluster these URIs are nodes of, shut down by {@link #close()}.
   */
  RedisClusterClient clusterClient(List<String> redisUris) {
    List<RedisURI> seeds = new ArrayList<>();
    redisUris.forEach(u -> seeds.add(RedisURI.create(u)));
    RedisClusterClient client = RedisClusterClient.create(seeds);
    closeAtEnd(client::shutdown);
    return client;
  }

  private static String first(List<String> redisUris) {
    if (redisUris.isEmpty()) {
      throw new IllegalArgumentException("this adapter needs --redis redis://host:port");
    }
    return redisUris.get(0);
  }

  /** Closes {@code resource} when this closes (last registered, first closed). */
  <T extends AutoCloseable> T closeAtEnd(T resource) {
    resources.push(resource);
    return resource;
  }

  @Override
  public void close() {
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        log.warn("closing {} failed", r, e);
      }
    }
  }
}
