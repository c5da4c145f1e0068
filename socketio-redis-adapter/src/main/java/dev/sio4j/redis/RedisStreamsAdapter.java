package dev.sio4j.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.adapter.ClusterAdapter;
import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterResponse;
import dev.sio4j.adapter.LocalRooms;
import dev.sio4j.adapter.RecoverySession;
import dev.sio4j.adapter.SessionStore;
import dev.sio4j.adapter.SocketHandle;
import dev.sio4j.redis.internal.ClusterMessageTrees;
import dev.sio4j.redis.internal.LettuceSupport;
import dev.sio4j.socketio.parser.SioPacket;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Streams adapter, wire-compatible with {@code @socket.io/redis-streams-adapter} 0.3.1:
 * sio4j and Node {@code socket.io} nodes with it on the same Redis form one cluster, and a client
 * whose node went away recovers its session (id, rooms, data, missed events) on any other node,
 * sio4j or Node.
 *
 * <pre>{@code
 * RedisAdapterFactory redis = RedisStreamsAdapter.factory("redis://127.0.0.1:6379");
 * SocketIoServer io = SocketIoServer.builder()
 *     .options(SocketIoOptions.builder()
 *         .adapter(redis)
 *         .connectionStateRecovery(RecoveryOptions.defaults())
 *         .build())
 *     .port(3000)
 *     .build();
 * // ... io.close().join(); then redis.close();
 * }</pre>
 *
 * <p>How it uses Redis, as the reference:
 *
 * <ul>
 *   <li>messages that change state or reach clients ({@code BROADCAST} without acks, {@code
 *       SOCKETS_JOIN}, {@code SOCKETS_LEAVE}, {@code DISCONNECT_SOCKETS}) are stream entries
 *       ({@code XADD <stream> MAXLEN ~ <maxLen> * uid … nsp … type "<n>" data …}, {@code data}
 *       being JSON, or base64 of msgpack when it holds binary) that every node reads with a
 *       blocking {@code XREAD} loop: they survive a node's short disconnection from Redis, and
 *       their entry ids are the offsets of connection state recovery;
 *   <li>requests and their answers (broadcasts with acks, {@code serverSideEmit}, {@code
 *       fetchSockets}) are msgpack on pub/sub channels {@code <prefix>#<nsp>#} and {@code
 *       <prefix>#<nsp>#<uid>#} (sharded pub/sub with {@code useShardedPubSub});
 *   <li>the number of nodes is the number of subscribers of {@code <prefix>#<nsp>#} ({@code PUBSUB
 *       NUMSUB}, or {@code SHARDNUMSUB});
 *   <li>with connection state recovery on, a disconnected socket's session is kept as {@code SET
 *       <sessionKeyPrefix><pid> base64(msgpack({sid, pid, rooms, data})) PX
 *       <maxDisconnectionDuration>}; a client that comes back gets it with {@code GETDEL} and the
 *       events it missed by reading the stream from its offset ({@code XRANGE}, in bounded pages).
 * </ul>
 *
 * <p>Where this adapter is stricter than the reference: a restore reads at most 100 pages of 1,000
 * entries after the offset and fails (the client gets a new session) rather than returning a
 * partial list when the stream runs further; events broadcast while a session is being restored on
 * this node are held back and delivered after the replayed ones, once each, instead of racing with
 * the replay; a bus without an offset adds no empty offset to events.
 *
 * <p>Redis down: broadcasts still reach this node's sockets (without an offset), the rest of the
 * cluster misses them (logged at DEBUG); requests fail or time out within {@code requestsTimeout};
 * the reading loop and the subscriptions resume by themselves when Redis is back. Nothing waits on
 * a server thread.
 *
 * <p>Thread-safety: thread-safe, as every {@link ClusterAdapter}.
 */
public final class RedisStreamsAdapter extends ClusterAdapter {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamsAdapter.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern OFFSET = Pattern.compile("^[0-9]+-[0-9]+$");
  private static final int RESTORE_PAGE = 1000;
  private static final int RESTORE_MAX_PAGES = 100;
  private static final int MAX_HELD = 10_000;
  private static final Duration RECOVERY_ATTACH_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final StreamsFactory bus;
  private final RedisStreamsAdapterOptions options;
  private final String stream;
  private final String publicChannel;
  private final String privateChannel;
  private final Sessions sessions;
  private final Object recoveryLock = new Object();
  private final Map<String, Recovering> recovering = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<?>> persisting = ConcurrentHashMap.newKeySet();
  // The last entry of the stream the reading loop handed over: only it delivers what other nodes
  // broadcast, so a restored socket must skip what the loop brings up to the end of its replay.
  private volatile StreamId loopPosition;

