package dev.sio4j.examples.chat;

import dev.sio4j.adapter.AdapterFactory;
import dev.sio4j.adapter.InMemoryAdapter;
import dev.sio4j.redis.RedisAdapters;
import dev.sio4j.server.RecoveryOptions;
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
 * with {@code --redis}: connection state recovery works across nodes). See {@link RedisAdapters}.
 *
 * <p>What a node opens for its cluster (the adapter's connections, the chat store) is registered
 * with {@link #closeAtEnd} and closed by {@link #close()}, last opened first, after the server.
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
   * @throws IllegalArgumentException for an unknown kind
   */
  AdapterFactory forName(String kind, List<String> redisUris) {
    if (kind.equals("memory")) {
      RecoveryOptions r = RecoveryOptions.defaults();
      return host -> new InMemoryAdapter(host, r.maxDisconnectionDuration(), r.maxPackets());
    }
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown adapter " + kind + " (one of " + KINDS + ")");
    }
    return closeAtEnd(RedisAdapters.byName(kind, redisUris));
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
