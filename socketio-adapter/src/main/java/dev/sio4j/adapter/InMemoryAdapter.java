package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The single-node adapter: rooms in memory, broadcasts written straight to the local sockets. A
 * broadcast encodes its packet once and hands the same encoded form to every target.
 *
 * <p>Thread-safety: thread-safe. Room maps are concurrent; a broadcast racing with a join may or
 * may not reach the joining socket, as on any single-threaded reference node between two ticks.
 */
public class InMemoryAdapter implements Adapter {
  protected final AdapterHost nsp;
  private final Map<String, Set<String>> rooms = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> sids = new ConcurrentHashMap<>();
  private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();

  public InMemoryAdapter(AdapterHost nsp) {
    this.nsp = nsp;
  }

  @Override
  public void addListener(RoomListener listener) {
    listeners.add(listener);
  }

  @Override
  public void addAll(String socketId, Set<String> roomsToJoin) {
    // Sets start at the smallest table: most sockets are in their own room and a few more, and
    // most rooms (one per socket) have one member; a default set is 16 slots.
    Set<String> socketRooms = sids.computeIfAbsent(socketId, k -> ConcurrentHashMap.newKeySet(1));
    for (String room : roomsToJoin) {
      socketRooms.add(room);
      // compute() makes create-and-join atomic against a concurrent leave deleting the room.
      boolean[] change = {false, false};
      rooms.compute(
          room,
          (k, members) -> {
            if (members == null) {
              members = ConcurrentHashMap.newKeySet(1);
              change[0] = true;
            }
            change[1] = members.add(socketId);
            return members;
          });
      if (change[0]) {
        listeners.forEach(l -> l.onCreateRoom(room));
      }
      if (change[1]) {
        listeners.forEach(l -> l.onJoinRoom(room, socketId));
      }
    }
  }

  @Override
  public void del(String socketId, String room) {
    Set<String> socketRooms = sids.get(socketId);
    if (socketRooms != null) {
      socketRooms.remove(room);
    }
    removeFromRoom(socketId, room);
  }

  private void removeFromRoom(String socketId, String room) {
    boolean[] change = {false, false};
    rooms.computeIfPresent(
        room,
        (k, members) -> {
          change[0] = members.remove(socketId);
          change[1] = members.isEmpty();
          return change[1] ? null : members;
        });
    if (change[0]) {
      listeners.forEach(l -> l.onLeaveRoom(room, socketId));
    }
    if (change[1]) {
      listeners.forEach(l -> l.onDeleteRoom(room));
    }
  }

  @Override
  public void delAll(String socketId) {
    Set<String> socketRooms = sids.remove(socketId);
    if (socketRooms == null) {
      return;
    }
    for (String room : socketRooms) {
      removeFromRoom(socketId, room);
    }
  }

  @Override
  public void broadcast(SioPacket packet, BroadcastOptions options) {
    EncodedSioPacket encoded = nsp.encoder().encode(packet);
    BroadcastFlags flags = options.flags();
    apply(options, socket -> socket.deliver(packet, encoded, flags));
  }

  @Override
  public void broadcastWithAck(
      SioPacket packet,
      BroadcastOptions options,
      IntConsumer clientCount,
      Consumer<ArrayNode> onAck) {
    EncodedSioPacket encoded = nsp.encoder().encode(packet);
    BroadcastFlags flags = options.flags();
    List<SocketHandle> targets = new ArrayList<>();
    apply(options, targets::add);
    clientCount.accept(targets.size());
    for (SocketHandle socket : targets) {
      socket.deliverWithAck(packet, encoded, flags, onAck);
    }
  }

  /** Calls {@code action} once for each connected local socket the options target. */
  protected void apply(BroadcastOptions options, Consumer<SocketHandle> action) {
    Set<String> except = options.except();
    Set<String> targetRooms = options.rooms();
    if (targetRooms.isEmpty()) {
      for (String id : sids.keySet()) {
        if (!isExcluded(id, except)) {
          nsp.socket(id).ifPresent(action);
        }
      }
      return;
    }
    if (targetRooms.size() == 1) {
      Set<String> members = rooms.get(targetRooms.iterator().next());
      if (members != null) {
        for (String id : members) {
          if (!isExcluded(id, except)) {
            nsp.socket(id).ifPresent(action);
          }
        }
      }
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String room : targetRooms) {
      Set<String> members = rooms.get(room);
      if (members == null) {
        continue;
      }
      for (String id : members) {
        if (seen.add(id) && !isExcluded(id, except)) {
          nsp.socket(id).ifPresent(action);
        }
      }
    }
  }

  private boolean isExcluded(String id, Set<String> except) {
    if (except.isEmpty()) {
      return false;
    }
    for (String room : except) {
      Set<String> members = rooms.get(room);
      if (members != null && members.contains(id)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Set<String> sockets(Set<String> targetRooms) {
    Set<String> result = new HashSet<>();
    apply(
        new BroadcastOptions(targetRooms, Set.of(), BroadcastFlags.DEFAULT),
        s -> result.add(s.id()));
    return result;
  }

  @Override
  public Optional<Set<String>> socketRooms(String socketId) {
    Set<String> r = sids.get(socketId);
    return r == null ? Optional.empty() : Optional.of(Set.copyOf(r));
  }

  @Override
  public Set<String> rooms() {
    return Set.copyOf(rooms.keySet());
  }

  @Override
  public CompletableFuture<List<SocketHandle>> fetchSockets(BroadcastOptions options) {
    List<SocketHandle> result = new ArrayList<>();
    apply(options, result::add);
    return CompletableFuture.completedFuture(result);
  }

  @Override
  public void addSockets(BroadcastOptions options, Set<String> roomsToJoin) {
    apply(options, s -> s.join(roomsToJoin));
  }

  @Override
  public void delSockets(BroadcastOptions options, Set<String> roomsToLeave) {
    apply(options, s -> s.leave(roomsToLeave));
  }

  @Override
  public void disconnectSockets(BroadcastOptions options, boolean close) {
    List<SocketHandle> targets = new ArrayList<>();
    apply(options, targets::add);
    targets.forEach(s -> s.disconnect(close));
  }
}
