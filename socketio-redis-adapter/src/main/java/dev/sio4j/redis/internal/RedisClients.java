package dev.sio4j.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce clients the adapters create for themselves (from a {@code redis://} address), set up
 * so that a Redis that is down never makes anything wait or pile up:
 *
 * <ul>
 *   <li>{@code REJECT_COMMANDS} while disconnected (standalone): a command fails at once instead of
 *       being queued until Redis comes back (the adapters log it and go on, as the reference does);
 *       a cluster client accepts commands while it (re)connects a master, since it connects to each
 *       master on the first command for it, bounded by its queue and the command timeout;
 *   <li>a bounded request queue ({@value #REQUEST_QUEUE_SIZE} commands per connection);
 *   <li>every command times out ({@code XREAD} after its block time plus a margin, the others after
 *       {@link #COMMAND_TIMEOUT});
 *   <li>reconnection retried from 50 ms up to every 2 s, so that a restarted Redis is found again
 *       within about 2 seconds.
 * </ul>
 *
 * <p>A client the caller passes in is used as it is: the adapters bound their own waits, but a
 * client that queues commands while disconnected (Lettuce's default) lets them pile up in its queue
 * until Redis returns; such a client should use {@code REJECT_COMMANDS} or a bounded {@code
 * requestQueueSize}, and a command timeout longer than the streams adapter's block time.
 *
 * <p>Thread-safety: stateless; the clients are thread-safe.
 */
public final class RedisClients {
  /** The bound of a command that is not a blocking read. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  /** Commands a connection queues at most. */
  public static final int REQUEST_QUEUE_SIZE = 10_000;

  private static final Duration BLOCKING_MARGIN = Duration.ofSeconds(10);
  private static final Duration BLOCKING_COMMAND_TIMEOUT = Duration.ofMinutes(5);

  private RedisClients() {}

  /** A client and the resources it runs on, both owned by an adapter factory. */
  public record Owned<C>(C client, ClientResources resources) {
    /** Shuts the client down, then its threads; waits at most a few seconds. */
    public void shutdown() {
      try {
        if (client instanceof RedisClient c) {
          c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } else if (client instanceof RedisClusterClient c) {
          c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
      } catch (RuntimeException e) {
        // Shutting down: nothing left to tell anyone.
      }
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** A standalone client for {@code uri}. */
  public static Owned<RedisClient> standalone(String uri) {
    ClientResources resources = resources();
    RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE_SIZE)
            .timeoutOptions(timeouts())
            .build());
    return new Owned<>(client, resources);
  }

  /** A cluster client seeded with {@code uris}. */
  public static Owned<RedisClusterClient> cluster(List<String> uris) {
    ClientResources resources = resources();
    List<RedisURI> seeds = new ArrayList<>();
    uris.forEach(u -> seeds.add(RedisURI.create(u)));
    RedisClusterClient client = RedisClusterClient.create(resources, seeds);
    client.setOptions(
        ClusterClientOptions.builder()
            // Not REJECT_COMMANDS: a cluster client opens its connection to a master on the first
            // command for one of its slots, and would refuse that command while it connects. The
            // queue and the command timeout bound what waits during an outage instead.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE_SIZE)
            .timeoutOptions(timeouts())
            .build());
    return new Owned<>(client, resources);
  }

  private static ClientResources resources() {
    return DefaultClientResources.builder()
        .reconnectDelay(
            Delay.exponential(
                Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  private static TimeoutOptions timeouts() {
    return TimeoutOptions.builder()
        .timeoutSource(
            new TimeoutOptions.TimeoutSource() {
              @Override
              public long getTimeout(RedisCommand<?, ?, ?> command) {
                ProtocolKeyword type = command.getType();
                if (type == CommandType.XREAD || type == CommandType.XREADGROUP) {
                  // Its BLOCK argument decides; the streams adapter bounds it itself (block time
                  // plus a margin) and replaces a connection whose read got lost.
                  return BLOCKING_COMMAND_TIMEOUT.toMillis();
                }
                return COMMAND_TIMEOUT.toMillis();
              }

              @Override
              public TimeUnit getTimeUnit() {
                return TimeUnit.MILLISECONDS;
              }
            })
        .build();
  }

  /** The stage as a future that fails with a timeout after {@code timeout}. */
  public static <T> CompletableFuture<T> bounded(CompletionStage<T> stage, Duration timeout) {
    return stage.toCompletableFuture().copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits up to 2 seconds for connections to close; never throws. */
  public static void awaitQuietly(List<CompletableFuture<Void>> closing) {
    try {
      CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
          .get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Closing: nothing left to tell anyone.
    }
  }

  /** How long a blocking read of {@code blockTime} may take before it counts as lost. */
  public static Duration blockingBound(Duration blockTime) {
    return blockTime.plus(BLOCKING_MARGIN);
  }
}
