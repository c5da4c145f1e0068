package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The operations of a namespace that reach every node of a cluster: on this node only for the
 * {@link InMemoryAdapter}, on every node for a {@link ClusterAdapter} (which sends them as {@link
 * ClusterMessage}s). Unless {@code options.flags().local()} is set, each acts on this node's
 * sockets and on the other nodes'; with it, on this node's only.
 *
 * <p>Futures complete on whichever thread ends the operation (the caller's, a bus thread, the
 * server's timer thread): what is chained on them must not block.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
public interface ClusterOperations {
  /** Writes a packet to every socket the options target. */
  void broadcast(SioPacket packet, BroadcastOptions options);

  /**
   * Writes a packet that expects acks (it carries this node's ack id): {@code clientCount} gets the
   * number of targeted clients once per node, {@code onAck} the first argument of each client's ack
   * (JSON {@code null} when it had none).
   */
  void broadcastWithAck(
      SioPacket packet,
      BroadcastOptions options,
      IntConsumer clientCount,
      Consumer<JsonNode> onAck);

  /**
   * Snapshots of the targeted sockets, this node's first. Fails with {@link
   * ClusterTimeoutException} when a node does not answer within {@code options.flags().timeout()}
   * (or the adapter's default).
   */
  CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options);

  /** Makes the targeted sockets join rooms. */
  void addSockets(BroadcastOptions options, Set<String> rooms);

  /** Makes the targeted sockets leave rooms. */
  void delSockets(BroadcastOptions options, Set<String> rooms);

  /** Disconnects the targeted sockets. */
  void disconnectSockets(BroadcastOptions options, boolean close);

  /**
   * Sends {@code [event, ...args]} to the server-side listeners of this namespace on the other
   * nodes (not this one). Nothing happens without other nodes.
   */
  void serverSideEmit(ArrayNode packet);

  /**
   * Like {@link #serverSideEmit}, and completes with one answer per other node (the first argument
   * of its listener's ack); at once with an empty list without other nodes. Fails with {@link
   * ClusterTimeoutException}, carrying the answers received, when a node does not answer in time.
   */
  CompletableFuture<List<JsonNode>> serverSideEmitWithAck(ArrayNode packet);

  /** The names of the rooms that have members on any node. */
  CompletableFuture<Set<String>> allRooms();

  /** The number of nodes in the cluster, this one included (1 for a single node). */
  CompletableFuture<Integer> serverCount();
}
