package dev.sio4j.redis.internal;

import static dev.sio4j.redis.internal.ClassicWire.integer;
import static dev.sio4j.redis.internal.ClassicWire.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterMessage.Broadcast;
import dev.sio4j.adapter.ClusterMessage.BroadcastData;
import dev.sio4j.adapter.ClusterMessage.DisconnectData;
import dev.sio4j.adapter.ClusterMessage.DisconnectSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSockets;
import dev.sio4j.adapter.ClusterMessage.FetchSocketsData;
import dev.sio4j.adapter.ClusterMessage.RoomsData;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmit;
import dev.sio4j.adapter.ClusterMessage.ServerSideEmitData;
import dev.sio4j.adapter.ClusterMessage.SocketsJoin;
import dev.sio4j.adapter.ClusterMessage.SocketsLeave;
import dev.sio4j.adapter.ClusterResponse;
import dev.sio4j.adapter.ClusterResponse.AckData;
import dev.sio4j.adapter.ClusterResponse.BroadcastAck;
import dev.sio4j.adapter.ClusterResponse.BroadcastClientCount;
import dev.sio4j.adapter.ClusterResponse.ClientCountData;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponse;
import dev.sio4j.adapter.ClusterResponse.FetchSocketsResponseData;
import dev.sio4j.adapter.ClusterResponse.ServerSideEmitResponse;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.redis.internal.ClassicWire.Channels;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Translates between the {@link ClusterMessage}s of the adapter SPI and the messages of the classic
 * Redis adapter ({@code @socket.io/redis-adapter} {@code createAdapter}), for one namespace, in
 * both directions. What the classic wire has and the SPI has not (the {@code ALL_ROOMS} and {@code
 * SOCKETS} requests, the single-socket forms of join, leave and disconnect) comes out as the
 * records of {@link Request} and {@link Response}.
 *
 * <p>The decoders throw {@link IllegalArgumentException} for anything that is not a well-formed
 * message of their channel (the adapter drops it with a debug line).
 *
 * <p>Thread-safety: immutable.
 */
public final class ClassicCodec {
  /** The {@code uid} of a reply: the classic responses do not say who sent them. */
  public static final String UNKNOWN_UID = "";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Channels channels;
  private final String uid;
  private final boolean specificResponseChannel;

  /**
   * @param channels the namespace's channels
   * @param uid this node's id, the {@code uid} of what it sends
   * @param specificResponseChannel whether replies go to the requester's own channel ({@code
   *     publishOnSpecificResponseChannel})
   */
  public ClassicCodec(Channels channels, String uid, boolean specificResponseChannel) {
    this.channels = Objects.requireNonNull(channels, "channels");
    this.uid = Objects.requireNonNull(uid, "uid");
    this.specificResponseChannel = specificResponseChannel;
  }

  /** The channels of the namespace. */
  public Channels channels() {
    return channels;
  }

  /**
   * A message and the channel it goes to.
   *
   * <p>Thread-safety: immutable (the array is not copied: do not modify it).
   */
  public record Outgoing(String channel, byte[] payload) {}

  // ---- writing -------------------------------------------------------------------------------

  /**
   * The classic form of an outgoing message; empty for the types the classic adapter does not have
   * (heartbeats, adapter close).
   */
  public Optional<Outgoing> encode(ClusterMessage message) {
    Optional<String> me = Optional.of(uid);
    return switch (message.type()) {
      case BROADCAST -> Optional.of(broadcast(((Broadcast) message).data()));
      case SOCKETS_JOIN -> {
        RoomsData d = ((SocketsJoin) message).data();
        yield request(
            ClassicWire.roomsRequest(
                me, ClassicWire.REMOTE_JOIN, d.opts().rooms(), d.opts().except(), d.rooms()));
      }
      case SOCKETS_LEAVE -> {
        RoomsData d = ((SocketsLeave) message).data();
        yield request(
            ClassicWire.roomsRequest(
                me, ClassicWire.REMOTE_LEAVE, d.opts().rooms(), d.opts().except(), d.rooms()));
      }
      case DISCONNECT_SOCKETS -> {
        DisconnectData d = ((DisconnectSockets) message).data();
        yield request(
            ClassicWire.disconnectRequest(me, d.opts().rooms(), d.opts().except(), d.close()));
      }
      case FETCH_SOCKETS -> {
        FetchSocketsData d = ((FetchSockets) message).data();
        ObjectNode request =
            ClassicWire.request(me, Optional.of(d.requestId()), ClassicWire.REMOTE_FETCH);
        request.set("opts", ClassicWire.targets(d.opts().rooms(), d.opts().except()));
        yield request(request);
      }
      case SERVER_SIDE_EMIT -> {
        ServerSideEmitData d = ((ServerSideEmit) message).data();
        yield request(ClassicWire.serverSideEmitRequest(uid, d.requestId(), d.packet()));
      }
      case FETCH_SOCKETS_RESPONSE,
          SERVER_SIDE_EMIT_RESPONSE,
          BROADCAST_CLIENT_COUNT,
          BROADCAST_ACK ->
          Optional.of(encodeResponse(UNKNOWN_UID, (ClusterResponse) message));
      default -> Optional.empty();
    };
  }

