package dev.sio4j.redis.internal;

import dev.sio4j.common.SocketIoException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EpollProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * How the Redis adapters and the emitter use Lettuce: the options of the clients they create
 * themselves, the check of a client a caller hands in, and commands that never wait without a
 * bound.
 *
 * <p>A client created here never blocks a caller and never queues without bound while Redis is
 * away: commands are refused at once when disconnected ({@code REJECT_COMMANDS}; a cluster client
 * accepts them while a connection to a master (re)connects, see {@link #clusterClientOptions()}),
 * the queue of commands in flight is bounded, every command times out after {@link
 * #COMMAND_TIMEOUT} (a blocking {@code XREAD} after its block time, bounded by the streams
 * adapter), a PUBLISH or SPUBLISH caught by a disconnection is dropped rather than sent late, and
 * the client reconnects by itself, quickly at first (100 ms) and then at most every 5 seconds.
 *
 * <p>Thread-safety: stateless.
 */
public final class LettuceSupport {
  /** The bound of every command and of connecting. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  /** The bound of the queue of commands written but not yet answered, per connection. */
  public static final int REQUEST_QUEUE_SIZE = 65_536;

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration BLOCKING_COMMAND_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration BLOCKING_MARGIN = Duration.ofSeconds(10);

  /** Lettuce's switch for its io_uring detection. */
  static final String LETTUCE_IO_URING = "io.lettuce.core.iouring";

  static {
    // sio4j puts Netty's io_uring transport on the class path next to epoll. Lettuce, finding both,
    // takes epoll and logs a WARN each time it picks a transport. Where epoll works, switching its
    // io_uring detection off changes nothing but that warning; a value the application set wins.
    // Runs before this module creates its first Lettuce client.
    if (System.getProperty(LETTUCE_IO_URING) == null && EpollProvider.isAvailable()) {
      System.setProperty(LETTUCE_IO_URING, "false");
    }
  }

  private LettuceSupport() {}

  /** The client options this module gives the clients it creates. */
  public static ClientOptions clientOptions() {
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(REQUEST_QUEUE_SIZE)
        .replayFilter(LettuceSupport::dropPublish)
        .timeoutOptions(timeouts())
        .socketOptions(
            SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build())
        .build();
  }

  /**
   * {@link #COMMAND_TIMEOUT} for every command but a blocking read ({@code XREAD BLOCK}), whose own
   * BLOCK argument decides: the streams adapter bounds it itself (block time plus a margin) and
   * replaces a connection whose read got lost.
   */
  private static TimeoutOptions timeouts() {
    return TimeoutOptions.builder()
        .timeoutSource(
            new TimeoutOptions.TimeoutSource() {
              @Override
              public long getTimeout(RedisCommand<?, ?, ?> command) {
                ProtocolKeyword type = command.getType();
                return type == CommandType.XREAD || type == CommandType.XREADGROUP
                    ? BLOCKING_COMMAND_TIMEOUT.toMillis()
                    : COMMAND_TIMEOUT.toMillis();
              }

              @Override
              public TimeUnit getTimeUnit() {
                return TimeUnit.MILLISECONDS;
              }
            })
        .build();
  }

  /**
   * The options of the cluster clients this module creates: as {@link #clientOptions()}, except
   * that commands are accepted while a connection (re)connects: a cluster client opens its
   * connection to a master on the first command for one of its slots, and would refuse that very
   * command. The bounded queue and the command timeout bound what waits during an outage instead.
   */
  public static ClusterClientOptions clusterClientOptions() {
    return ClusterClientOptions.builder(
            clientOptions()
                .mutate()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .build())
        .build();
  }

  /**
   * A PUBLISH that was in flight when the connection dropped is failed rather than sent again after
   * the reconnection: a message delivered locally long ago must not reach the others late, and the
   * policy while Redis is away is to drop (Lettuce leaves a filtered command pending, so it is
   * failed here).
   */
  private static boolean dropPublish(RedisCommand<?, ?, ?> command) {
    if (command.getType() == CommandType.PUBLISH || command.getType() == CommandType.SPUBLISH) {
      command.completeExceptionally(
          new RedisConnectionException("connection lost before Redis answered; message dropped"));
      return true;
    }
    return false;
  }

  /**
   * A client of its own, with {@link #clientOptions()} and resources of its own; release it with
   * {@link #shutdown(OwnedClient)}.
   *
   * @throws SocketIoException if the URI is malformed
   */
  public static OwnedClient createClient(String redisUri) {
    RedisURI uri = uri(redisUri);
    ClientResources resources = resources();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(clientOptions());
    return new OwnedClient(client, resources);
  }

  /**
   * A cluster client of its own seeded with {@code redisUris}, with {@link #clusterClientOptions()}
   * and resources of its own; release it with {@link #shutdown(OwnedClusterClient)}.
   *
   * @throws SocketIoException if a URI is malformed
   */
  public static OwnedClusterClient createClusterClient(List<String> redisUris) {
    List<RedisURI> seeds = new ArrayList<>();
    redisUris.forEach(u -> seeds.add(uri(u)));
    ClientResources resources = resources();
    RedisClusterClient client = RedisClusterClient.create(resources, seeds);
    client.setOptions(clusterClientOptions());
    return new OwnedClusterClient(client, resources);
  }

  private static RedisURI uri(String redisUri) {
    try {
      return RedisURI.create(redisUri);
    } catch (RuntimeException e) {
      throw new SocketIoException("bad Redis URI " + redisUri + ": " + e.getMessage(), e);
    }
  }

  private static ClientResources resources() {
    return DefaultClientResources.builder()
        .reconnectDelay(
            Delay.exponential(
                Duration.ofMillis(100), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * A cluster client and the resources created for it alone.
   *
   * <p>Thread-safety: immutable.
   */
  public record OwnedClusterClient(RedisClusterClient client, ClientResources resources) {}

  /** Shuts a cluster client created here down, waiting at most a few seconds. Does not throw. */
  public static void shutdown(OwnedClusterClient owned) {
    try {
      owned.client().shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
    } catch (RuntimeException ignored) {
      // Best effort: the process may be on its way down.
    }
    shutdown(owned.resources());
  }

  /**
   * A client and the resources created for it alone.
   *
   * <p>Thread-safety: immutable.
   */
  public record OwnedClient(RedisClient client, ClientResources resources) {}

  /** Shuts a client created here down, waiting at most a few seconds. Does not throw. */
  public static void shutdown(OwnedClient owned) {
    try {
      owned.client().shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
    } catch (RuntimeException ignored) {
      // Best effort: the process may be on its way down.
    }
    shutdown(owned.resources());
  }

  private static void shutdown(ClientResources resources) {
    try {
      resources
          .shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .await(SHUTDOWN_TIMEOUT.toMillis() + 500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ignored) {
      // Best effort.
    }
  }

  /**
   * Warns when a caller's client would queue commands without bound while Redis is down (Lettuce's
   * defaults), which a server cannot afford.
   */
  public static void checkCallerClient(RedisClient client, Logger log) {
    checkCallerOptions(client.getOptions(), log);
  }

  /** {@link #checkCallerClient(RedisClient, Logger)} for a cluster client. */
  public static void checkCallerClient(RedisClusterClient client, Logger log) {
    checkCallerOptions(client.getOptions(), log);
  }

  private static void checkCallerOptions(ClientOptions options, Logger log) {
    boolean rejects =
        options.getDisconnectedBehavior() == ClientOptions.DisconnectedBehavior.REJECT_COMMANDS
            || (options.getDisconnectedBehavior() == ClientOptions.DisconnectedBehavior.DEFAULT
                && !options.isAutoReconnect());
    if (!rejects && options.getRequestQueueSize() == Integer.MAX_VALUE) {
      log.warn(
          "the Redis client queues commands without bound while Redis is unreachable: give it"
              + " ClientOptions with disconnectedBehavior(REJECT_COMMANDS) or a bounded"
              + " requestQueueSize");
    }
    if (!options.isAutoReconnect()) {
      log.warn("the Redis client does not reconnect by itself (autoReconnect is off)");
    }
  }

  /** PUBLISH, bounded by {@link #COMMAND_TIMEOUT}; completes when Redis took the message. */
  public static CompletableFuture<Void> publish(
      RedisAsyncCommands<byte[], byte[]> commands, String channel, byte[] payload) {
    try {
      return commands
          .publish(utf8(channel), payload)
          .toCompletableFuture()
          .<Void>thenApply(receivers -> null)
          .orTimeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code PUBSUB NUMSUB channel}: the subscribers of the channel, bounded in time. */
  public static CompletableFuture<Integer> numsub(
      RedisAsyncCommands<byte[], byte[]> commands, String channel) {
    try {
      return commands
          .pubsubNumsub(utf8(channel))
          .toCompletableFuture()
          .thenApply(LettuceSupport::firstCount)
          .orTimeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Integer firstCount(Map<byte[], Long> counts) {
    long sum = 0;
    for (Long count : counts.values()) {
      sum += count == null ? 0 : count;
    }
    return (int) Math.min(Integer.MAX_VALUE, sum);
  }

  /** The stage as a future that fails with a timeout after {@code timeout}. */
  public static <T> CompletableFuture<T> bounded(CompletionStage<T> stage, Duration timeout) {
    return stage.toCompletableFuture().copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How long a blocking read of {@code blockTime} may take before it counts as lost. */
  public static Duration blockingBound(Duration blockTime) {
    return blockTime.plus(BLOCKING_MARGIN);
  }

  /** Waits up to a few seconds for connections to close; never throws. */
  public static void awaitQuietly(List<CompletableFuture<Void>> closing) {
    try {
      CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
          .get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Closing: nothing left to tell anyone.
    }
  }

  /** The UTF-8 bytes of a channel name, as the Node clients write it. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A channel name from its bytes. */
  public static String string(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
