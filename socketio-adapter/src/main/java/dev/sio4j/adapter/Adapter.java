package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Keeps the rooms of one namespace and carries broadcasts and server-wide operations to the sockets
 * they target: on this node only (the {@link InMemoryAdapter}), or across a cluster.
 *
 * <p>Thread-safety: implementations must be thread-safe: sockets on different event loops join,
 * leave and broadcast concurrently.
 */
public interface Adapter {
  /** Called once, after the adapter is created for its namespace. */
  default void init() {}

  /** Releases what the adapter holds (subscriptions, timers). */
  default CompletableFuture<Void> close() {
    return CompletableFuture.completedFuture(null);
  }

  /** The number of nodes in the cluster (1 for a single node). */
  default int serverCount() {
    return 1;
  }

  void addListener(RoomListener listener);

  /** Adds a socket to rooms. */
  void addAll(String socketId, Set<String> rooms);

  /** Removes a socket from one room. */
  void del(String socketId, String room);

  /** Removes a socket from every room. */
  void delAll(String socketId);

  /** Writes a packet to every socket the options target. */
  void broadcast(SioPacket packet, BroadcastOptions options);

  /**
   * Writes a packet that expects acks: {@code clientCount} gets the number of targeted clients
   * (once per node), {@code onAck} each client's ack arguments.
   */
  void broadcastWithAck(
      SioPacket packet,
      BroadcastOptions options,
      IntConsumer clientCount,
      Consumer<ArrayNode> onAck);

  /** The ids of the sockets in any of the rooms (every socket when empty). */
  Set<String> sockets(Set<String> rooms);

  /** The rooms of a socket, if the socket is known. */
  Optional<Set<String>> socketRooms(String socketId);

  /** Every room name. */
  Set<String> rooms();

  /** Snapshots of the targeted sockets (local ones first). */
  CompletableFuture<List<SocketHandle>> fetchSockets(BroadcastOptions options);

  /** Makes the targeted sockets join rooms. */
  void addSockets(BroadcastOptions options, Set<String> rooms);

  /** Makes the targeted sockets leave rooms. */
  void delSockets(BroadcastOptions options, Set<String> rooms);

  /** Disconnects the targeted sockets. */
  void disconnectSockets(BroadcastOptions options, boolean close);

  /**
   * Sends an event to the other nodes of the cluster. The in-memory adapter has no other node: it
   * does nothing (the reference only logs a warning).
   */
  default void serverSideEmit(List<Object> packet) {}

  /** Keeps a disconnected socket's state for connection state recovery; no-op by default. */
  default void persistSession(RecoverySession session) {}

  /**
   * The state of a session to recover and the packets it missed, if the session is still known and
   * the offset still in the log.
   */
  default CompletableFuture<Optional<RecoverySession>> restoreSession(String pid, String offset) {
    return CompletableFuture.completedFuture(Optional.empty());
  }
}
