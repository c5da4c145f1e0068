package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message between the nodes of a cluster: the reference's {@code ClusterMessage} ({@code
 * socket.io-adapter}'s {@code cluster-adapter.ts}), one record per {@link MessageType}. What a
 * message-bus adapter serialises. Every record has the envelope's {@code uid} (the sending server's
 * id, or {@code "emitter"}), {@code nsp} (the namespace) and, where the type has one, {@code data};
 * record component names are the wire field names, so a serialiser maps them one to one:
 *
 * <pre>
 * {"uid": "a1b2c3d4e5f60718", "nsp": "/", "type": 3,
 *  "data": {"opts": {"rooms": ["r1"], "except": [], "flags": {}}, "packet": {...}}}
 * </pre>
 *
 * <p>Wire notes for serialisers: {@code type} is {@link #type()}{@code .code()}; an empty {@code
 * Optional} field is left out; {@link BroadcastFlags} go out as the reference's {@code flags}
 * object; a {@link SioPacket} as the reference's packet object {@code {type, data, nsp, id?}} (type
 * number, argument array; a receiver must accept a packet without {@code nsp} and use the
 * message's). The replies ({@link ClusterResponse}) share this envelope.
 *
 * <p>Thread-safety: immutable records, provided the JSON trees they hold are not modified after
 * creation.
 */