  RedisStreamsAdapter(AdapterHost host, StreamsFactory bus) {
    super(host, bus.options.requestsTimeout());
    this.bus = bus;
    this.options = bus.options;
    this.stream = options.streamOf(host.name());
    this.publicChannel = options.channelPrefix() + "#" + host.name() + "#";
    this.privateChannel = publicChannel + uid() + "#";
    this.sessions = host.maxDisconnectionDuration().map(Sessions::new).orElse(null);
  }

  // ---- factories -----------------------------------------------------------------------------

  /**
   * A factory on a Redis client of the caller's, with the reference's defaults. The client stays
   * the caller's (closing the factory closes only the connections it opened); see {@link
   * #factory(RedisClient, RedisStreamsAdapterOptions)} for what it should be configured with.
   */
  public static RedisAdapterFactory factory(RedisClient client) {
    return factory(client, RedisStreamsAdapterOptions.defaults());
  }

  /**
   * A factory on a Redis client of the caller's: it opens a command connection, a subscriber
   * connection and one reading connection per stream (so a blocking read never holds up other
   * commands). Connects at once: throws {@link io.lettuce.core.RedisConnectionException} when Redis
   * is unreachable.
   *
   * <p>The adapter bounds every wait of its own, but a client that queues commands while Redis is
   * down (Lettuce's default) keeps them until Redis returns: configure it with {@code
   * ClientOptions.DisconnectedBehavior.REJECT_COMMANDS} (or a bounded {@code requestQueueSize}),
   * and a command timeout longer than {@code blockTime}. {@link #factory(String,
   * RedisStreamsAdapterOptions)} does all that.
   */
  public static RedisAdapterFactory factory(
      RedisClient client, RedisStreamsAdapterOptions options) {
    LettuceSupport.checkCallerClient(Objects.requireNonNull(client, "client"), log);
    return new StreamsFactory(client, () -> {}, options);
  }

  /** A factory with its own Redis client for {@code redisUri}, with the reference's defaults. */
  public static RedisAdapterFactory factory(String redisUri) {
    return factory(redisUri, RedisStreamsAdapterOptions.defaults());
  }

  /**
   * A factory with its own Redis client for {@code redisUri} (e.g. {@code redis://127.0.0.1:6379}),
   * closed with the factory. The client rejects commands while disconnected, bounds its queue and
   * its commands, and reconnects within about 2 seconds of Redis coming back. Connects at once:
   * throws {@link io.lettuce.core.RedisConnectionException} when Redis is unreachable.
   */
  public static RedisAdapterFactory factory(String redisUri, RedisStreamsAdapterOptions options) {
    Objects.requireNonNull(options, "options");
    LettuceSupport.OwnedClient owned = LettuceSupport.createClient(redisUri);
    // On failure the factory shuts the client down before throwing.
    return new StreamsFactory(owned.client(), () -> LettuceSupport.shutdown(owned), options);
  }

  // ---- the bus -------------------------------------------------------------------------------

  /** The pub/sub channels this adapter listens on: the namespace's and its own answers'. */
  List<String> channels() {
    return List.of(publicChannel, privateChannel);
  }

  /** The stream of this namespace. */
  String stream() {
    return stream;
  }

  /** The namespace this adapter serves. */
  String namespace() {
    return host().name();
  }

  /**
   * Requests (broadcasts with acks, server-side emits, fetches) need no durability and go over
   * pub/sub, as the reference's 0.3 does; the rest goes to the stream.
   */
  private static boolean isEphemeral(ClusterMessage message) {
    return switch (message.type()) {
      case BROADCAST -> ((Broadcast) message).data().requestId().isPresent();
      case SERVER_SIDE_EMIT, FETCH_SOCKETS -> true;
      default -> false;
    };
  }

  @Override
  protected CompletionStage<Void> publish(ClusterMessage message) {
    if (isEphemeral(message)) {
      return bus.publish(publicChannel, ClusterMessageTrees.msgpack(message));
    }
    return xadd(message).thenApply(id -> null);
  }

  @Override
  protected CompletionStage<Optional<String>> publishAndReturnOffset(ClusterMessage message) {
    if (isEphemeral(message)) {
      return publish(message).thenApply(v -> Optional.empty());
    }
    return xadd(message).thenApply(Optional::of);
  }

  private CompletableFuture<String> xadd(ClusterMessage message) {
    return bus.xadd(stream, ClusterMessageTrees.streamFields(message, options.onlyPlaintext()));
  }

