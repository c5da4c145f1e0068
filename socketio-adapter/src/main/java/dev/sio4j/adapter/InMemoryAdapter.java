package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The single-node adapter, the default: rooms in a {@link LocalRooms}, broadcasts written straight
 * to the local sockets. A broadcast encodes its packet once and hands the same encoded form to
 * every target. Server-wide operations reach this node's sockets only; {@code serverSideEmit} has
 * no one to reach.
 *
 * <p>With connection state recovery (the constructor with a duration), it keeps an {@link
 * InMemorySessionStore}: broadcast events are logged with an offset, and its expired entries are
 * purged every 60 seconds on the server's timer thread.
 *
 * <p>Also the base of {@link ClusterAdapter}, which adds the other nodes: its {@code super} calls
 * are the local part of each operation.
 *
 * <p>Thread-safety: thread-safe. A broadcast racing with a join may or may not reach the joining
 * socket, as on any single-threaded reference node between two ticks.
 */
public class InMemoryAdapter implements Adapter {
  private static final long PURGE_INTERVAL_SECONDS = 60;

  private final AdapterHost host;
  private final LocalRooms rooms = new LocalRooms();
  private final InMemorySessionStore sessions;
  private final Function<String, Optional<SocketHandle>> resolve;
  private volatile ScheduledFuture<?> purgeTimer;

  /** An adapter without connection state recovery. */
  public InMemoryAdapter(AdapterHost host) {
    this.host = host;
    this.sessions = null;
    this.resolve = host::socket;
  }

  /** An adapter with an {@link InMemorySessionStore} for connection state recovery. */
  public InMemoryAdapter(AdapterHost host, Duration maxDisconnectionDuration, int maxPackets) {
    this.host = host;
    this.sessions = new InMemorySessionStore(rooms, maxDisconnectionDuration, maxPackets);
    this.resolve = host::socket;
  }

  /** The namespace this adapter serves. */
  protected final AdapterHost host() {
    return host;
  }

  /** This node's rooms. */
  protected final LocalRooms localRooms() {
    return rooms;
  }

  @Override
  public void init() {
    if (sessions != null) {
      purgeTimer =
          host.scheduler()
              .scheduleWithFixedDelay(
                  sessions::purgeExpired,
                  PURGE_INTERVAL_SECONDS,
                  PURGE_INTERVAL_SECONDS,
                  TimeUnit.SECONDS);
    }
  }

  @Override
  public CompletableFuture<Void> close() {
    ScheduledFuture<?> timer = purgeTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Optional<SessionStore> sessionStore() {
    return Optional.ofNullable(sessions);
  }

  // ---- rooms ---------------------------------------------------------------------------------

  @Override
  public void addListener(RoomListener listener) {
    rooms.addListener(listener);
  }

  @Override
  public void addAll(String socketId, Set<String> roomsToJoin) {
    rooms.addAll(socketId, roomsToJoin);
  }

  @Override
  public void del(String socketId, String room) {
    rooms.del(socketId, room);
  }

  @Override
  public void delAll(String socketId) {
    rooms.delAll(socketId);
  }

  @Override
  public Set<String> sockets(Set<String> targetRooms) {
    Set<String> result = new HashSet<>();
    rooms.forEachTarget(
        new BroadcastOptions(targetRooms, Set.of(), BroadcastFlags.DEFAULT),
        resolve,
        s -> result.add(s.id()));
    return result;
  }

  @Override
  public Optional<Set<String>> socketRooms(String socketId) {
    return rooms.socketRooms(socketId);
  }

  @Override
  public Set<String> rooms() {
    return rooms.roomNames();
  }

  // ---- operations, on this node --------------------------------------------------------------

  @Override
  public void broadcast(SioPacket packet, BroadcastOptions options) {
    if (sessions == null) {
      deliver(packet, options);
    } else {
      sessions.logAndDeliver(packet, options, p -> deliver(p, options));
    }
  }

  private void deliver(SioPacket packet, BroadcastOptions options) {
    EncodedSioPacket encoded = host.parser().encode(packet);
    BroadcastFlags flags = options.flags();
    rooms.forEachTarget(options, resolve, socket -> socket.deliver(packet, encoded, flags));
  }

  @Override
  public void broadcastWithAck(
      SioPacket packet,
      BroadcastOptions options,
      IntConsumer clientCount,
      Consumer<JsonNode> onAck) {
    EncodedSioPacket encoded = host.parser().encode(packet);
    BroadcastFlags flags = options.flags();
    List<SocketHandle> targets = new ArrayList<>();
    rooms.forEachTarget(options, resolve, targets::add);
    clientCount.accept(targets.size());
    // Only the first argument travels, as in the reference (and across nodes).
    Consumer<ArrayNode> ack =
        args -> onAck.accept(args.isEmpty() ? NullNode.instance : args.get(0));
    for (SocketHandle socket : targets) {
      socket.deliverWithAck(packet, encoded, flags, ack);
    }
  }

  /** Snapshots of the targeted sockets of this node. */
  protected final List<SocketDetails> localSockets(BroadcastOptions options) {
    List<SocketDetails> result = new ArrayList<>();
    rooms.forEachTarget(options, resolve, s -> result.add(s.details()));
    return result;
  }

  @Override
  public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
    return CompletableFuture.completedFuture(localSockets(options));
  }

  @Override
  public void addSockets(BroadcastOptions options, Set<String> roomsToJoin) {
    rooms.forEachTarget(options, resolve, s -> s.join(roomsToJoin));
  }

  @Override
  public void delSockets(BroadcastOptions options, Set<String> roomsToLeave) {
    rooms.forEachTarget(options, resolve, s -> s.leave(roomsToLeave));
  }

  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    // Collected first: a disconnection leaves the rooms being iterated.
    List<SocketHandle> targets = new ArrayList<>();
    rooms.forEachTarget(options, resolve, targets::add);
    targets.forEach(s -> s.disconnect(close));
  }

  /** No other node to reach: does nothing (the reference only logs a warning). */
  @Override
  public void serverSideEmit(ArrayNode packet) {}

  /** No other node to answer: an empty list at once. */
  @Override
  public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(ArrayNode packet) {
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletableFuture<Set<String>> allRooms() {
    return CompletableFuture.completedFuture(rooms());
  }

  @Override
  public CompletableFuture<Integer> serverCount() {
    return CompletableFuture.completedFuture(1);
  }
}
