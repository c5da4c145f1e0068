package dev.sio4j.examples.conformance;

import dev.sio4j.adapter.AdapterFactory;
import dev.sio4j.adapter.InMemoryAdapter;
import dev.sio4j.redis.RedisAdapterFactory;
import dev.sio4j.redis.RedisAdapters;
import java.util.List;

/**
 * The adapter of a {@code cluster} node, by the name given with {@code --adapter}, with the Node
 * adapters' defaults (key and channel prefix {@code socket.io}, sharded {@code subscriptionMode}
 * {@code dynamic}): {@code redis} ({@code @socket.io/redis-adapter} {@code createAdapter}), {@code
 * redis-sharded} ({@code createShardedAdapter}, Redis 7+, several URIs for a Redis Cluster), {@code
 * redis-streams} ({@code @socket.io/redis-streams-adapter}), or {@code memory} (a node alone, for
 * tests of the handlers). See {@link RedisAdapters}.
 *
 * <p>The Redis adapter's connections are closed by {@link #close()}, after the server stopped.
 *
 * <p>Thread-safety: not thread-safe; used while a node starts and when it stops.
 */
final class ClusterAdapters implements AutoCloseable {
  private RedisAdapterFactory redis;

  /**
   * The adapter factory for {@code kind} (at most one Redis adapter per instance).
   *
   * @param redisUris the Redis servers ({@code redis://host:port}); unused by {@code memory}
   * @throws IllegalArgumentException for an unknown kind, or a Redis kind without a URI
   */
  AdapterFactory forName(String kind, List<String> redisUris) {
    if (kind.equals("memory")) {
      return InMemoryAdapter::new;
    }
    if (!RedisAdapters.KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown adapter " + kind + " (one of redis, redis-sharded, redis-streams, memory)");
    }
    if (redisUris.isEmpty()) {
      throw new IllegalArgumentException("this adapter needs --redis redis://host:port");
    }
    redis = RedisAdapters.byName(kind, redisUris);
    return redis;
  }

  /** Whether the Node adapter of that kind is used with connection state recovery on. */
  static boolean recovers(String kind) {
    return kind.equals("redis-streams");
  }

  @Override
  public void close() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }
}
