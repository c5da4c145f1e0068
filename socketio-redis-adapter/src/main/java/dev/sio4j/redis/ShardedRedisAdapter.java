package dev.sio4j.redis;

import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.adapter.ClusterAdapter;
import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterResponse;
import dev.sio4j.adapter.RoomListener;
import dev.sio4j.redis.ShardedRedisAdapterOptions.SubscriptionMode;
import dev.sio4j.redis.internal.ClusterMessageTrees;
import dev.sio4j.redis.internal.LettuceSupport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sharded pub/sub adapter, wire-compatible with {@code createShardedAdapter} of {@code
 * @socket.io/redis-adapter} 8.3.0 (Redis 7+, {@code SPUBLISH}/{@code SSUBSCRIBE}): sio4j and Node
 * nodes with it on the same Redis, or the same Redis Cluster, form one cluster.
 *
 * <pre>{@code
 * RedisAdapterFactory redis =
 *     ShardedRedisAdapter.clusterFactory(List.of("redis://10.0.0.1:7000", "redis://10.0.0.2:7000"));
 * SocketIoServer io = SocketIoServer.builder()
 *     .options(SocketIoOptions.builder().adapter(redis).build())
 *     .port(3000)
 *     .build();
 * }</pre>
 *
 * <p>As the reference: every message is the reference's cluster message, as JSON, or msgpack when
 * it carries a binary value; channels are {@code <prefix>#<nsp>#} for the namespace and {@code
 * <prefix>#<nsp>#<uid>#} for the answers to this node; with {@link SubscriptionMode#DYNAMIC} a
 * broadcast without acks to exactly one public room (a room whose name is not 20 characters long,
 * the length of a socket id) goes to {@code <prefix>#<nsp>#<room>#}, which only the nodes hosting
 * the room subscribe to; {@link SubscriptionMode#DYNAMIC_PRIVATE} does so for every room. The
 * number of nodes is the number of subscribers of the namespace channel ({@code PUBSUB
 * SHARDNUMSUB}, summed over the masters of a cluster). No connection state recovery across nodes
 * (the reference has none).
 *
 * <p>Redis down: broadcasts still reach this node's sockets, the others miss them (logged at
 * DEBUG); requests fail or time out within {@code requestsTimeout}; subscriptions come back by
 * themselves. Nothing waits on a server thread.
 *
 * <p>Thread-safety: thread-safe, as every {@link ClusterAdapter}.
 */
public final class ShardedRedisAdapter extends ClusterAdapter {
  private static final Logger log = LoggerFactory.getLogger(ShardedRedisAdapter.class);
  private static final int SOCKET_ID_LENGTH = 20;

  private final ShardedFactory bus;
  private final SubscriptionMode mode;
  private final String channel;
  private final String responseChannel;
  private final Object dynamicLock = new Object();
  private final Set<String> dynamic = new HashSet<>();
  private boolean closed;

  ShardedRedisAdapter(AdapterHost host, ShardedFactory bus) {
    super(host, bus.options.requestsTimeout());
    this.bus = bus;
    this.mode = bus.options.subscriptionMode();
    this.channel = bus.options.channelPrefix() + "#" + host.name() + "#";
    this.responseChannel = channel + uid() + "#";
  }

  // ---- factories -----------------------------------------------------------------------------

  /** A factory on a standalone Redis 7 client of the caller's, with the reference's defaults. */
  public static RedisAdapterFactory factory(RedisClient client) {
    return factory(client, ShardedRedisAdapterOptions.defaults());
  }

  /**
   * A factory on a standalone Redis 7 client of the caller's (it opens a command and a subscriber
   * connection, closed with the factory; the client stays the caller's). Connects at once. The
   * client should reject commands while disconnected or bound its queue (see {@link
   * RedisStreamsAdapter#factory(RedisClient, RedisStreamsAdapterOptions)}).
   */
  public static RedisAdapterFactory factory(
      RedisClient client, ShardedRedisAdapterOptions options) {
    LettuceSupport.checkCallerClient(Objects.requireNonNull(client, "client"), log);
    return ShardedFactory.standalone(client, () -> {}, options);
  }

  /** A factory on a Redis Cluster client of the caller's, with the reference's defaults. */
  public static RedisAdapterFactory factory(RedisClusterClient client) {
    return factory(client, ShardedRedisAdapterOptions.defaults());
  }

  /** A factory on a Redis Cluster client of the caller's. Connects at once. */
  public static RedisAdapterFactory factory(
      RedisClusterClient client, ShardedRedisAdapterOptions options) {
    LettuceSupport.checkCallerClient(Objects.requireNonNull(client, "client"), log);
    return ShardedFactory.cluster(client, () -> {}, options);
  }

  /** A factory with its own client for a standalone Redis 7 at {@code redisUri}. */
  public static RedisAdapterFactory factory(String redisUri) {
    return factory(redisUri, ShardedRedisAdapterOptions.defaults());
  }

  /**
   * A factory with its own client for a standalone Redis 7 at {@code redisUri}, closed with the
   * factory; it rejects commands while disconnected and reconnects within about 2 seconds.
   */
  public static RedisAdapterFactory factory(String redisUri, ShardedRedisAdapterOptions options) {
    Objects.requireNonNull(options, "options");
    LettuceSupport.OwnedClient owned = LettuceSupport.createClient(redisUri);
    return ShardedFactory.standalone(owned.client(), () -> LettuceSupport.shutdown(owned), options);
  }

  /** A factory with its own client for the Redis Cluster reachable at any of {@code seedUris}. */
  public static RedisAdapterFactory clusterFactory(List<String> seedUris) {
    return clusterFactory(seedUris, ShardedRedisAdapterOptions.defaults());
  }

  /**
   * A factory with its own cluster client seeded with {@code seedUris}, closed with the factory; it
   * rejects commands while disconnected and reconnects within about 2 seconds.
   */
  public static RedisAdapterFactory clusterFactory(
      List<String> seedUris, ShardedRedisAdapterOptions options) {
    Objects.requireNonNull(options, "options");
    if (seedUris.isEmpty()) {
      throw new IllegalArgumentException("no seed address");
    }
    LettuceSupport.OwnedClusterClient owned = LettuceSupport.createClusterClient(seedUris);
    return ShardedFactory.cluster(owned.client(), () -> LettuceSupport.shutdown(owned), options);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  @Override
  public void init() {
    super.init();
    bus.subscribe(channel, this);
    bus.subscribe(responseChannel, this);
    if (mode != SubscriptionMode.STATIC) {
      addListener(
          new RoomListener() {
            @Override
            public void onCreateRoom(String room) {
              syncRoom(room);
            }

            @Override
            public void onDeleteRoom(String room) {
              syncRoom(room);
            }
          });
    }
  }

  /** Unsubscribes every channel of this namespace, fails pending requests. */
  @Override
  public CompletableFuture<Void> close() {
    Set<String> rooms;
    synchronized (dynamicLock) {
      closed = true;
      rooms = Set.copyOf(dynamic);
      dynamic.clear();
    }
    bus.unsubscribe(channel, this);
    bus.unsubscribe(responseChannel, this);
    rooms.forEach(room -> bus.unsubscribe(dynamicChannel(room), this));
    return super.close();
  }

  /**
   * Subscribes or unsubscribes a room's channel after it was created or deleted here. The decision
   * reads the room's current state under a lock, so that racing room events from several event
   * loops end with the subscription the room's final state calls for.
   */
  private void syncRoom(String room) {
    synchronized (dynamicLock) {
      if (closed) {
        return;
      }
      boolean exists = localRooms().hasRoom(room);
      if (exists && !dynamic.contains(room) && ownChannel(room)) {
        dynamic.add(room);
        bus.subscribe(dynamicChannel(room), this);
      } else if (!exists && dynamic.remove(room)) {
        bus.unsubscribe(dynamicChannel(room), this);
      }
    }
  }

  /** Whether a room this node hosts gets a channel of its own, as the reference decides. */
  private boolean ownChannel(String room) {
    if (mode == SubscriptionMode.DYNAMIC_PRIVATE) {
      return true;
    }
    // Public rooms only: not the private room of a socket of this node.
    return mode == SubscriptionMode.DYNAMIC && localRooms().socketRooms(room).isEmpty();
  }

  // ---- the bus -------------------------------------------------------------------------------

  @Override
  protected CompletionStage<Void> publish(ClusterMessage message) {
    return bus.publish(channelOf(message), ClusterMessageTrees.jsonOrMsgpack(message));
  }

  @Override
  protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse response) {
    return bus.publish(channel + requesterUid + "#", ClusterMessageTrees.jsonOrMsgpack(response));
  }

  @Override
  public CompletableFuture<Integer> serverCount() {
    return bus.subscribers(channel).thenApply(n -> Math.max(1, n));
  }

  /**
   * The channel of a message: a broadcast without acks to exactly one room goes to the room's own
   * channel when the mode gives it one (by the room name alone: the publisher cannot know whether a
   * room is a socket's, so a 20-character name counts as a socket id); the rest to the namespace's
   * channel. A broadcast with acks never does: every node must count its clients.
   */
  String channelOf(ClusterMessage message) {
    return channelOf(message, mode, channel);
  }

  static String channelOf(ClusterMessage message, SubscriptionMode mode, String channel) {
    if (message instanceof Broadcast b
        && b.data().requestId().isEmpty()
        && b.data().opts().rooms().size() == 1) {
      String room = b.data().opts().rooms().iterator().next();
      if (mode == SubscriptionMode.DYNAMIC_PRIVATE
          || (mode == SubscriptionMode.DYNAMIC && room.length() != SOCKET_ID_LENGTH)) {
        return channel + room + "#";
      }
    }
    return channel;
  }

  private String dynamicChannel(String room) {
    return channel + room + "#";
  }

  /** A message on one of this namespace's channels. */
  void onRawMessage(String from, byte[] payload) {
    ClusterMessage message;
    try {
      message = ClusterMessageTrees.decode(payload);
    } catch (RuntimeException e) {
      log.debug("[{}] dropped a malformed message on {}: {}", uid(), from, e.toString());
      return;
    }
    onMessage(message);
  }
}