  private Outgoing broadcast(BroadcastData d) {
    BroadcastOptions opts = d.opts();
    if (d.requestId().isEmpty()) {
      return new Outgoing(
          channels.broadcastTo(opts.rooms()),
          ClassicWire.broadcastMessage(uid, WireTrees.packet(d.packet()), WireTrees.options(opts)));
    }
    // The reference encodes the packet before its local part gives it an ack id.
    SioPacket p = d.packet();
    SioPacket withoutId = SioPacket.of(p.type(), p.namespace(), p.data().orElse(null), -1);
    ObjectNode request =
        ClassicWire.request(Optional.of(uid), d.requestId(), ClassicWire.BROADCAST);
    request.set("packet", WireTrees.packet(withoutId));
    request.set("opts", WireTrees.options(opts));
    return new Outgoing(channels.request(), ClassicWire.msgpack(request));
  }

  private Optional<Outgoing> request(ObjectNode request) {
    return Optional.of(new Outgoing(channels.request(), ClassicWire.json(request)));
  }

  /** The classic form of a reply to {@code requesterUid}'s request. */
  public Outgoing encodeResponse(String requesterUid, ClusterResponse response) {
    return switch (response.type()) {
      case FETCH_SOCKETS_RESPONSE -> {
        FetchSocketsResponseData d = ((FetchSocketsResponse) response).data();
        ObjectNode tree = F.objectNode();
        tree.put("requestId", d.requestId());
        ArrayNode sockets = tree.putArray("sockets");
        for (SocketDetails s : d.sockets()) {
          sockets.add(WireTrees.socket(s));
        }
        yield new Outgoing(responseChannel(requesterUid), ClassicWire.json(tree));
      }
      case SERVER_SIDE_EMIT_RESPONSE -> {
        AckData d = ((ServerSideEmitResponse) response).data();
        ObjectNode tree = F.objectNode();
        tree.put("type", ClassicWire.SERVER_SIDE_EMIT);
        tree.put("requestId", d.requestId());
        tree.set("data", d.packet());
        // The reference always answers a server-side emit on the common channel.
        yield new Outgoing(channels.response(), ClassicWire.json(tree));
      }
      case BROADCAST_CLIENT_COUNT -> {
        ClientCountData d = ((BroadcastClientCount) response).data();
        ObjectNode tree = F.objectNode();
        tree.put("type", ClassicWire.BROADCAST_CLIENT_COUNT);
        tree.put("requestId", d.requestId());
        tree.put("clientCount", d.clientCount());
        yield new Outgoing(responseChannel(requesterUid), ClassicWire.json(tree));
      }
      case BROADCAST_ACK -> {
        AckData d = ((BroadcastAck) response).data();
        ObjectNode tree = F.objectNode();
        tree.put("type", ClassicWire.BROADCAST_ACK);
        tree.put("requestId", d.requestId());
        tree.set("packet", d.packet());
        yield new Outgoing(responseChannel(requesterUid), ClassicWire.msgpack(tree));
      }
      default -> throw new IllegalArgumentException("not a response: " + response.type());
    };
  }

  /** {@code {uid, requestId, type: 1}}: asks every node for its rooms. */
  public Outgoing allRoomsRequest(String requestId) {
    return new Outgoing(
        channels.request(),
        ClassicWire.json(
            ClassicWire.request(Optional.of(uid), Optional.of(requestId), ClassicWire.ALL_ROOMS)));
  }

  /** {@code {requestId, rooms}}: this node's rooms. */
  public Outgoing allRoomsResponse(String requesterUid, String requestId, Set<String> rooms) {
    ObjectNode tree = F.objectNode();
    tree.put("requestId", requestId);
    tree.set("rooms", WireTrees.strings(rooms));
    return new Outgoing(responseChannel(requesterUid), ClassicWire.json(tree));
  }

  /** {@code {requestId, sockets: [ids]}}: the answer to a legacy {@code SOCKETS} request. */
  public Outgoing socketsResponse(String requesterUid, String requestId, Set<String> socketIds) {
    ObjectNode tree = F.objectNode();
    tree.put("requestId", requestId);
    tree.set("sockets", WireTrees.strings(socketIds));
    return new Outgoing(responseChannel(requesterUid), ClassicWire.json(tree));
  }

