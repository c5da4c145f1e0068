package dev.sio4j.redis;

import dev.sio4j.adapter.Adapter;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.redis.internal.LettuceSupport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis side shared by the {@link ShardedRedisAdapter}s of one server (one per namespace), as
 * the reference's {@code pubClient} and {@code subClient}: a command connection for {@code
 * SPUBLISH} and {@code PUBSUB SHARDNUMSUB}, and a subscriber connection for {@code SSUBSCRIBE}. On
 * a single Redis 7 ({@link RedisClient}) or a Redis Cluster ({@link RedisClusterClient}, where
 * Lettuce sends each sharded command to the master of the channel's slot and the subscriber count
 * is summed over the masters, as the reference does).
 *
 * <p>A subscription that Redis refuses (it is down) is tried again every second while its adapter
 * wants it; subscriptions made before an outage are renewed by Lettuce when it reconnects.
 *
 * <p>Thread-safety: thread-safe; messages are dispatched on Lettuce's threads.
 */
final class ShardedFactory implements RedisAdapterFactory {
  private static final Logger log = LoggerFactory.getLogger(ShardedRedisAdapter.class);
  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;
  private static final long MIN_RETRY_MILLIS = 20;
  private static final long MAX_RETRY_MILLIS = 1000;

  final ShardedRedisAdapterOptions options;
  private final Bus bus;
  private final Runnable release;
  private final ScheduledExecutorService executor;
  private final Map<String, ShardedRedisAdapter> byChannel = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ShardedFactory(Bus bus, Runnable release, ShardedRedisAdapterOptions options) {
    this.bus = bus;
    this.release = release;
    this.options = options;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sio4j-redis-sharded");
              t.setDaemon(true);
              return t;
            });
  }

  /** On a standalone Redis 7. */
  static ShardedFactory standalone(
      RedisClient client, Runnable release, ShardedRedisAdapterOptions options) {
    Objects.requireNonNull(options, "options");
    StatefulRedisConnection<byte[], byte[]> commands = null;
    try {
      commands = client.connect(CODEC);
      StatefulRedisPubSubConnection<byte[], byte[]> subscriber = client.connectPubSub(CODEC);
      StandaloneBus bus = new StandaloneBus(commands, subscriber);
      ShardedFactory factory = new ShardedFactory(bus, release, options);
      subscriber.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void smessage(byte[] channel, byte[] message) {
              factory.dispatch(channel, message);
            }
          });
      return factory;
    } catch (RuntimeException e) {
      if (commands != null) {
        commands.closeAsync();
      }
      release.run();
      throw e;
    }
  }

  /** On a Redis Cluster. */
  static ShardedFactory cluster(
      RedisClusterClient client, Runnable release, ShardedRedisAdapterOptions options) {
    Objects.requireNonNull(options, "options");
    StatefulRedisClusterConnection<byte[], byte[]> commands = null;
    try {
      commands = client.connect(CODEC);
      StatefulRedisClusterPubSubConnection<byte[], byte[]> subscriber = client.connectPubSub(CODEC);
      ClusterBus bus = new ClusterBus(commands, subscriber);
      ShardedFactory factory = new ShardedFactory(bus, release, options);
      // Messages come in on the connections to the masters that own the channels' slots.
      subscriber.setNodeMessagePropagation(true);
      subscriber.addListener(
          new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
              factory.dispatch(channel, message);
            }
          });
      return factory;
    } catch (RuntimeException e) {
      if (commands != null) {
        commands.closeAsync();
      }
      release.run();
      throw e;
    }
  }

  @Override
  public Adapter create(AdapterHost host) {
    if (closed) {
      throw new IllegalStateException("the sharded Redis adapter factory is closed");
    }
    return new ShardedRedisAdapter(host, this);
  }

  private void dispatch(byte[] channel, byte[] message) {
    String name = new String(channel, StandardCharsets.UTF_8);
    ShardedRedisAdapter adapter = byChannel.get(name);
    if (adapter != null) {
      adapter.onRawMessage(name, message);
    }
  }

  // ---- what the adapters use -----------------------------------------------------------------

  /** Subscribes a channel for an adapter; tries again while Redis refuses and it is wanted. */
  void subscribe(String channel, ShardedRedisAdapter adapter) {
    byChannel.put(channel, adapter);
    trySubscribe(channel, adapter, MIN_RETRY_MILLIS);
  }

  /**
   * The first retries come quickly: on a cluster, the connection to the master of a slot is opened
   * on the first command for it, which a client that rejects commands while disconnected refuses
   * until it is up.
   */
  private void trySubscribe(String channel, ShardedRedisAdapter adapter, long retryMillis) {
    if (closed || byChannel.get(channel) != adapter) {
      return;
    }
    call(() -> bus.subscribe(bytes(channel)))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                log.debug("SSUBSCRIBE {} failed, retrying: {}", channel, e.toString());
                try {
                  executor.schedule(
                      () ->
                          trySubscribe(
                              channel, adapter, Math.min(MAX_RETRY_MILLIS, retryMillis * 2)),
                      retryMillis,
                      TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                  // Closed.
                }
              }
            });
  }

  void unsubscribe(String channel, ShardedRedisAdapter adapter) {
    if (byChannel.remove(channel, adapter) && !closed) {
      call(() -> bus.unsubscribe(bytes(channel)))
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  log.debug("SUNSUBSCRIBE {} failed: {}", channel, e.toString());
                }
              });
    }
  }

  CompletableFuture<Void> publish(String channel, byte[] payload) {
    return call(() -> bus.publish(bytes(channel), payload)).thenApply(n -> null);
  }

  CompletableFuture<Integer> subscribers(String channel) {
    return call(() -> bus.subscribers(bytes(channel)));
  }

  private <T> CompletableFuture<T> call(Supplier<? extends CompletionStage<T>> command) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("factory closed"));
    }
    try {
      return LettuceSupport.bounded(command.get(), options.requestsTimeout());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<CompletableFuture<Void>> closing = bus.close();
    executor.shutdownNow();
    LettuceSupport.awaitQuietly(closing);
    release.run();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int sum(Iterable<Map<byte[], Long>> counts) {
    long n = 0;
    for (Map<byte[], Long> m : counts) {
      for (Long c : m.values()) {
        n += c == null ? 0 : c;
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  /** The commands of the sharded adapter, on one Redis or a cluster. */
  private interface Bus {
    CompletionStage<Long> publish(byte[] channel, byte[] payload);

    CompletionStage<Integer> subscribers(byte[] channel);

    CompletionStage<Void> subscribe(byte[] channel);

    CompletionStage<Void> unsubscribe(byte[] channel);

    List<CompletableFuture<Void>> close();
  }

  private record StandaloneBus(
      StatefulRedisConnection<byte[], byte[]> commands,
      StatefulRedisPubSubConnection<byte[], byte[]> subscriber)
      implements Bus {
    @Override
    public CompletionStage<Long> publish(byte[] channel, byte[] payload) {
      return commands.async().spublish(channel, payload);
    }

    @Override
    public CompletionStage<Integer> subscribers(byte[] channel) {
      return commands.async().pubsubShardNumsub(channel).thenApply(m -> sum(List.of(m)));
    }

    @Override
    public CompletionStage<Void> subscribe(byte[] channel) {
      return subscriber.async().ssubscribe(channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(byte[] channel) {
      return subscriber.async().sunsubscribe(channel);
    }

    @Override
    public List<CompletableFuture<Void>> close() {
      return List.of(subscriber.closeAsync(), commands.closeAsync());
    }
  }

  private record ClusterBus(
      StatefulRedisClusterConnection<byte[], byte[]> commands,
      StatefulRedisClusterPubSubConnection<byte[], byte[]> subscriber)
      implements Bus {
    @Override
    public CompletionStage<Long> publish(byte[] channel, byte[] payload) {
      return commands.async().spublish(channel, payload);
    }

    /** Each master counts the subscribers of the channels it owns; the others answer 0. */
    @Override
    public CompletionStage<Integer> subscribers(byte[] channel) {
      return commands
          .async()
          .upstream()
          .commands()
          .pubsubShardNumsub(channel)
          .thenApply(ShardedFactory::sum);
    }

    @Override
    public CompletionStage<Void> subscribe(byte[] channel) {
      return subscriber.async().ssubscribe(channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(byte[] channel) {
      return subscriber.async().sunsubscribe(channel);
    }

    @Override
    public List<CompletableFuture<Void>> close() {
      return List.of(subscriber.closeAsync(), commands.closeAsync());
    }
  }
}
