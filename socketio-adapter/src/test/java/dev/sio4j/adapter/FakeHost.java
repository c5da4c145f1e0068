package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A namespace without a server: sockets that record what they get, server-side events logged. */
final class FakeHost implements AdapterHost {
  final String name;
  final String serverId;
  final ScheduledExecutorService scheduler;
  final Map<String, FakeSocket> sockets = new ConcurrentHashMap<>();
  final List<String> serverSideEvents = new ArrayList<>();
  final AtomicLong ackIds = new AtomicLong(100);
  Adapter adapter;

  /** The server's recovery window: empty for a server without connection state recovery. */
  volatile Optional<java.time.Duration> recovery = Optional.empty();

  /** How listeners answer a server-side event with ack: each string is one ack call. */
  List<String> serverSideAnswers = List.of();

  FakeHost(String name, String serverId, ScheduledExecutorService scheduler) {
    this.name = name;
    this.serverId = serverId;
    this.scheduler = scheduler;
  }

  FakeSocket connect(String id, String... rooms) {
    FakeSocket s = new FakeSocket(id);
    sockets.put(id, s);
    adapter.addAll(id, java.util.Set.of(id));
    adapter.addAll(id, java.util.Set.of(rooms));
    return s;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String serverId() {
    return serverId;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public Optional<SocketHandle> socket(String id) {
    return Optional.ofNullable(sockets.get(id));
  }

  @Override
  public long nextAckId() {
    return ackIds.getAndIncrement();
  }

  @Override
  public Optional<java.time.Duration> maxDisconnectionDuration() {
    return recovery;
  }

  @Override
  public SioParser parser() {
    return SioParser.json();
  }

  @Override
  public synchronized void onServerSideEmit(ArrayNode packet) {
    serverSideEvents.add(packet.toString());
  }

  @Override
  public void onServerSideEmit(ArrayNode packet, Consumer<JsonNode> ack) {
    synchronized (this) {
      serverSideEvents.add(packet.toString() + "+ack");
    }
    for (String answer : serverSideAnswers) {
      ack.accept(TextNode.valueOf(answer));
    }
  }

  /** A local socket that records the packets delivered to it. */
  final class FakeSocket implements SocketHandle {
    final String id;
    final List<SioPacket> packets = new ArrayList<>();
    final Map<Long, Consumer<ArrayNode>> acks = new ConcurrentHashMap<>();
    final List<Boolean> disconnects = new ArrayList<>();

    FakeSocket(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public synchronized void deliver(
        SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags) {
      packets.add(packet);
    }

    @Override
    public synchronized void deliverWithAck(
        SioPacket packet,
        EncodedSioPacket encoded,
        BroadcastFlags flags,
        Consumer<ArrayNode> onAck) {
      packets.add(packet);
      acks.put(packet.ackId(), onAck);
    }

    /** The client answers the ack of a packet. */
    void answer(long ackId, String value) {
      acks.remove(ackId).accept(JsonNodeFactory.instance.arrayNode().add(value));
    }

    synchronized List<String> events() {
      List<String> names = new ArrayList<>();
      packets.forEach(p -> names.add(p.data().orElseThrow().get(0).asText()));
      return names;
    }

    @Override
    public void join(Collection<String> rooms) {
      adapter.addAll(id, java.util.Set.copyOf(rooms));
    }

    @Override
    public void leave(Collection<String> rooms) {
      rooms.forEach(r -> adapter.del(id, r));
    }

    @Override
    public synchronized void disconnect(boolean close) {
      disconnects.add(close);
      sockets.remove(id);
      adapter.delAll(id);
    }

    @Override
    public SocketDetails details() {
      return new SocketDetails(
          id,
          JsonNodeFactory.instance.objectNode().put("address", "127.0.0.1"),
          adapter.socketRooms(id).orElse(java.util.Set.of()),
          JsonNodeFactory.instance.objectNode().put("node", serverId));
    }
  }
}