  /** {@code {requestId?}}: the answer to a legacy single-socket join, leave or disconnect. */
  public Outgoing legacyResponse(String requesterUid, Optional<String> requestId) {
    ObjectNode tree = F.objectNode();
    requestId.ifPresent(id -> tree.put("requestId", id));
    return new Outgoing(responseChannel(requesterUid), ClassicWire.json(tree));
  }

  private String responseChannel(String requesterUid) {
    return specificResponseChannel && !requesterUid.isEmpty()
        ? channels.specificResponse(requesterUid)
        : channels.response();
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * A message of the broadcast channels, {@code [uid, packet, opts]}: a {@link Broadcast} whose
   * {@code nsp} is the packet's (the reference's {@code "/"} when it has none).
   */
  public Broadcast decodeBroadcast(byte[] message) {
    JsonNode tree = ClassicWire.readMsgpack(message);
    if (!tree.isArray() || tree.size() < 3) {
      throw new IllegalArgumentException("not a [uid, packet, opts] array");
    }
    JsonNode sender = tree.get(0);
    if (!sender.isTextual()) {
      throw new IllegalArgumentException("uid is not a string");
    }
    SioPacket packet = WireTrees.packet(tree.get(1), SioPacket.DEFAULT_NAMESPACE);
    BroadcastOptions opts = WireTrees.options(tree.get(2));
    return new Broadcast(
        sender.textValue(), packet.namespace(), new BroadcastData(opts, packet, Optional.empty()));
  }

  /**
   * A message of the request channel (JSON, or msgpack for a broadcast with acks). A request
   * without {@code uid} (the emitter's) reads as coming from {@link ClassicWire#EMITTER_UID}.
   */
  public Request decodeRequest(byte[] message) {
    JsonNode tree = ClassicWire.readMessage(message);
    if (!tree.isObject()) {
      throw new IllegalArgumentException("request is not an object");
    }
    int type =
        integer(tree, "type")
            .orElseThrow(() -> new IllegalArgumentException("request without type"));
    String from = text(tree, "uid").orElse(ClassicWire.EMITTER_UID);
    Optional<String> requestId = text(tree, "requestId");
    String nsp = channels.nsp();
    JsonNode opts = tree.get("opts");
    boolean hasOpts = opts != null && !opts.isNull();
    switch (type) {
      case ClassicWire.SOCKETS:
        return new Request.Sockets(
            from, required(requestId), WireTrees.stringSet(tree.get("rooms")));
      case ClassicWire.ALL_ROOMS:
        return new Request.AllRooms(from, required(requestId));
      case ClassicWire.REMOTE_JOIN:
      case ClassicWire.REMOTE_LEAVE:
        if (!hasOpts) {
          return legacy(type, from, requestId, tree);
        }
        RoomsData rooms =
            new RoomsData(
                WireTrees.options(opts), List.copyOf(WireTrees.stringSet(tree.get("rooms"))));
        return new Request.Cluster(
            type == ClassicWire.REMOTE_JOIN
                ? new SocketsJoin(from, nsp, rooms)
                : new SocketsLeave(from, nsp, rooms));
      case ClassicWire.REMOTE_DISCONNECT:
        if (!hasOpts) {
          return legacy(type, from, requestId, tree);
        }
        return new Request.Cluster(
            new DisconnectSockets(
                from,
                nsp,
                new DisconnectData(WireTrees.options(opts), tree.path("close").asBoolean(false))));
      case ClassicWire.REMOTE_FETCH:
        return new Request.Cluster(
            new FetchSockets(
                from,
                nsp,
                new FetchSocketsData(
                    hasOpts ? WireTrees.options(opts) : BroadcastOptions.ALL,
                    required(requestId))));
      case ClassicWire.SERVER_SIDE_EMIT:
        JsonNode data = tree.get("data");
        if (data == null || !data.isArray()) {
          throw new IllegalArgumentException("server-side emit without data array");
        }
        return new Request.Cluster(
            new ServerSideEmit(from, nsp, new ServerSideEmitData(requestId, (ArrayNode) data)));
      case ClassicWire.BROADCAST:
        SioPacket packet = WireTrees.packet(tree.get("packet"), nsp);
        return new Request.Cluster(
            new Broadcast(
                from,
                nsp,
                new BroadcastData(
                    hasOpts ? WireTrees.options(opts) : BroadcastOptions.ALL,
                    packet,
                    Optional.of(required(requestId)))));
      default:
        throw new IllegalArgumentException("unknown request type " + type);
    }
  }

  private static Request legacy(int type, String from, Optional<String> requestId, JsonNode tree) {
    String sid = text(tree, "sid").orElseThrow(() -> new IllegalArgumentException("no sid"));
    return new Request.Legacy(
        type, from, requestId, sid, text(tree, "room"), tree.path("close").asBoolean(false));
  }

