package dev.sio4j.redis;

import java.util.List;
import java.util.Objects;

/**
 * The Redis adapters by the names a command line or a configuration file uses, each with the Node
 * adapters' defaults and its own Lettuce client: {@code redis} ({@link RedisAdapter}, classic
 * pub/sub), {@code redis-sharded} ({@link ShardedRedisAdapter}: a standalone Redis 7 for one URI,
 * the Redis Cluster they belong to for several) and {@code redis-streams} ({@link
 * RedisStreamsAdapter}, with connection state recovery across nodes when the server turns it on).
 *
 * <p>Thread-safety: stateless.
 */
public final class RedisAdapters {
  /** The names {@link #byName} knows. */
  public static final List<String> KINDS = List.of("redis", "redis-sharded", "redis-streams");

  private RedisAdapters() {}

  /**
   * The adapter factory called {@code kind}, connected to {@code redisUris} ({@code
   * redis://host:port}); close it after the server stopped.
   *
   * @throws IllegalArgumentException for an unknown kind or no URI
   * @throws io.lettuce.core.RedisConnectionException when Redis is unreachable
   */
  public static RedisAdapterFactory byName(String kind, List<String> redisUris) {
    Objects.requireNonNull(kind, "kind");
    if (redisUris.isEmpty()) {
      throw new IllegalArgumentException("the " + kind + " adapter needs a Redis URI");
    }
    String first = redisUris.get(0);
    switch (kind) {
      case "redis":
        return RedisAdapter.factory(first);
      case "redis-sharded":
        return redisUris.size() == 1
            ? ShardedRedisAdapter.factory(first)
            : ShardedRedisAdapter.clusterFactory(redisUris);
      case "redis-streams":
        return RedisStreamsAdapter.factory(first);
      default:
        throw new IllegalArgumentException("unknown adapter " + kind + " (one of " + KINDS + ")");
    }
  }
}
