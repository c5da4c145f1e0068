package dev.sio4j.redis;

import dev.sio4j.adapter.Adapter;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.redis.internal.LettuceSupport;
import dev.sio4j.redis.internal.LettuceSupport.OwnedClient;
import dev.sio4j.redis.internal.OutageLog;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The factory behind {@link RedisAdapter#factory}: two connections shared by the adapters of every
 * namespace, one in subscriber mode (PSUBSCRIBE / SUBSCRIBE, messages dispatched by channel) and
 * one for PUBLISH and PUBSUB NUMSUB, as the Node adapter's {@code subClient} and {@code pubClient}.
 *
 * <p>Subscriptions are counted per channel (two adapters of the same namespace, one per server
 * sharing this factory, share them). Lettuce subscribes again after a reconnection; subscriptions
 * that Redis refused while it was away are sent again each time a connection of the client becomes
 * active.
 *
 * <p>Thread-safety: thread-safe; subscription changes are serialised on this object, messages are
 * dispatched on Lettuce's thread of the subscriber connection, in the order Redis sent them.
 */
final class ClassicAdapterFactory implements RedisAdapterFactory {
  private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);

  /** Gets the messages of a channel or pattern. Must not block. */
  @FunctionalInterface
  interface Receiver {
    void receive(String channel, byte[] message);
  }

  /**
   * What an adapter subscribed to, for {@link #unregister}.
   *
   * <p>Thread-safety: immutable.
   */
  record Registration(Map<String, Receiver> channels, Map<String, Receiver> patterns) {}

  private final RedisAdapterOptions options;
  private final RedisClient client;
  private final OwnedClient owned;
  private final StatefulRedisConnection<byte[], byte[]> pub;
  private final StatefulRedisPubSubConnection<byte[], byte[]> sub;
  private final Map<String, Set<Receiver>> channels = new ConcurrentHashMap<>();
  private final Map<String, Set<Receiver>> patterns = new ConcurrentHashMap<>();
  private final OutageLog outage = new OutageLog(log, "Redis adapter");
  private final Disposable activations;
  private volatile boolean closed;

  private ClassicAdapterFactory(
      RedisAdapterOptions options,
      RedisClient client,
      OwnedClient owned,
      StatefulRedisConnection<byte[], byte[]> pub,
      StatefulRedisPubSubConnection<byte[], byte[]> sub) {
    this.options = options;
    this.client = client;
    this.owned = owned;
    this.pub = pub;
    this.sub = sub;
    sub.addListener(new Dispatcher());
    this.activations =
        client
            .getResources()
            .eventBus()
            .get()
            .filter(e -> e instanceof ConnectionActivatedEvent)
            .subscribe(e -> resubscribe(), e -> log.debug("event bus failed: {}", e.toString()));
  }

  /**
   * Opens the two connections, blocking up to the client's connect timeout.
   *
   * @param owned the client when this factory created it (then it shuts it down on close)
   * @throws SocketIoException when Redis cannot be reached
   */
  static ClassicAdapterFactory connect(
      RedisClient client, OwnedClient owned, RedisAdapterOptions options) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(options, "options");
    StatefulRedisConnection<byte[], byte[]> pub = null;
    try {
      pub = client.connect(ByteArrayCodec.INSTANCE);
      StatefulRedisPubSubConnection<byte[], byte[]> sub =
          client.connectPubSub(ByteArrayCodec.INSTANCE);
      return new ClassicAdapterFactory(options, client, owned, pub, sub);
    } catch (RuntimeException e) {
      if (pub != null) {
        pub.closeAsync();
      }
      if (owned != null) {
        LettuceSupport.shutdown(owned);
      }
      throw new SocketIoException("cannot connect to Redis: " + e.getMessage(), e);
    }
  }

  @Override
  public Adapter create(AdapterHost host) {
    if (closed) {
      throw new IllegalStateException("the Redis adapter factory is closed");
    }
    return new RedisAdapter(host, this, options);
  }

  // ---- for the adapters ----------------------------------------------------------------------

  /**
   * Subscribes (when not already) and routes the channels' messages to the receivers. The patterns
   * go first and the channels in one SUBSCRIBE: once the request channel counts this node (what
   * {@code serverCount} sees), every subscription of the adapter is in place.
   */
  synchronized void register(Registration registration) {
    List<String> newPatterns = new ArrayList<>();
    registration
        .patterns()
        .forEach(
            (pattern, receiver) -> {
              if (add(patterns, pattern, receiver)) {
                newPatterns.add(pattern);
              }
            });
    List<String> newChannels = new ArrayList<>();
    registration
        .channels()
        .forEach(
            (channel, receiver) -> {
              if (add(channels, channel, receiver)) {
                newChannels.add(channel);
              }
            });
    if (!closed) {
      subscribe(newPatterns, true);
      subscribe(newChannels, false);
    }
  }

  /** Stops routing; unsubscribes from what no other adapter needs. */
  synchronized void unregister(Registration registration) {
    registration
        .channels()
        .forEach((channel, receiver) -> remove(channels, channel, receiver, false));
    registration
        .patterns()
        .forEach((pattern, receiver) -> remove(patterns, pattern, receiver, true));
  }

  /** Adds a receiver; true when it is the first of its channel. */
  private static boolean add(Map<String, Set<Receiver>> map, String name, Receiver r) {
    Set<Receiver> receivers = map.computeIfAbsent(name, k -> new CopyOnWriteArraySet<>());
    boolean first = receivers.isEmpty();
    receivers.add(r);
    return first;
  }

  private void remove(Map<String, Set<Receiver>> map, String name, Receiver r, boolean pattern) {
    Set<Receiver> receivers = map.get(name);
    if (receivers == null) {
      return;
    }
    receivers.remove(r);
    if (receivers.isEmpty()) {
      map.remove(name);
      if (!closed) {
        byte[] key = LettuceSupport.utf8(name);
        (pattern ? sub.async().punsubscribe(key) : sub.async().unsubscribe(key))
            .whenComplete(
                (v, e) -> {
                  if (e != null) {
                    log.debug("unsubscribing from {} failed: {}", name, e.toString());
                  }
                });
      }
    }
  }

  private void subscribe(List<String> names, boolean pattern) {
    if (names.isEmpty()) {
      return;
    }
    byte[][] keys = new byte[names.size()][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = LettuceSupport.utf8(names.get(i));
    }
    CompletableFuture<Void> done;
    try {
      done =
          (pattern ? sub.async().psubscribe(keys) : sub.async().subscribe(keys))
              .toCompletableFuture();
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.orTimeout(LettuceSupport.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                // Sent again once a connection is active (see resubscribe).
                log.debug("subscribing to {} failed: {}", names, e.toString());
              }
            });
  }

  /**
   * Subscribes again to everything routed: a subscription Redis refused while it was away is not
   * among those Lettuce restores. Subscribing twice to a channel is harmless.
   */
  private synchronized void resubscribe() {
    if (closed) {
      return;
    }
    subscribe(List.copyOf(patterns.keySet()), true);
    subscribe(List.copyOf(channels.keySet()), false);
  }

  /** PUBLISH, bounded in time; failures feed the outage log. */
  CompletableFuture<Void> publish(String channel, byte[] payload) {
    return track(LettuceSupport.publish(pub.async(), channel, payload));
  }

  /** PUBSUB NUMSUB, bounded in time. */
  CompletableFuture<Integer> numsub(String channel) {
    return track(LettuceSupport.numsub(pub.async(), channel));
  }

  private <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    return future.whenComplete(
        (v, e) -> {
          if (e == null) {
            outage.succeeded();
          } else {
            outage.failed(e);
          }
        });
  }

  /** Whether both connections are up (Lettuce's view). */
  boolean connected() {
    return pub.isOpen() && sub.isOpen();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    activations.dispose();
    CompletableFuture<Void> subClosed = sub.closeAsync();
    CompletableFuture<Void> pubClosed = pub.closeAsync();
    try {
      CompletableFuture.allOf(subClosed, pubClosed)
          .get(LettuceSupport.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("closing the Redis connections: {}", e.toString());
    }
    if (owned != null) {
      LettuceSupport.shutdown(owned);
    }
  }

  /** Routes the subscriber connection's messages; never lets an exception reach Lettuce. */
  private final class Dispatcher implements RedisPubSubListener<byte[], byte[]> {
    @Override
    public void message(byte[] channel, byte[] message) {
      deliver(channels, LettuceSupport.string(channel), LettuceSupport.string(channel), message);
    }

    @Override
    public void message(byte[] pattern, byte[] channel, byte[] message) {
      deliver(patterns, LettuceSupport.string(pattern), LettuceSupport.string(channel), message);
    }

    private void deliver(
        Map<String, Set<Receiver>> map, String key, String channel, byte[] message) {
      Set<Receiver> receivers = map.get(key);
      if (receivers == null) {
        log.debug("message on {} that no namespace listens to", channel);
        return;
      }
      for (Receiver r : receivers) {
        try {
          r.receive(channel, message);
        } catch (RuntimeException e) {
          log.warn("handling a message of {} failed", channel, e);
        }
      }
    }

    @Override
    public void subscribed(byte[] channel, long count) {}

    @Override
    public void psubscribed(byte[] pattern, long count) {}

    @Override
    public void unsubscribed(byte[] channel, long count) {}

    @Override
    public void punsubscribed(byte[] pattern, long count) {}
  }
}
