package dev.sio4j.adapter;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The adapter of one namespace: keeps its rooms on this node, carries broadcasts and server-wide
 * operations to the sockets they target ({@link ClusterOperations}), and optionally keeps sessions
 * for connection state recovery ({@link #sessionStore()}). The server creates one per namespace
 * through an {@link AdapterFactory} and talks to it only through this interface; the adapter talks
 * to the server only through its {@link AdapterHost}.
 *
 * <p>Implementations: {@link InMemoryAdapter} (one node, the default), {@link ClusterAdapter} and
 * {@link ClusterAdapterWithHeartbeat} (bases for message-bus adapters).
 *
 * <p>Thread-safety: implementations must be thread-safe: sockets on different event loops join,
 * leave and broadcast concurrently, and cluster messages arrive on the bus's threads.
 */
public interface Adapter extends ClusterOperations {
  /** Called once, after the adapter is created for its namespace. */
  default void init() {}

  /** Releases what the adapter holds (subscriptions, timers) and fails its pending requests. */
  default CompletableFuture<Void> close() {
    return CompletableFuture.completedFuture(null);
  }

  /** Adds a listener of the room events of this node. */
  void addListener(RoomListener listener);

  /** Adds a local socket to rooms. */
  void addAll(String socketId, Set<String> rooms);

  /** Removes a local socket from one room. */
  void del(String socketId, String room);

  /** Removes a local socket from every room. */
  void delAll(String socketId);

  /** The ids of this node's connected sockets in any of the rooms (every socket when empty). */
  Set<String> sockets(Set<String> rooms);

  /** The rooms of a socket of this node, if the socket is known. */
  Optional<Set<String>> socketRooms(String socketId);

  /** The names of the rooms that have members on this node (see {@link #allRooms()}). */
  Set<String> rooms();

  /** The session store for connection state recovery; empty when the adapter supports none. */
  default Optional<SessionStore> sessionStore() {
    return Optional.empty();
  }
}
