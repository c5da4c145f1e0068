package dev.sio4j.redis;

import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.adapter.ClusterAdapter;
import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterResponse;
import dev.sio4j.adapter.ClusterTimeoutException;
import dev.sio4j.adapter.RoomListener;
import dev.sio4j.adapter.SocketHandle;
import dev.sio4j.redis.ClassicAdapterFactory.Receiver;
import dev.sio4j.redis.ClassicAdapterFactory.Registration;
import dev.sio4j.redis.internal.ClassicCodec;
import dev.sio4j.redis.internal.ClassicCodec.Outgoing;
import dev.sio4j.redis.internal.ClassicCodec.Request;
import dev.sio4j.redis.internal.ClassicCodec.Response;
import dev.sio4j.redis.internal.ClassicWire;
import dev.sio4j.redis.internal.ClassicWire.Channels;
import dev.sio4j.redis.internal.LettuceSupport;
import io.lettuce.core.RedisClient;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic Redis pub/sub adapter, wire-compatible with the Node {@code @socket.io/redis-adapter}
 * 8.x ({@code createAdapter}): sio4j nodes and Node {@code socket.io} nodes using that adapter with
 * the same key on the same Redis form one cluster.
 *
 * <pre>{@code
 * RedisAdapterFactory redis = RedisAdapter.factory("redis://127.0.0.1:6379", RedisAdapterOptions.defaults());
 * SocketIoServer io = SocketIoServer.builder()
 *     .options(SocketIoOptions.builder().adapter(redis).build())
 *     .build();
 * ...
 * io.close().join();
 * redis.close();
 * }</pre>
 *
 * <p>On the wire, as the Node adapter: broadcasts are msgpack {@code [uid, packet, opts]} on {@code
 * <key>#<nsp>#}, or {@code <key>#<nsp>#<room>#} for exactly one room (a node that has no member of
 * that room does not even decode it); requests are JSON on {@code <key>-request#<nsp>#} (msgpack
 * for a broadcast with acks); replies go to {@code <key>-response#<nsp>#} or, with {@link
 * RedisAdapterOptions#publishOnSpecificResponseChannel()}, to the requester's own channel. The
 * number of nodes is {@code PUBSUB NUMSUB} of the request channel. Besides the requests of every
 * cluster adapter, it answers the classic-only {@code ALL_ROOMS} (and asks it in {@link
 * #allRooms()}) and {@code SOCKETS}, and the single-socket join, leave and disconnect of older
 * adapters. Messages that are not well-formed messages of their channel (another library using the
 * same prefix, garbage) are dropped with a DEBUG line.
 *
 * <p>No connection state recovery (neither has the Node adapter): use the Redis Streams adapter for
 * that.
 *
 * <p>Redis unreachable: nothing blocks and nothing queues without bound. A broadcast is delivered
 * to this node's clients and its remote part dropped (one WARN when the outage starts, one INFO
 * when Redis is back, DEBUG per dropped message); requests fail or time out. Lettuce reconnects and
 * subscribes again by itself, and broadcasts resume.
 *
 * <p>Thread-safety: thread-safe, as every adapter. Messages from Redis are handled on Lettuce's
 * thread of the subscriber connection; server-side event listeners run there (see {@code
 * Namespace}), so they must not block.
 */
public final class RedisAdapter extends ClusterAdapter {
  private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);
  private static final HexFormat HEX = HexFormat.of();

  private final ClassicAdapterFactory bus;
  private final ClassicCodec codec;
  private final Registration registration;
  private final Map<String, RoomsRequest> roomsRequests = new ConcurrentHashMap<>();
  // Members per local room, for the room-channel filter without copying the room set per message.
  private final Map<String, Integer> roomMembers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  RedisAdapter(AdapterHost host, ClassicAdapterFactory bus, RedisAdapterOptions options) {
    super(host, options.requestsTimeout());
    this.bus = bus;
    Channels channels = new Channels(options.key(), host.name());
    this.codec = new ClassicCodec(channels, uid(), options.publishOnSpecificResponseChannel());
    Receiver onRequest = (channel, message) -> onRequest(message);
    Receiver onResponse = (channel, message) -> onResponse(message);
    this.registration =
        new Registration(
            Map.of(
                channels.request(),
                onRequest,
                channels.response(),
                onResponse,
                channels.specificResponse(uid()),
                onResponse),
            Map.of(channels.broadcastPattern(), this::onBroadcast));
    addListener(
        new RoomListener() {
          @Override
          public void onJoinRoom(String room, String socketId) {
            roomMembers.merge(room, 1, RedisAdapter::sumOrNull);
          }

          @Override
          public void onLeaveRoom(String room, String socketId) {
            roomMembers.merge(room, -1, RedisAdapter::sumOrNull);
          }
        });
  }

  private static Integer sumOrNull(Integer a, Integer b) {
    int sum = a + b;
    return sum == 0 ? null : sum;
  }

  // ---- entry points --------------------------------------------------------------------------

  /**
   * A factory on a Redis client the caller owns (and shuts down, after closing the factory). Opens
   * two connections of the client at once, blocking up to its connect timeout.
   *
   * <p>The client should not queue without bound while Redis is down (a WARN says so otherwise):
   * give it {@code ClientOptions} with {@code disconnectedBehavior(REJECT_COMMANDS)} (or a bounded
   * {@code requestQueueSize}), {@code autoReconnect(true)} (the default) and a command timeout.
   * Commands of the adapter are bounded in time whatever the client does.
   *
   * @throws dev.sio4j.common.SocketIoException when Redis cannot be reached
   */
  public static RedisAdapterFactory factory(RedisClient client, RedisAdapterOptions options) {
    LettuceSupport.checkCallerClient(Objects.requireNonNull(client, "client"), log);
    return ClassicAdapterFactory.connect(client, null, options);
  }

  /**
   * A factory with a Redis client of its own for {@code redisUri} (e.g. {@code
   * redis://127.0.0.1:6379}), shut down when the factory is closed. The client refuses commands
   * while disconnected, bounds its queue, times commands out after 5 seconds and reconnects by
   * itself.
   *
   * @throws dev.sio4j.common.SocketIoException when the URI is malformed or Redis cannot be reached
   */
  public static RedisAdapterFactory factory(String redisUri, RedisAdapterOptions options) {
    Objects.requireNonNull(redisUri, "redisUri");
    Objects.requireNonNull(options, "options");
    LettuceSupport.OwnedClient owned = LettuceSupport.createClient(redisUri);
    return ClassicAdapterFactory.connect(owned.client(), owned, options);
  }

  /** {@link #factory(String, RedisAdapterOptions)} with the defaults. */
  public static RedisAdapterFactory factory(String redisUri) {
    return factory(redisUri, RedisAdapterOptions.defaults());
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  @Override
  public void init() {
    super.init();
    bus.register(registration);
  }

  @Override
  public CompletableFuture<Void> close() {
    closed = true;
    bus.unregister(registration);
    IllegalStateException error =
        new IllegalStateException("the adapter of namespace " + host().name() + " is closed");
    for (String id : List.copyOf(roomsRequests.keySet())) {
      RoomsRequest r = roomsRequests.remove(id);
      if (r != null) {
        r.cancelTimer();
        r.future.completeExceptionally(error);
      }
    }
    return super.close();
  }

  // ---- the bus -------------------------------------------------------------------------------

  @Override
  protected CompletionStage<Void> publish(ClusterMessage message) {
    Optional<Outgoing> out = codec.encode(message);
    if (out.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return bus.publish(out.get().channel(), out.get().payload());
  }

  @Override
  protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse response) {
    Outgoing out = codec.encodeResponse(requesterUid, response);
    return bus.publish(out.channel(), out.payload());
  }

  /** Publishes a classic-only message (answers the SPI has no type for); failures are DEBUG. */
  private void publishClassic(Outgoing out) {
    bus.publish(out.channel(), out.payload())
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                log.debug("[{}] publishing on {} failed: {}", uid(), out.channel(), e.toString());
              }
            });
  }

  /** {@code PUBSUB NUMSUB} of the request channel: every node subscribes to it. */
  @Override
  public CompletableFuture<Integer> serverCount() {
    return bus.numsub(codec.channels().request());
  }

  @Override
  public int pendingRequests() {
    return super.pendingRequests() + roomsRequests.size();
  }

  // ---- allRooms: the classic ALL_ROOMS request ------------------------------------------------

  /**
   * The rooms of every node, asked with the classic {@code ALL_ROOMS} request (which Node nodes
   * answer too). Fails with {@link ClusterTimeoutException} when a node does not answer within the
   * requests timeout.
   */
  @Override
  public CompletableFuture<Set<String>> allRooms() {
    Set<String> local = rooms();
    return serverCount()
        .thenCompose(
            count -> {
              if (count <= 1) {
                return CompletableFuture.completedFuture(local);
              }
              if (closed) {
                return CompletableFuture.failedFuture(
                    new IllegalStateException(
                        "the adapter of namespace " + host().name() + " is closed"));
              }
              String requestId = HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
              RoomsRequest request = new RoomsRequest(count - 1, local);
              roomsRequests.put(requestId, request);
              try {
                request.timer =
                    host()
                        .scheduler()
                        .schedule(
                            () -> {
                              if (roomsRequests.remove(requestId, request)) {
                                request.future.completeExceptionally(request.timeoutError());
                              }
                            },
                            requestsTimeout().toMillis(),
                            TimeUnit.MILLISECONDS);
              } catch (RejectedExecutionException e) {
                roomsRequests.remove(requestId);
                return CompletableFuture.failedFuture(
                    new IllegalStateException("the server is stopped"));
              }
              Outgoing out = codec.allRoomsRequest(requestId);
              bus.publish(out.channel(), out.payload())
                  .whenComplete(
                      (v, e) -> {
                        if (e != null && roomsRequests.remove(requestId, request)) {
                          request.cancelTimer();
                          request.future.completeExceptionally(e);
                        }
                      });
              return request.future;
            });
  }

  /** An {@code ALL_ROOMS} request waiting for answers; guarded by its monitor. */
  private static final class RoomsRequest {
    final CompletableFuture<Set<String>> future = new CompletableFuture<>();
    private final int expected;
    private final Set<String> rooms;
    private int received;
    volatile ScheduledFuture<?> timer;

    RoomsRequest(int expected, Set<String> local) {
      this.expected = expected;
      this.rooms = new HashSet<>(local);
    }

    synchronized boolean add(Set<String> more) {
      rooms.addAll(more);
      return ++received >= expected;
    }

    synchronized Set<String> rooms() {
      return Set.copyOf(rooms);
    }

    synchronized ClusterTimeoutException timeoutError() {
      return new ClusterTimeoutException(
          "timeout reached: only " + received + " responses received out of " + expected,
          List.of());
    }

    void cancelTimer() {
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  // ---- receiving -----------------------------------------------------------------------------

  private void onBroadcast(String channel, byte[] message) {
    Optional<String> room = codec.channels().roomOf(channel);
    if (room.isEmpty()) {
      log.debug("[{}] ignored a message of another channel: {}", uid(), channel);
      return;
    }
    if (!room.get().isEmpty() && !roomMembers.containsKey(room.get())) {
      log.trace("[{}] ignored a broadcast to room {}, not on this node", uid(), room.get());
      return;
    }
    Broadcast broadcast;
    try {
      broadcast = codec.decodeBroadcast(message);
    } catch (RuntimeException e) {
      log.debug("[{}] dropped a malformed message on {}: {}", uid(), channel, e.toString());
      return;
    }
    onMessage(broadcast);
  }

  private void onRequest(byte[] message) {
    Request request;
    try {
      request = codec.decodeRequest(message);
    } catch (RuntimeException e) {
      log.debug(
          "[{}] dropped a malformed request on {}: {}",
          uid(),
          codec.channels().request(),
          e.toString());
      return;
    }
    if (request instanceof Request.Cluster c) {
      onMessage(c.message());
    } else if (request instanceof Request.AllRooms r) {
      if (!r.uid().equals(uid())) {
        publishClassic(codec.allRoomsResponse(r.uid(), r.requestId(), rooms()));
      }
    } else if (request instanceof Request.Sockets s) {
      if (!s.uid().equals(uid())) {
        publishClassic(codec.socketsResponse(s.uid(), s.requestId(), sockets(s.rooms())));
      }
    } else if (request instanceof Request.Legacy l) {
      onLegacy(l);
    }
  }

  /** The single-socket operations of adapters before 7.x: the node holding the socket answers. */
  private void onLegacy(Request.Legacy request) {
    Optional<SocketHandle> socket = host().socket(request.sid());
    if (socket.isEmpty()) {
      return;
    }
    switch (request.type()) {
      case ClassicWire.REMOTE_JOIN -> request.room().ifPresent(r -> socket.get().join(Set.of(r)));
      case ClassicWire.REMOTE_LEAVE -> request.room().ifPresent(r -> socket.get().leave(Set.of(r)));
      default -> socket.get().disconnect(request.close());
    }
    publishClassic(codec.legacyResponse(request.uid(), request.requestId()));
  }

  private void onResponse(byte[] message) {
    Response response;
    try {
      response = codec.decodeResponse(message);
    } catch (RuntimeException e) {
      log.debug("[{}] dropped a malformed response: {}", uid(), e.toString());
      return;
    }
    if (response instanceof Response.Cluster c) {
      onMessage(c.response());
    } else if (response instanceof Response.Rooms r) {
      RoomsRequest request = roomsRequests.get(r.requestId());
      if (request != null
          && request.add(r.rooms())
          && roomsRequests.remove(r.requestId(), request)) {
        request.cancelTimer();
        request.future.complete(request.rooms());
      }
    }
  }
}
