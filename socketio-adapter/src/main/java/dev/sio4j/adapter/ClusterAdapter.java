package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterMessage.BroadcastData;
import dev.sio4j.adapter.ClusterMessage.DisconnectData;
import dev.sio4j.adapter.ClusterMessage.DisconnectSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSocketsData;
import dev.sio4j.adapter.ClusterMessage.RoomsData;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmit;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmitData;
import dev.sio4j.adapter.ClusterMessage.SocketsJoin;
import dev.sio4j.adapter.ClusterMessage.SocketsLeave;
import dev.sio4j.adapter.ClusterResponse.AckData;
import dev.sio4j.adapter.ClusterResponse.BroadcastAck;
import dev.sio4j.adapter.ClusterResponse.BroadcastClientCount;
import dev.sio4j.adapter.ClusterResponse.ClientCountData;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponse;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponseData;
import dev.sio4j.adapter.ClusterResponse.ServerSideEmitResponse;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of message-bus adapters (the reference's {@code ClusterAdapter}): every operation is
 * done on this node and sent to the others as a {@link ClusterMessage}; requests that expect
 * answers (fetchSockets, serverSideEmitWithAck, broadcasts with acks) are tracked here, with
 * timeouts. A subclass moves messages and nothing else:
 *
 * <ul>
 *   <li>{@link #publish(ClusterMessage)}: send a message to every other node of the namespace;
 *   <li>{@link #publishResponse(String, ClusterResponse)}: send a reply to one node;
 *   <li>{@link #serverCount()}: how many nodes serve the namespace (for instance the subscriber
 *       count of the bus channel) — or extend {@link ClusterAdapterWithHeartbeat}, which counts
 *       them from heartbeats;
 *   <li>and call {@link #onMessage(ClusterMessage)} for every message and reply it receives (its
 *       own and other namespaces' included: they are ignored here).
 * </ul>
 *
 * <p>Rules, as the reference: messages from this server's own {@code uid} and for other namespaces
 * are ignored; an operation with the {@code local} flag is not published; the local part of an
 * operation is always performed too. {@code fetchSockets} fails after {@code flags.timeout} (or the
 * requests timeout, 5 s by default) and {@code serverSideEmitWithAck} after the requests timeout,
 * with {@link ClusterTimeoutException} ({@code timeout reached: only X responses received out of
 * Y}); the bookkeeping of a broadcast with acks is dropped after its {@code flags.timeout} (the
 * server's operator fails the caller's future by then). {@link #close()} fails what is still
 * pending, so nothing waits on a closed adapter.
 *
 * <p>Connection state recovery: the adapter keeps no sessions of its own across nodes (as the
 * reference's cluster adapters other than the Redis Streams one); a subclass may offer a {@link
 * SessionStore}. When the server runs recovery ({@link AdapterHost#maxDisconnectionDuration()}), a
 * bus that gives its messages offsets (a log such as a Redis stream) overrides {@link
 * #publishAndReturnOffset} and passes the offset of what it receives to {@link
 * #onMessage(ClusterMessage, String)}: broadcast events without ack, not volatile, then reach the
 * local sockets with that offset as their last argument, on every node, as the reference's {@code
 * ClusterAdapter} does. A bus without offsets changes nothing (the reference appends an empty
 * string there; this one appends nothing).
 *
 * <p>Thread-safety: thread-safe. {@link #onMessage} may be called from any thread, concurrently;
 * the local work it triggers hops onto each socket's event loop. Replies are sent and pending
 * requests completed on the thread that delivered the last answer (or the server's timer thread for
 * timeouts); {@code publish} must therefore not block for long. Messages from one node should be
 * delivered in the order they were published, as a real bus does, or a broadcast may overtake a
 * join.
 */
public abstract class ClusterAdapter extends InMemoryAdapter {
  /** The default time a node has to answer a request (the reference's 5 seconds). */
  public static final Duration DEFAULT_REQUESTS_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(ClusterAdapter.class);
  private static final HexFormat HEX = HexFormat.of();

  private final String uid;
  private final String nsp;
  private final Duration requestsTimeout;
  private final Map<String, PendingRequest<?>> requests = new ConcurrentHashMap<>();
  private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();
  private final boolean recovery;
  private volatile boolean closed;

  /** An adapter whose requests time out after {@link #DEFAULT_REQUESTS_TIMEOUT}. */
  protected ClusterAdapter(AdapterHost host) {
    this(host, DEFAULT_REQUESTS_TIMEOUT);
  }

  /**
   * An adapter whose requests ({@code serverSideEmitWithAck}, and {@code fetchSockets} without a
   * {@code timeout} flag) time out after {@code requestsTimeout}.
   */
  protected ClusterAdapter(AdapterHost host, Duration requestsTimeout) {
    super(host);
    this.uid = host.serverId();
    this.nsp = host.name();
    this.requestsTimeout = Objects.requireNonNull(requestsTimeout, "requestsTimeout");
    this.recovery = host.maxDisconnectionDuration().isPresent();
  }

  // ---- what a subclass implements ------------------------------------------------------------

  /**
   * Sends a message to the other nodes serving this namespace (the bus may deliver it back to this
   * node too: it is ignored). Must not block; completes when the bus took the message, or fails.
   */
  protected abstract CompletionStage<Void> publish(ClusterMessage message);

  /**
   * Sends a reply to the node {@code requesterUid} (a bus without per-node channels may send it to
   * every node: the others ignore it). Must not block.
   */
  protected abstract CompletionStage<Void> publishResponse(
      String requesterUid, ClusterResponse response);

  /** The number of nodes serving this namespace, this one included. */
  @Override
  public abstract CompletableFuture<Integer> serverCount();

  /**
   * Publishes a message like {@link #publish}, and completes with the offset the bus gave it, if
   * the bus gives offsets (a stream entry id, say): the reference's {@code doPublish}. The base
   * calls it for the broadcasts whose offset the clients get when the server runs connection state
   * recovery (events without ack, not volatile); the local sockets get such a broadcast once this
   * completes, with the offset as the event's last argument, so that they can recover on any node
   * that can read the bus from that offset. Must not block; should complete within the requests
   * timeout (past it, the local sockets get the event without an offset). By default {@link
   * #publish}, without an offset.
   */
  protected CompletionStage<Optional<String>> publishAndReturnOffset(ClusterMessage message) {
    return publish(message).thenApply(v -> Optional.empty());
  }

  /**
   * Delivers a broadcast without acks to this node's sockets: the local part of this node's
   * broadcasts and of the other nodes'. {@code offset} is the offset the packet carries as its last
   * argument, when it got one (connection state recovery on, see {@link #publishAndReturnOffset}
   * and {@link #onMessage(ClusterMessage, String)}). A subclass may override it (for instance to
   * hold back the events of a socket whose session is being restored) and must then call {@code
   * super}. May be called from any thread, concurrently.
   */
  protected void broadcastLocally(
      SioPacket packet, BroadcastOptions options, Optional<String> offset) {
    super.broadcast(packet, options);
  }

  /** Whether the server runs connection state recovery (see {@link #publishAndReturnOffset}). */
  protected final boolean recoveryEnabled() {
    return recovery;
  }

  // ---- identity ------------------------------------------------------------------------------

  /** This server's id, the {@code uid} of every message it sends. */
  protected final String uid() {
    return uid;
  }

  /** The time a node has to answer a request. */
  protected final Duration requestsTimeout() {
    return requestsTimeout;
  }

  /**
   * The requests waiting for other nodes: fetches, server-side emits with ack, and broadcasts with
   * acks not yet past their timeout. For tests and metrics; falls back to zero once every request
   * ended.
   */
  public int pendingRequests() {
    return requests.size() + ackRequests.size();
  }

  // ---- operations ----------------------------------------------------------------------------

  @Override
  public void broadcast(SioPacket packet, BroadcastOptions options) {
    if (options.flags().local()) {
      broadcastLocally(packet, options, Optional.empty());
      return;
    }
    Broadcast message =
        new Broadcast(uid, nsp, new BroadcastData(options, packet, Optional.empty()));
    if (recovery && InMemorySessionStore.isLogged(packet, options)) {
      // As the reference: the event reaches the local sockets with the offset the bus gave it, the
      // position a client that loses its connection recovers from, on this node or another.
      sendForOffset(message)
          .whenComplete(
              (offset, e) -> {
                Optional<String> o = e == null && offset != null ? offset : Optional.empty();
                broadcastLocally(o.isPresent() ? withOffset(packet, o.get()) : packet, options, o);
              });
      return;
    }
    send(message);
    broadcastLocally(packet, options, Optional.empty());
  }

  @Override
  public void broadcastWithAck(
      SioPacket packet,
      BroadcastOptions options,
      IntConsumer clientCount,
      Consumer<JsonNode> onAck) {
    if (!options.flags().local()) {
      String requestId = randomId();
      ackRequests.put(requestId, new AckRequest(clientCount, onAck));
      host().clusterRequestSent(MessageType.BROADCAST);
      // Nothing tells this node when every client of the others answered: forget the request once
      // the caller stopped waiting.
      Duration timeout = options.flags().timeout().orElse(requestsTimeout);
      if (!schedule(() -> ackRequests.remove(requestId), timeout)) {
        ackRequests.remove(requestId);
      }
      send(new Broadcast(uid, nsp, new BroadcastData(options, packet, Optional.of(requestId))));
    }
    super.broadcastWithAck(packet, options, clientCount, onAck);
  }

  @Override
  public void addSockets(BroadcastOptions options, Set<String> rooms) {
    if (!options.flags().local()) {
      send(new SocketsJoin(uid, nsp, new RoomsData(options, List.copyOf(rooms))));
    }
    super.addSockets(options, rooms);
  }

  @Override
  public void delSockets(BroadcastOptions options, Set<String> rooms) {
    if (!options.flags().local()) {
      send(new SocketsLeave(uid, nsp, new RoomsData(options, List.copyOf(rooms))));
    }
    super.delSockets(options, rooms);
  }

  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    if (!options.flags().local()) {
      send(new DisconnectSockets(uid, nsp, new DisconnectData(options, close)));
    }
    super.disconnectSockets(options, close);
  }

  @Override
  public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
    List<SocketDetails> local = localSockets(options);
    if (options.flags().local()) {
      return CompletableFuture.completedFuture(local);
    }
    return expectedResponders()
        .thenCompose(
            responders -> {
              if (responders.expected() <= 0) {
                return CompletableFuture.completedFuture(local);
              }
              String requestId = randomId();
              PendingRequest<SocketDetails> request =
                  new PendingRequest<>(MessageType.FETCH_SOCKETS, responders, local);
              start(
                  requestId,
                  request,
                  options.flags().timeout().orElse(requestsTimeout),
                  new FetchSockets(uid, nsp, new FetchSocketsData(options, requestId)));
              return request.future;
            });
  }

  @Override
  public void serverSideEmit(ArrayNode packet) {
    send(new ServerSideEmit(uid, nsp, new ServerSideEmitData(Optional.empty(), packet)));
  }

  @Override
  public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(ArrayNode packet) {
    return expectedResponders()
        .thenCompose(
            responders -> {
              if (responders.expected() <= 0) {
                return CompletableFuture.completedFuture(List.<JsonNode>of());
              }
              String requestId = randomId();
              PendingRequest<JsonNode> request =
                  new PendingRequest<>(MessageType.SERVER_SIDE_EMIT, responders, List.of());
              start(
                  requestId,
                  request,
                  requestsTimeout,
                  new ServerSideEmit(
                      uid, nsp, new ServerSideEmitData(Optional.of(requestId), packet)));
              return request.future;
            });
  }

  /**
   * The rooms of every node: this node's, and those of the sockets the others report to a {@code
   * fetchSockets} of every socket (the reference's message set has no room query of its own).
   */
  @Override
  public CompletableFuture<Set<String>> allRooms() {
    return fetchSockets(BroadcastOptions.ALL)
        .thenApply(
            sockets -> {
              Set<String> all = new HashSet<>(rooms());
              sockets.forEach(s -> all.addAll(s.rooms()));
              return Set.copyOf(all);
            });
  }

  @Override
  public CompletableFuture<Void> close() {
    closed = true;
    IllegalStateException error =
        new IllegalStateException("the adapter of namespace " + nsp + " is closed");
    for (String id : List.copyOf(requests.keySet())) {
      PendingRequest<?> request = requests.remove(id);
      if (request != null) {
        request.cancelTimer();
        request.future.completeExceptionally(error);
      }
    }
    ackRequests.clear();
    return super.close();
  }

  // ---- receiving -----------------------------------------------------------------------------

  /**
   * A message or reply from the bus. Ignores this server's own messages and other namespaces'; does
   * the local part of the others' operations and answers their requests.
   */
  protected void onMessage(ClusterMessage message) {
    receive(message, Optional.empty());
  }

  /**
   * A message from a bus that gives offsets ({@link #publishAndReturnOffset}), with the offset the
   * bus gave it: as {@link #onMessage(ClusterMessage)}, and when the server runs connection state
   * recovery, a broadcast event without ack, not volatile, reaches the local sockets with {@code
   * offset} as its last argument (the reference's {@code onMessage(message, offset)}).
   */
  protected void onMessage(ClusterMessage message, String offset) {
    receive(message, Optional.of(Objects.requireNonNull(offset, "offset")));
  }

  /** Both ways in: the heartbeat variant looks at every message first. */
  void receive(ClusterMessage message, Optional<String> offset) {
    if (message.uid().equals(uid) || !message.nsp().equals(nsp)) {
      return;
    }
    handle(message, offset);
  }

  /** Handles a message already known to come from another node, for this namespace. */
  final void handle(ClusterMessage message, Optional<String> offset) {
    log.trace("[{}] {} from {}", uid, message.type(), message.uid());
    try {
      switch (message.type()) {
        case BROADCAST -> onBroadcast((Broadcast) message, offset);
        case SOCKETS_JOIN ->
            super.addSockets(
                ((SocketsJoin) message).data().opts(),
                Set.copyOf(((SocketsJoin) message).data().rooms()));
        case SOCKETS_LEAVE ->
            super.delSockets(
                ((SocketsLeave) message).data().opts(),
                Set.copyOf(((SocketsLeave) message).data().rooms()));
        case DISCONNECT_SOCKETS -> {
          DisconnectData d = ((DisconnectSockets) message).data();
          super.disconnectSockets(d.opts(), d.close());
        }
        case FETCH_SOCKETS -> {
          FetchSocketsData d = ((FetchSockets) message).data();
          respond(
              message.uid(),
              new FetchSocketsResponse(
                  uid, nsp, new FetchSocketsResponseData(d.requestId(), localSockets(d.opts()))));
        }
        case SERVER_SIDE_EMIT -> onServerSideEmit((ServerSideEmit) message);
        case FETCH_SOCKETS_RESPONSE,
            SERVER_SIDE_EMIT_RESPONSE,
            BROADCAST_CLIENT_COUNT,
            BROADCAST_ACK ->
            onResponse((ClusterResponse) message);
        default -> log.debug("[{}] ignored {} from {}", uid, message.type(), message.uid());
      }
    } catch (RuntimeException e) {
      log.warn("[{}] cluster message {} from {} failed", uid, message.type(), message.uid(), e);
    }
  }

  private void onBroadcast(Broadcast message, Optional<String> offset) {
    BroadcastData d = message.data();
    SioPacket packet = d.packet();
    if (d.requestId().isEmpty()) {
      SioPacket local = inNamespace(packet, packet.ackId());
      if (recovery && offset.isPresent() && InMemorySessionStore.isLogged(local, d.opts())) {
        broadcastLocally(withOffset(local, offset.get()), d.opts(), offset);
      } else {
        broadcastLocally(local, d.opts(), Optional.empty());
      }
      return;
    }
    String requestId = d.requestId().get();
    String requester = message.uid();
    // This node's own ack id: ids are per namespace and node, the sender's means nothing here.
    super.broadcastWithAck(
        inNamespace(packet, host().nextAckId()),
        d.opts(),
        count ->
            respond(
                requester,
                new BroadcastClientCount(uid, nsp, new ClientCountData(requestId, count))),
        arg -> respond(requester, new BroadcastAck(uid, nsp, new AckData(requestId, arg))));
  }

  /**
   * The event with {@code offset} appended to its arguments (a shallow copy: the rest is shared).
   */
  static SioPacket withOffset(SioPacket packet, String offset) {
    ArrayNode data = JsonNodeFactory.instance.arrayNode();
    data.addAll((ArrayNode) packet.data().orElseThrow());
    data.add(offset);
    return SioPacket.event(packet.namespace(), data);
  }

  private SioPacket inNamespace(SioPacket packet, long ackId) {
    if (packet.namespace().equals(nsp) && packet.ackId() == ackId) {
      return packet;
    }
    return SioPacket.of(packet.type(), nsp, packet.data().orElse(null), ackId);
  }

  private void onServerSideEmit(ServerSideEmit message) {
    ServerSideEmitData d = message.data();
    if (d.requestId().isEmpty()) {
      host().onServerSideEmit(d.packet());
      return;
    }
    String requestId = d.requestId().get();
    String requester = message.uid();
    AtomicBoolean answered = new AtomicBoolean();
    host()
        .onServerSideEmit(
            d.packet(),
            arg -> {
              if (answered.compareAndSet(false, true)) {
                respond(
                    requester, new ServerSideEmitResponse(uid, nsp, new AckData(requestId, arg)));
              }
            });
  }

  private void onResponse(ClusterResponse response) {
    String requestId = response.requestId();
    switch (response.type()) {
      case BROADCAST_CLIENT_COUNT -> {
        AckRequest r = ackRequests.get(requestId);
        if (r != null) {
          r.clientCount.accept(((BroadcastClientCount) response).data().clientCount());
        }
      }
      case BROADCAST_ACK -> {
        AckRequest r = ackRequests.get(requestId);
        if (r != null) {
          r.onAck.accept(((BroadcastAck) response).data().packet());
        }
      }
      case FETCH_SOCKETS_RESPONSE ->
          answer(
              requestId,
              MessageType.FETCH_SOCKETS,
              response.uid(),
              ((FetchSocketsResponse) response).data().sockets());
      case SERVER_SIDE_EMIT_RESPONSE ->
          answer(
              requestId,
              MessageType.SERVER_SIDE_EMIT,
              response.uid(),
              List.of(((ServerSideEmitResponse) response).data().packet()));
      default -> log.debug("[{}] ignored response {}", uid, response.type());
    }
  }

  @SuppressWarnings("unchecked")
  private <T> void answer(String requestId, MessageType type, String from, Collection<T> items) {
    PendingRequest<?> found = requests.get(requestId);
    if (found == null || found.type != type) {
      return;
    }
    PendingRequest<T> request = (PendingRequest<T>) found;
    if (request.add(from, items) && requests.remove(requestId, request)) {
      request.cancelTimer();
      request.future.complete(request.responses());
    }
  }

  // ---- for the heartbeat variant -------------------------------------------------------------

  /** Who must answer a request: {@code serverCount() - 1} nodes, by count. */
  CompletableFuture<Responders> expectedResponders() {
    return serverCount().thenApply(n -> Responders.count(n - 1));
  }

  /** A node left: requests that waited for it alone complete with what they have. */
  final void nodeGone(String nodeUid) {
    for (Map.Entry<String, PendingRequest<?>> e : requests.entrySet()) {
      PendingRequest<?> request = e.getValue();
      if (request.nodeGone(nodeUid) && requests.remove(e.getKey(), request)) {
        request.cancelTimer();
        request.completeWithResponses();
      }
    }
  }

  /** Called before each message is published. */
  void beforePublish() {}

  // ---- plumbing ------------------------------------------------------------------------------

  /**
   * Publishes a message for its offset; a failure or a bus that does not answer within the requests
   * timeout completes it exceptionally, logged (DEBUG).
   */
  private CompletableFuture<Optional<String>> sendForOffset(ClusterMessage message) {
    beforePublish();
    CompletableFuture<Optional<String>> future;
    try {
      future = publishAndReturnOffset(message).toCompletableFuture();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    return future
        .copy()
        .orTimeout(requestsTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                log.debug("[{}] publishing {} failed: {}", uid, message.type(), e.toString());
              }
            });
  }

  /** Publishes a message; a failure is logged (a bus being down is expected: DEBUG). */
  final CompletionStage<Void> send(ClusterMessage message) {
    beforePublish();
    CompletionStage<Void> stage;
    try {
      stage = publish(message);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.whenComplete(
        (v, e) -> {
          if (e != null) {
            log.debug("[{}] publishing {} failed: {}", uid, message.type(), e.toString());
          }
        });
  }

  private void respond(String requesterUid, ClusterResponse response) {
    CompletionStage<Void> stage;
    try {
      stage = publishResponse(requesterUid, response);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (v, e) -> {
          if (e != null) {
            log.debug(
                "[{}] answering {} to {} failed: {}",
                uid,
                response.type(),
                requesterUid,
                e.toString());
          }
        });
  }

  /** Registers a request, arms its timeout, publishes it; a failed publish fails it at once. */
  private void start(
      String requestId, PendingRequest<?> request, Duration timeout, ClusterMessage message) {
    if (closed) {
      request.future.completeExceptionally(
          new IllegalStateException("the adapter of namespace " + nsp + " is closed"));
      return;
    }
    requests.put(requestId, request);
    host().clusterRequestSent(request.type);
    boolean armed =
        schedule(
            () -> {
              if (requests.remove(requestId, request)) {
                host().clusterRequestTimedOut(request.type);
                request.future.completeExceptionally(request.timeoutError());
              }
            },
            timeout,
            request);
    if (!armed) {
      requests.remove(requestId, request);
      request.future.completeExceptionally(
          new IllegalStateException("the server of namespace " + nsp + " is stopped"));
      return;
    }
    send(message)
        .whenComplete(
            (v, e) -> {
              if (e != null && requests.remove(requestId, request)) {
                request.cancelTimer();
                request.future.completeExceptionally(e);
              }
            });
  }

  private boolean schedule(Runnable task, Duration delay) {
    return schedule(task, delay, null);
  }

  private boolean schedule(Runnable task, Duration delay, PendingRequest<?> owner) {
    try {
      ScheduledFuture<?> f =
          host().scheduler().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
      if (owner != null) {
        owner.timer = f;
      }
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  static String randomId() {
    return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** Who must answer a request: a count of nodes, or (heartbeat variant) their ids. */
  record Responders(int expected, Set<String> uids) {
    static Responders count(int expected) {
      return new Responders(expected, null);
    }

    static Responders of(Set<String> uids) {
      return new Responders(uids.size(), uids);
    }
  }

  private record AckRequest(IntConsumer clientCount, Consumer<JsonNode> onAck) {}

  /** A request waiting for answers. Its state is guarded by its own monitor. */
  private static final class PendingRequest<T> {
    final MessageType type;
    final CompletableFuture<List<T>> future = new CompletableFuture<>();
    private final List<T> responses;
    private final int expected;
    private final Set<String> missing;
    private int received;
    volatile ScheduledFuture<?> timer;

    PendingRequest(MessageType type, Responders responders, List<T> initial) {
      this.type = type;
      this.responses = new ArrayList<>(initial);
      this.expected = responders.expected();
      this.missing = responders.uids() == null ? null : new HashSet<>(responders.uids());
    }

    /** Adds one node's answer; true when every expected node answered. */
    synchronized boolean add(String from, Collection<T> items) {
      if (missing != null) {
        if (!missing.remove(from)) {
          return false;
        }
      }
      received++;
      responses.addAll(items);
      return missing != null ? missing.isEmpty() : received >= expected;
    }

    /** True when the node was the last one missing. */
    synchronized boolean nodeGone(String uid) {
      return missing != null && missing.remove(uid) && missing.isEmpty();
    }

    synchronized List<T> responses() {
      return List.copyOf(responses);
    }

    void completeWithResponses() {
      future.complete(responses());
    }

    synchronized ClusterTimeoutException timeoutError() {
      String message =
          missing != null
              ? "timeout reached: missing " + missing.size() + " responses"
              : "timeout reached: only " + received + " responses received out of " + expected;
      List<JsonNode> partial = new ArrayList<>();
      if (type == MessageType.SERVER_SIDE_EMIT) {
        for (T t : responses) {
          partial.add((JsonNode) t);
        }
      }
      return new ClusterTimeoutException(message, partial);
    }

    void cancelTimer() {
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }
}
