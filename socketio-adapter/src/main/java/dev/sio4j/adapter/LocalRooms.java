package dev.sio4j.adapter;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The rooms of one namespace on this node: rooms to socket ids and socket ids to rooms, with the
 * room events ({@link RoomListener}). Adapters hold one and delegate to it; it knows nothing of
 * sockets, delivery or other nodes.
 *
 * <p>A room exists while it has a member: it is created by the first join and deleted by the last
 * leave, as in the reference. Every socket is in its own room (named by its id) while connected.
 *
 * <p>Thread-safety: thread-safe and lock-free for readers. Joins, leaves and iterations from
 * different threads need no external lock; an iteration racing with a join may or may not see the
 * joining socket, as on a single-threaded reference node between two ticks. Listeners are called on
 * the thread that made the change, after it took effect.
 */
public final class LocalRooms {
  private final Map<String, Set<String>> rooms = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> sids = new ConcurrentHashMap<>();
  private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener of room events. */
  public void addListener(RoomListener listener) {
    listeners.add(listener);
  }

  /** Removes a listener added with {@link #addListener}. */
  public void removeListener(RoomListener listener) {
    listeners.remove(listener);
  }

  /** Adds a socket to rooms (a room it is already in is left as it is). */
  public void addAll(String socketId, Collection<String> roomsToJoin) {
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

  /** Removes a socket from one room; the room is deleted when it was its last member. */
  public void del(String socketId, String room) {
    Set<String> socketRooms = sids.get(socketId);
    if (socketRooms != null) {
      socketRooms.remove(room);
    }
    removeFromRoom(socketId, room);
  }

  /** Removes a socket from every room, its own included. */
  public void delAll(String socketId) {
    Set<String> socketRooms = sids.remove(socketId);
    if (socketRooms == null) {
      return;
    }
    for (String room : socketRooms) {
      removeFromRoom(socketId, room);
    }
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

  /** A copy of the rooms of a socket, if it is in any. */
  public Optional<Set<String>> socketRooms(String socketId) {
    Set<String> r = sids.get(socketId);
    return r == null ? Optional.empty() : Optional.of(Set.copyOf(r));
  }

  /** A copy of the names of the rooms that have members. */
  public Set<String> roomNames() {
    return Set.copyOf(rooms.keySet());
  }

  /** Whether a room has members (without copying the room names). */
  public boolean hasRoom(String room) {
    return rooms.containsKey(room);
  }

  /** Whether a socket is in a room. */
  public boolean isMember(String socketId, String room) {
    Set<String> members = rooms.get(room);
    return members != null && members.contains(socketId);
  }

  /**
   * Calls {@code action} once for each socket the targeting reaches and {@code resolve} finds: the
   * members of any of {@code options.rooms()} (every socket in a room when there are none), minus
   * the members of any of {@code options.except()}. Ids that {@code resolve} maps to nothing (a
   * socket not connected to this node, or not yet) are skipped.
   *
   * <p>The broadcast path: it allocates nothing for zero or one target room and no except room
   * beyond what {@code resolve} does; keep {@code resolve} in a field rather than building it per
   * call.
   */
  public <T> void forEachTarget(
      BroadcastOptions options, Function<String, Optional<T>> resolve, Consumer<? super T> action) {
    Set<String> except = options.except();
    Set<String> targetRooms = options.rooms();
    if (targetRooms.isEmpty()) {
      for (String id : sids.keySet()) {
        if (!isExcluded(id, except)) {
          resolve.apply(id).ifPresent(action);
        }
      }
      return;
    }
    if (targetRooms.size() == 1) {
      Set<String> members = rooms.get(targetRooms.iterator().next());
      if (members != null) {
        for (String id : members) {
          if (!isExcluded(id, except)) {
            resolve.apply(id).ifPresent(action);
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
          resolve.apply(id).ifPresent(action);
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

  /**
   * Whether a socket in {@code socketRooms} is targeted by {@code options}: it shares a room with
   * {@code options.rooms()} (or those are empty) and none with {@code options.except()}. The rule
   * connection state recovery uses to pick the packets a returning socket missed.
   */
  public static boolean matches(Set<String> socketRooms, BroadcastOptions options) {
    boolean included = options.rooms().isEmpty();
    if (!included) {
      for (String room : socketRooms) {
        if (options.rooms().contains(room)) {
          included = true;
          break;
        }
      }
    }
    if (!included) {
      return false;
    }
    for (String room : socketRooms) {
      if (options.except().contains(room)) {
        return false;
      }
    }
    return true;
  }
}
