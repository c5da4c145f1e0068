package dev.sio4j.examples.chat;

import dev.sio4j.adapter.AdapterFactory;
import dev.sio4j.adapter.InMemoryAdapter;
import dev.sio4j.server.RecoveryOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter a chat node runs on, by the name given with {@code --adapter}: {@code memory} (one
 * node), or one of the Redis adapters that make several nodes one chat — {@code redis} (classic
 * pub/sub), {@code redis-sharded} (sharded pub/sub, Redis 7+), {@code redis-streams} (the default
 * with {@code --redis}: connection state recovery works across nodes).
 *
 * <p>What an adapter opens (its Redis client) is registered with {@link #closeAtEnd} and closed by
 * {@link #close()}, after the server.
 *
 * <p>Thread-safety: not thread-safe; used while a node starts and when it stops.
 */
final class ClusterAdapters implements AutoCloseable {
  /** The names {@link #forName} knows. */
  static final Set<String> KINDS = Set.of("memory", "redis", "redis-sharded", "redis-streams");

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
        RecoveryOptions r = RecoveryOptions.defaults();
        return host -> new InMemoryAdapter(host, r.maxDisconnectionDuration(), r.maxPackets());
      // The Redis adapters (module socketio-redis-adapter): one line each.
      case "redis":
        throw new IllegalArgumentException("adapter not available yet: " + kind);
      case "redis-sharded":
        throw new IllegalArgumentException("adapter not available yet: " + kind);
      case "redis-streams":
        throw new IllegalArgumentException("adapter not available yet: " + kind);
      default:
        throw new IllegalArgumentException(
            "unknown adapter " + kind + " (one of memory, redis, redis-sharded, redis-streams)");
    }
  }

  /** A Lettuce client of the first URI, shut down by {@link #close()}. */
  RedisClient redisClient(List<String> redisUris) {
    if (redisUris.isEmpty()) {
      throw new IllegalArgumentException("this adapter needs --redis redis://host:port");
    }
    RedisClient client = RedisClient.create(RedisURI.create(redisUris.get(0)));
    closeAtEnd(client::shutdown);
    return client;
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