  @Override
  protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse response) {
    return bus.publish(publicChannel + requesterUid + "#", ClusterMessageTrees.msgpack(response));
  }

  /** The subscribers of the namespace's channel: one per node. */
  @Override
  public CompletableFuture<Integer> serverCount() {
    return bus.subscribers(publicChannel).thenApply(n -> Math.max(1, n));
  }

  /** A pub/sub message of this namespace's channels. */
  void onPubSubMessage(byte[] payload) {
    ClusterMessage message;
    try {
      message = ClusterMessageTrees.decode(payload);
    } catch (RuntimeException e) {
      log.debug("[{}] dropped a malformed message on {}: {}", uid(), publicChannel, e.toString());
      return;
    }
    onMessage(message);
  }

  /** An entry of this namespace's stream. */
  void onStreamEntry(Map<String, String> fields, String id) {
    ClusterMessage message;
    try {
      message = ClusterMessageTrees.fromStreamFields(fields);
    } catch (RuntimeException e) {
      log.debug("[{}] dropped a malformed entry {} of {}: {}", uid(), id, stream, e.toString());
      return;
    }
    onMessage(message, id);
    StreamId position = StreamId.parse(id).orElse(null);
    if (position != null) {
      loopPosition = position;
      if (!recovering.isEmpty()) {
        forgetPassed(position);
      }
    }
  }

  @Override
  public Optional<SessionStore> sessionStore() {
    return Optional.ofNullable(sessions);
  }

  /** Unsubscribes, waits a little for the sessions being saved, fails pending requests. */
  @Override
  public CompletableFuture<Void> close() {
    bus.remove(this);
    CompletableFuture<?>[] saving = persisting.toArray(new CompletableFuture<?>[0]);
    return CompletableFuture.allOf(saving)
        .copy()
        .orTimeout(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .handle((v, e) -> null)
        .thenCompose(v -> super.close());
  }

  // ---- recovery: holding back what a restoring socket must get after its replay --------------

  /**
   * While a session is being restored (from {@code restore} until its socket is connected here), a
   * broadcast event that its rooms match is held back for it rather than delivered: it goes out
   * after the replayed events, unless the replay already had it. After that, until the reading loop
   * has passed the end of the replay, the events it brings that the replay had are skipped for the
   * socket. Without this, an event could arrive between the reading of the replay and the socket's
   * return to its rooms, and be lost or sent twice.
   */
  @Override
  protected void broadcastLocally(
      SioPacket packet, BroadcastOptions options, Optional<String> offset) {
    if (recovering.isEmpty()) {
      super.broadcastLocally(packet, options, offset);
      return;
    }
    synchronized (recoveryLock) {
      if (recovering.isEmpty()) {
        super.broadcastLocally(packet, options, offset);
        return;
      }
      StreamId id = offset.flatMap(StreamId::parse).orElse(null);
      Set<String> except = new LinkedHashSet<>(options.except());
      for (Recovering r : recovering.values()) {
        if (r.released) {
          if (id != null && id.compareTo(r.threshold) <= 0) {
            except.add(r.sid);
          }
          continue;
        }
        except.add(r.sid);
        if (id != null
            && LocalRooms.matches(r.rooms, options)
            && (r.threshold == null || id.compareTo(r.threshold) > 0)) {
          if (r.held.size() >= MAX_HELD) {
            r.overflowed = true;
          } else {
            r.held.add(new Held(id, packet, options.flags()));
          }
        }
      }
      super.broadcastLocally(
          packet, new BroadcastOptions(options.rooms(), except, options.flags()), offset);
    }
  }

  /** The server puts a restored socket in its rooms, and in its own room once connected. */
  @Override
  public void addAll(String socketId, Set<String> rooms) {
    super.addAll(socketId, rooms);
    if (recovering.isEmpty()) {
      return;
    }
    Recovering r = recovering.get(socketId);
    if (r != null && r.threshold != null && !r.released && host().socket(socketId).isPresent()) {
      // Called on the socket's loop while it sends its CONNECT and the replay: the held events
      // are delivered from another thread so that they queue up behind those.
      try {
        host().scheduler().execute(() -> release(r));
      } catch (RejectedExecutionException e) {
        forget(r);
      }
    }
  }

  @Override
  public void delAll(String socketId) {
    super.delAll(socketId);
    Recovering r = recovering.get(socketId);
    if (r != null) {
      forget(r);
    }
  }

  private void release(Recovering r) {
    synchronized (recoveryLock) {
      if (recovering.get(r.sid) != r || r.released) {
        return;
      }
      Optional<SocketHandle> socket = host().socket(r.sid);
      if (socket.isEmpty()) {
        forget(r);
        return;
      }
      if (r.overflowed) {
        forget(r);
        log.info(
            "[{}] socket {} missed more than {} events while recovering: disconnected",
            uid(),
            r.sid,
            MAX_HELD);
        socket.get().disconnect(false);
        return;
      }
      r.held.sort(Comparator.comparing(Held::id));
      for (Held h : r.held) {
        socket.get().deliver(h.packet, host().parser().encode(h.packet), h.flags);
      }
      r.held.clear();
      r.released = true;
      StreamId position = loopPosition;
      if (position != null && position.compareTo(r.threshold) >= 0) {
        forget(r);
      }
    }
  }

  /** The reading loop reached {@code position}: released sockets past it need no more care. */
  private void forgetPassed(StreamId position) {
    synchronized (recoveryLock) {
      for (Recovering r : List.copyOf(recovering.values())) {
        if (r.released && position.compareTo(r.threshold) >= 0) {
          forget(r);
        }
      }
    }
  }

  private void forget(Recovering r) {
    synchronized (recoveryLock) {
      if (recovering.remove(r.sid, r)) {
        r.cancelExpiry();
      }
    }
  }

  /** A restore in progress on this node. Guarded by {@code recoveryLock}, but {@code threshold}. */
  private static final class Recovering {
    final String sid;
    final Set<String> rooms;
    final List<Held> held = new ArrayList<>();
    volatile StreamId threshold;
    volatile boolean released;
    boolean overflowed;
    ScheduledFuture<?> expiry;

    Recovering(String sid, Set<String> rooms) {
      this.sid = sid;
      this.rooms = rooms;
    }

    void cancelExpiry() {
      if (expiry != null) {
        expiry.cancel(false);
      }
    }
  }

  private record Held(StreamId id, SioPacket packet, BroadcastFlags flags) {}

  /** A stream entry id, {@code <ms>-<seq>}, ordered as Redis orders them. */
  record StreamId(long ms, long seq) implements Comparable<StreamId> {
    static Optional<StreamId> parse(String id) {
      if (id == null || !OFFSET.matcher(id).matches()) {
        return Optional.empty();
      }
      int dash = id.indexOf('-');
      try {
        return Optional.of(
            new StreamId(
                Long.parseUnsignedLong(id.substring(0, dash)),
                Long.parseUnsignedLong(id.substring(dash + 1))));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    /** The smallest id after this one, for an inclusive range start. */
    StreamId next() {
      return seq == -1L ? new StreamId(ms + 1, 0) : new StreamId(ms, seq + 1);
    }

    @Override
    public int compareTo(StreamId o) {
      int c = Long.compareUnsigned(ms, o.ms);
      return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    @Override
    public String toString() {
      return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
  }

  // ---- recovery: the sessions in Redis -------------------------------------------------------

  /**
   * Sessions kept in Redis, as the reference keeps them, so that any node can restore them.
   *
   * <p>Thread-safety: thread-safe.
   */
  private final class Sessions implements SessionStore {
    private final Duration ttl;

    Sessions(Duration ttl) {
      this.ttl = ttl;
    }

    @Override
    public void persist(RecoverySession session) {
      CompletableFuture<Void> f =
          bus.set(
              options.sessionKeyPrefix() + session.pid(),
              ClusterMessageTrees.base64(ClusterMessageTrees.encodeMsgpack(tree(session))),
              ttl);
      persisting.add(f);
      f.whenComplete(
          (v, e) -> {
            persisting.remove(f);
            if (e != null) {
              log.debug(
                  "[{}] the session of {} could not be saved: {}",
                  uid(),
                  session.sid(),
                  e.toString());
            }
          });
    }

    @Override
    public CompletableFuture<Optional<RecoverySession>> restore(String pid, String offset) {
      Optional<StreamId> from = StreamId.parse(offset);
      if (from.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      CompletableFuture<Optional<String>> session = bus.getdel(options.sessionKeyPrefix() + pid);
      CompletableFuture<List<StreamsFactory.Entry>> at = bus.xrange(stream, offset, offset, 1);
      CompletableFuture<Optional<RecoverySession>> result =
          session
              .thenCombine(
                  at,
                  (s, entries) ->
                      s.isPresent() && !entries.isEmpty() ? s : Optional.<String>empty())
              .thenCompose(
                  raw -> {
                    if (raw.isEmpty()) {
                      return CompletableFuture.completedFuture(Optional.empty());
                    }
                    RecoverySession found = decodeSession(raw.get(), pid);
                    Recovering r = new Recovering(found.sid(), found.rooms());
                    synchronized (recoveryLock) {
                      Recovering old = recovering.put(r.sid, r);
                      if (old != null) {
                        old.cancelExpiry();
                      }
                    }
                    List<ArrayNode> missed = new ArrayList<>();
                    return replay(found, from.get(), missed, 0)
                        .thenApply(last -> hold(r, last, found, missed))
                        .whenComplete(
                            (v, e) -> {
                              if (e != null || v.isEmpty()) {
                                forget(r);
                              }
                            });
                  });
      return LettuceSupport.bounded(result, options.requestsTimeout())
          .exceptionally(
              e -> {
                log.debug("[{}] restoring a session failed: {}", uid(), e.toString());
                return Optional.empty();
              });
    }

    /**
     * Reads the stream after {@code after}, page by page, collecting the broadcast events of this
     * namespace that the session's rooms match, each with its entry id appended. Completes with the
     * last id read.
     */
    private CompletableFuture<StreamId> replay(
        RecoverySession session, StreamId after, List<ArrayNode> missed, int page) {
      if (page >= RESTORE_MAX_PAGES) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "more than " + RESTORE_MAX_PAGES * RESTORE_PAGE + " entries"));
      }
      return bus.xrange(stream, after.next().toString(), null, RESTORE_PAGE)
          .thenCompose(
              entries -> {
                StreamId last = after;
                for (StreamsFactory.Entry e : entries) {
                  StreamId id = StreamId.parse(e.id()).orElse(last);
                  last = id;
                  if (!host().name().equals(e.fields().get(ClusterMessageTrees.NSP))
                      || !"3".equals(e.fields().get(ClusterMessageTrees.TYPE))) {
                    continue;
                  }
                  ClusterMessage m;
                  try {
                    m = ClusterMessageTrees.fromStreamFields(e.fields());
                  } catch (RuntimeException ex) {
                    continue;
                  }
                  Broadcast b = (Broadcast) m;
                  SioPacket p = b.data().packet();
                  if (b.data().requestId().isEmpty()
                      && p.data().isPresent()
                      && p.data().get().isArray()
                      && LocalRooms.matches(session.rooms(), b.data().opts())) {
                    ArrayNode args = F.arrayNode();
                    args.addAll((ArrayNode) p.data().get());
                    args.add(e.id());
                    missed.add(args);
                  }
                }
                if (entries.size() < RESTORE_PAGE) {
                  return CompletableFuture.completedFuture(last);
                }
                return replay(session, last, missed, page + 1);
              });
    }

    /** The replay is read up to {@code last}: from now on only later events are held back. */
    private Optional<RecoverySession> hold(
        Recovering r, StreamId last, RecoverySession found, List<ArrayNode> missed) {
      synchronized (recoveryLock) {
        if (recovering.get(r.sid) != r) {
          return Optional.empty();
        }
        r.held.removeIf(h -> h.id.compareTo(last) <= 0);
        r.threshold = last;
        try {
          r.expiry =
              host()
                  .scheduler()
                  .schedule(
                      () -> forget(r), RECOVERY_ATTACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          return Optional.empty();
        }
      }
      return Optional.of(
          new RecoverySession(found.sid(), found.pid(), found.rooms(), found.data(), missed));
    }
  }

  /** {@code {sid, pid, rooms, data}}: the session object the reference saves. */
  static ObjectNode tree(RecoverySession session) {
    ObjectNode tree = F.objectNode();
    tree.put("sid", session.sid());
    tree.put("pid", session.pid());
    ArrayNode rooms = tree.putArray("rooms");
    // The socket's own room first, as in a Node socket's rooms.
    if (session.rooms().contains(session.sid())) {
      rooms.add(session.sid());
    }
    session.rooms().stream().filter(r -> !r.equals(session.sid())).forEach(rooms::add);
    JsonNode data = session.data();
    tree.set("data", data == null || data.isNull() || data.isMissingNode() ? F.objectNode() : data);
    return tree;
  }

  static RecoverySession decodeSession(String base64, String pid) {
    JsonNode tree = ClusterMessageTrees.decodeMsgpack(ClusterMessageTrees.decodeBase64(base64));
    JsonNode sid = tree.get("sid");
    if (!tree.isObject() || sid == null || !sid.isTextual()) {
      throw new IllegalArgumentException("a session without sid");
    }
    Set<String> rooms = new LinkedHashSet<>();
    JsonNode list = tree.get("rooms");
    if (list != null && list.isArray()) {
      list.forEach(room -> rooms.add(room.asText()));
    }
    JsonNode data = tree.get("data");
    return new RecoverySession(
        sid.textValue(), pid, rooms, data == null ? F.objectNode() : data, List.of());
  }
}