  private static String required(Optional<String> requestId) {
    return requestId.orElseThrow(() -> new IllegalArgumentException("request without requestId"));
  }

  /** A message of the response channels (JSON, or msgpack for a broadcast ack). */
  public Response decodeResponse(byte[] message) {
    JsonNode tree = ClassicWire.readMessage(message);
    if (!tree.isObject()) {
      throw new IllegalArgumentException("response is not an object");
    }
    String requestId =
        text(tree, "requestId")
            .orElseThrow(() -> new IllegalArgumentException("response without requestId"));
    String nsp = channels.nsp();
    Optional<Integer> type = integer(tree, "type");
    if (type.isPresent()) {
      return switch (type.get()) {
        case ClassicWire.BROADCAST_CLIENT_COUNT -> {
          JsonNode count = tree.get("clientCount");
          if (count == null || !count.canConvertToInt() || count.intValue() < 0) {
            throw new IllegalArgumentException("bad clientCount");
          }
          yield new Response.Cluster(
              new BroadcastClientCount(
                  UNKNOWN_UID, nsp, new ClientCountData(requestId, count.intValue())));
        }
        case ClassicWire.BROADCAST_ACK ->
            new Response.Cluster(
                new BroadcastAck(UNKNOWN_UID, nsp, new AckData(requestId, orNull(tree, "packet"))));
        case ClassicWire.SERVER_SIDE_EMIT ->
            new Response.Cluster(
                new ServerSideEmitResponse(
                    UNKNOWN_UID, nsp, new AckData(requestId, orNull(tree, "data"))));
        default -> new Response.Other(requestId);
      };
    }
    JsonNode rooms = tree.get("rooms");
    if (rooms != null && rooms.isArray()) {
      return new Response.Rooms(requestId, WireTrees.stringSet(rooms));
    }
    JsonNode sockets = tree.get("sockets");
    if (sockets != null && sockets.isArray() && !ClassicWire.allText(sockets)) {
      List<SocketDetails> list = new ArrayList<>(sockets.size());
      for (JsonNode s : sockets) {
        list.add(WireTrees.socket(s));
      }
      return new Response.Cluster(
          new FetchSocketsResponse(
              UNKNOWN_UID, nsp, new FetchSocketsResponseData(requestId, list)));
    }
    if (sockets != null && sockets.isArray() && sockets.isEmpty()) {
      // An empty answer reads the same for a fetch and a legacy SOCKETS request; only a fetch can
      // be waiting for it here.
      return new Response.Cluster(
          new FetchSocketsResponse(
              UNKNOWN_UID, nsp, new FetchSocketsResponseData(requestId, List.of())));
    }
    return new Response.Other(requestId);
  }

  private static JsonNode orNull(JsonNode tree, String field) {
    JsonNode value = tree.get(field);
    return value == null ? NullNode.instance : value;
  }

  /**
   * A decoded request.
   *
   * <p>Thread-safety: immutable records.
   */
  public sealed interface Request {
    /**
     * A request the adapter SPI has: handed to the cluster adapter.
     *
     * <p>Thread-safety: immutable.
     */
    record Cluster(ClusterMessage message) implements Request {}

    /**
     * {@code ALL_ROOMS}: answer with this node's rooms.
     *
     * <p>Thread-safety: immutable.
     */
    record AllRooms(String uid, String requestId) implements Request {}

    /**
     * {@code SOCKETS} (legacy): answer with the ids of this node's sockets in the rooms.
     *
     * <p>Thread-safety: immutable.
     */
    record Sockets(String uid, String requestId, Set<String> rooms) implements Request {}

    /**
     * The single-socket form of {@code REMOTE_JOIN} / {@code REMOTE_LEAVE} ({@code sid, room}) and
     * {@code REMOTE_DISCONNECT} ({@code sid, close}) that adapters before 7.x sent; the node
     * holding the socket acts and answers {@code {requestId}}.
     */
    record Legacy(
        int type,
        String uid,
        Optional<String> requestId,
        String sid,
        Optional<String> room,
        boolean close)
        implements Request {}
  }

  /**
   * A decoded response.
   *
   * <p>Thread-safety: immutable records.
   */
  public sealed interface Response {
    /**
     * A reply the adapter SPI has: handed to the cluster adapter.
     *
     * <p>Thread-safety: immutable.
     */
    record Cluster(ClusterResponse response) implements Response {}

    /**
     * The answer to an {@code ALL_ROOMS} request.
     *
     * <p>Thread-safety: immutable.
     */
    record Rooms(String requestId, Set<String> rooms) implements Response {}

    /**
     * An answer nothing here waits for (legacy {@code SOCKETS}, single-socket operations).
     *
     * <p>Thread-safety: immutable.
     */
    record Other(String requestId) implements Response {}
  }
}
