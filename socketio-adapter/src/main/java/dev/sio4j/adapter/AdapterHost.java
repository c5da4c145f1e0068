package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.socketio.parser.SioParser;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What the server hands the adapter of one namespace: the namespace's identity, this server's id, a
 * scheduler, the sockets connected to this node, the way in for events other nodes send with {@code
 * serverSideEmit}, and the parser. Adapters see the server only through this (and the {@link
 * SocketHandle}s it returns), never through its classes.
 *
 * <p>Thread-safety: implementations are thread-safe; every method may be called from any thread.
 */
public interface AdapterHost {
  /** The namespace name, e.g. {@code /} or {@code /chat}. */
  String name();

  /**
   * This server's id in a cluster: 16 hex digits (8 random bytes, as the reference's {@code uid}),
   * the same for every namespace of the server, fixed for its lifetime. Cluster messages carry it
   * as their {@code uid}.
   */
  String serverId();

  /**
   * The server's timer thread, for the adapter's timeouts and periodic work. Tasks must be short
   * and must not block; the adapter must not shut it down (the server does, after closing every
   * adapter).
   */
  ScheduledExecutorService scheduler();

  /** The socket with this id, if it is connected to this node (and past its middlewares). */
  Optional<SocketHandle> socket(String id);

  /**
   * The next ack id of the namespace (shared by emits and broadcasts, as the reference): a node
   * delivering another node's broadcast with acks gives the packet one of its own ids.
   */
  long nextAckId();

  /**
   * The parser packets are written with (the server's, JSON unless configured otherwise): a
   * broadcast encodes its packet once with it and hands the same frames to every target.
   */
  SioParser parser();

  /**
   * An event another node sent with {@code serverSideEmit} without expecting an answer: {@code
   * packet} is {@code [event, ...args]}. Runs the namespace's server-side listeners.
   */
  void onServerSideEmit(ArrayNode packet);

  /**
   * An event another node sent with {@code serverSideEmitWithAck}: the first answer of the
   * namespace's listeners goes to {@code ack} (its first argument, JSON {@code null} when it had
   * none), once; later answers are ignored, as in the reference.
   */
  void onServerSideEmit(ArrayNode packet, Consumer<JsonNode> ack);

  /**
   * Whether the server runs connection state recovery, and if so how long a disconnected client may
   * stay away and still get its session back ({@code maxDisconnectionDuration}). A cluster adapter
   * needs it to tag broadcast events with offsets ({@link ClusterAdapter}) and to keep sessions for
   * that long. Empty by default: recovery off.
   */
  default Optional<Duration> maxDisconnectionDuration() {
    return Optional.empty();
  }

  /**
   * A cluster adapter sent a request that other nodes must answer ({@link
   * MessageType#FETCH_SOCKETS}, {@link MessageType#SERVER_SIDE_EMIT} with ack, {@link
   * MessageType#BROADCAST} with acks): for the server's metrics. Must be cheap and must not throw.
   */
  default void clusterRequestSent(MessageType type) {}

  /** A request of {@link #clusterRequestSent} was not answered by every node in time. */
  default void clusterRequestTimedOut(MessageType type) {}
}