public sealed interface ClusterMessage
    permits ClusterMessage.InitialHeartbeat,
        ClusterMessage.Heartbeat,
        ClusterMessage.AdapterClose,
        ClusterMessage.Broadcast,
        ClusterMessage.SocketsJoin,
        ClusterMessage.SocketsLeave,
        ClusterMessage.DisconnectSockets,
        ClusterMessage.FetchSockets,
        ClusterMessage.ServerSideEmit,
        ClusterResponse {

  /** The {@code uid} of messages published by an emitter (a process without a server). */
  String EMITTER_UID = "emitter";

  /** The id of the sending server ({@link AdapterHost#serverId()}), or {@link #EMITTER_UID}. */
  String uid();

  /** The namespace the message is about. */
  String nsp();

  /** The message type, whose {@link MessageType#code()} goes on the wire. */
  MessageType type();

  /**
   * {@code INITIAL_HEARTBEAT} (1): a node started; every other node answers with a heartbeat.
   *
   * <p>Thread-safety: immutable.
   */
  record InitialHeartbeat(String uid, String nsp) implements ClusterMessage {
    public InitialHeartbeat {
      check(uid, nsp);
    }

    @Override
    public MessageType type() {
      return MessageType.INITIAL_HEARTBEAT;
    }
  }

  /**
   * {@code HEARTBEAT} (2): the sender is alive.
   *
   * <p>Thread-safety: immutable.
   */
  record Heartbeat(String uid, String nsp) implements ClusterMessage {
    public Heartbeat {
      check(uid, nsp);
    }

    @Override
    public MessageType type() {
      return MessageType.HEARTBEAT;
    }
  }

  /**
   * {@code ADAPTER_CLOSE} (13): the sender's adapter closed; it answers nothing any more.
   *
   * <p>Thread-safety: immutable.
   */
  record AdapterClose(String uid, String nsp) implements ClusterMessage {
    public AdapterClose {
      check(uid, nsp);
    }

    @Override
    public MessageType type() {
      return MessageType.ADAPTER_CLOSE;
    }
  }

  /**
   * {@code BROADCAST} (3): deliver a packet to the targeted local sockets; with a {@code
   * requestId}, as a broadcast with acks (answer {@code BROADCAST_CLIENT_COUNT} once, then a {@code
   * BROADCAST_ACK} per client ack).
   *
   * <p>Thread-safety: immutable.
   */
  record Broadcast(String uid, String nsp, BroadcastData data) implements ClusterMessage {
    public Broadcast {
      check(uid, nsp);
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.BROADCAST;
    }
  }

  /**
   * The {@code data} of a {@code BROADCAST}: {@code {opts, packet, requestId?}}. The packet's ack
   * id, if any, is meaningless to receivers: each allocates its own.
   *
   * <p>Thread-safety: immutable.
   */
  record BroadcastData(BroadcastOptions opts, SioPacket packet, Optional<String> requestId) {
    public BroadcastData {
      Objects.requireNonNull(opts, "opts");
      Objects.requireNonNull(packet, "packet");
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  /**
   * {@code SOCKETS_JOIN} (4): the targeted local sockets join {@code rooms}.
   *
   * <p>Thread-safety: immutable.
   */
  record SocketsJoin(String uid, String nsp, RoomsData data) implements ClusterMessage {
    public SocketsJoin {
      check(uid, nsp);
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.SOCKETS_JOIN;
    }
  }

  /**
   * {@code SOCKETS_LEAVE} (5): the targeted local sockets leave {@code rooms}.
   *
   * <p>Thread-safety: immutable.
   */
  record SocketsLeave(String uid, String nsp, RoomsData data) implements ClusterMessage {
    public SocketsLeave {
      check(uid, nsp);
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.SOCKETS_LEAVE;
    }
  }

  /**
   * The {@code data} of {@code SOCKETS_JOIN} and {@code SOCKETS_LEAVE}: {@code {opts, rooms}}.
   *
   * <p>Thread-safety: immutable.
   */
  record RoomsData(BroadcastOptions opts, List<String> rooms) {
    public RoomsData {
      Objects.requireNonNull(opts, "opts");
      rooms = List.copyOf(rooms);
    }
  }

  /**
   * {@code DISCONNECT_SOCKETS} (6): the targeted local sockets disconnect.
   *
   * <p>Thread-safety: immutable.
   */
  record DisconnectSockets(String uid, String nsp, DisconnectData data) implements ClusterMessage {
    public DisconnectSockets {
      check(uid, nsp);
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.DISCONNECT_SOCKETS;
    }
  }

  /**
   * The {@code data} of {@code DISCONNECT_SOCKETS}: {@code {opts, close}} ({@code close} absent
   * reads as false).
   *
   * <p>Thread-safety: immutable.
   */
  record DisconnectData(BroadcastOptions opts, boolean close) {
    public DisconnectData {
      Objects.requireNonNull(opts, "opts");
    }
  }

  /**
   * {@code FETCH_SOCKETS} (7): answer {@code FETCH_SOCKETS_RESPONSE} with the targeted local
   * sockets.
   *
   * <p>Thread-safety: immutable.
   */
  record FetchSockets(String uid, String nsp, FetchSocketsData data) implements ClusterMessage {
    public FetchSockets {
      check(uid, nsp);
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.FETCH_SOCKETS;
    }
  }

  /**
   * The {@code data} of {@code FETCH_SOCKETS}: {@code {opts, requestId}}.
   *
   * <p>Thread-safety: immutable.
   */
  record FetchSocketsData(BroadcastOptions opts, String requestId) {
    public FetchSocketsData {
      Objects.requireNonNull(opts, "opts");
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  /**
   * {@code SERVER_SIDE_EMIT} (9): an event for the namespace's server-side listeners; with a {@code
   * requestId}, the first answer of the listeners goes back as {@code SERVER_SIDE_EMIT_RESPONSE}.
   *
   * <p>Thread-safety: immutable.
   */
  record ServerSideEmit(String uid, String nsp, ServerSideEmitData data) implements ClusterMessage {
    public ServerSideEmit {
      check(uid, nsp);
      Objects.requireNonNull(data, "data");
    }

    @Override
    public MessageType type() {
      return MessageType.SERVER_SIDE_EMIT;
    }
  }

  /**
   * The {@code data} of {@code SERVER_SIDE_EMIT}: {@code {requestId?, packet}}, the packet being
   * {@code [event, ...args]}.
   *
   * <p>Thread-safety: immutable.
   */
  record ServerSideEmitData(Optional<String> requestId, ArrayNode packet) {
    public ServerSideEmitData {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(packet, "packet");
      if (packet.isEmpty() || !packet.get(0).isTextual()) {
        throw new IllegalArgumentException("packet must start with the event name: " + packet);
      }
    }
  }

  private static void check(String uid, String nsp) {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(nsp, "nsp");
  }
}
