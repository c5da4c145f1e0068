package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.SocketDetails;
import java.time.Duration;
import java.util.Set;

/**
 * A socket as {@code fetchSockets()} returns it, connected to this node or another: id, handshake,
 * rooms and data as they were when fetched, and the operations that work from anywhere. They target
 * the socket's own room through the adapter, as the reference does: on this node directly, through
 * the cluster for a socket of another node.
 *
 * <p>Thread-safety: immutable snapshot; the operations are thread-safe.
 */
public final class RemoteSocket {
  private final SocketDetails details;
  private final boolean local;
  private final BroadcastOperator operator;

  RemoteSocket(Namespace nsp, SocketDetails details, boolean local) {
    this.details = details;
    this.local = local;
    BroadcastOperator op =
        new BroadcastOperator(nsp, Set.of(details.id()), Set.of(), BroadcastFlags.DEFAULT);
    // A socket of this node is reached without bothering the other nodes.
    this.operator = local ? op.local() : op;
  }

  public String id() {
    return details.id();
  }

  /** The handshake as the reference serialises it: headers, time, address, query, auth, ... */
  public JsonNode handshake() {
    return details.handshake();
  }

  public Set<String> rooms() {
    return details.rooms();
  }

  /** The socket's data as JSON. */
  public JsonNode data() {
    return details.data();
  }

  /** Whether the socket was connected to this node when it was fetched. */
  public boolean isLocal() {
    return local;
  }

  public void emit(String event, Object... args) {
    operator.emit(event, args);
  }

  /**
   * An operator for an emit with an ack: {@code remote.timeout(d).emitWithAck(...)} completes with
   * the socket's answer as a one-element list.
   */
  public BroadcastOperator timeout(Duration timeout) {
    return operator.timeout(timeout);
  }

  public void join(String... rooms) {
    operator.socketsJoin(rooms);
  }

  public void leave(String... rooms) {
    operator.socketsLeave(rooms);
  }

  public void disconnect(boolean close) {
    operator.disconnectSockets(close);
  }
}
