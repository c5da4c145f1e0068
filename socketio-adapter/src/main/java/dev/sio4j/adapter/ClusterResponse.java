package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A reply to one node's request, sent to that node only ({@code publishResponse}): the reference's
 * {@code ClusterResponse}. Same envelope as {@link ClusterMessage} ({@code uid} is the answering
 * server); every {@code data} carries the {@code requestId} of the request it answers.
 *
 * <p>Thread-safety: immutable records, provided the JSON trees they hold are not modified after
 * creation.
 */
public sealed interface ClusterResponse extends ClusterMessage
    permits ClusterResponse.FetchSocketsResponse,
        ClusterResponse.ServerSideEmitResponse,
        ClusterResponse.BroadcastClientCount,
        ClusterResponse.BroadcastAck {

  /** The id of the request this answers ({@code data.requestId}). */
  String requestId();

  /**
   * {@code FETCH_SOCKETS_RESPONSE} (8): the answering node's targeted sockets.
   *
   * <p>Thread-safety: immutable.
   */
  record FetchSocketsResponse(String uid, String nsp, FetchSocketsResponseData data)
      implements ClusterResponse {
    public FetchSocketsResponse {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.FETCH_SOCKETS_RESPONSE;
    }

    @Override
    public String requestId() {
      return data.requestId();
    }
  }

  /**
   * The {@code data} of {@code FETCH_SOCKETS_RESPONSE}: {@code {requestId, sockets}}.
   *
   * <p>Thread-safety: immutable.
   */
  record FetchSocketsResponseData(String requestId, List<SocketDetails> sockets) {
    public FetchSocketsResponseData {
      Objects.requireNonNull(requestId, "requestId");
      sockets = List.copyOf(sockets);
    }
  }

  /**
   * {@code SERVER_SIDE_EMIT_RESPONSE} (10): the first answer of a node's server-side listeners.
   *
   * <p>Thread-safety: immutable.
   */
  record ServerSideEmitResponse(String uid, String nsp, AckData data) implements ClusterResponse {
    public ServerSideEmitResponse {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.SERVER_SIDE_EMIT_RESPONSE;
    }

    @Override
    public String requestId() {
      return data.requestId();
    }
  }

  /**
   * {@code BROADCAST_CLIENT_COUNT} (11): how many local clients a broadcast with acks reached.
   *
   * <p>Thread-safety: immutable.
   */
  record BroadcastClientCount(String uid, String nsp, ClientCountData data)
      implements ClusterResponse {
    public BroadcastClientCount {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.BROADCAST_CLIENT_COUNT;
    }

    @Override
    public String requestId() {
      return data.requestId();
    }
  }

  /**
   * The {@code data} of {@code BROADCAST_CLIENT_COUNT}: {@code {requestId, clientCount}}.
   *
   * <p>Thread-safety: immutable.
   */
  record ClientCountData(String requestId, int clientCount) {
    public ClientCountData {
      Objects.requireNonNull(requestId, "requestId");
      if (clientCount < 0) {
        throw new IllegalArgumentException("clientCount < 0: " + clientCount);
      }
    }
  }

  /**
   * {@code BROADCAST_ACK} (12): one client's answer to a broadcast with acks.
   *
   * <p>Thread-safety: immutable.
   */
  record BroadcastAck(String uid, String nsp, AckData data) implements ClusterResponse {
    public BroadcastAck {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(nsp, "nsp");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.BROADCAST_ACK;
    }

    @Override
    public String requestId() {
      return data.requestId();
    }
  }

  /**
   * The {@code data} of {@code BROADCAST_ACK} and {@code SERVER_SIDE_EMIT_RESPONSE}: {@code
   * {requestId, packet}}, the packet being the first argument of the answer (JSON {@code null} when
   * the answer had none, which the reference leaves out).
   *
   * <p>Thread-safety: immutable, provided the tree is not modified after creation.
   */
  record AckData(String requestId, JsonNode packet) {
    public AckData {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(packet, "packet");
    }
  }
}
