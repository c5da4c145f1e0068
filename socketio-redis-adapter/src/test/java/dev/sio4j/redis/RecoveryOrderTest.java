package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.RecoverySession;
import dev.sio4j.adapter.SessionStore;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.adapter.SocketHandle;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioParser;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of a restore on a node whose reading loop lags behind Redis, made deterministic: the
 * test is the reading loop (it hands the stream entries to the adapter itself), so it can bring
 * them before, during and after the restore and the socket's return. A restored socket gets the
 * events it missed once each and in order: replayed, held back, or live.
 */
@Timeout(60)
class RecoveryOrderTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String SID = "sid-of-the-restored1";
  private static final String PID = "pid-of-the-restored1";

  private RedisServer redis;
  private RedisClient client;
  private StreamsFactory factory;
  private ScheduledExecutorService scheduler;
  private Host host;
  private RedisStreamsAdapter adapter;
  private SessionStore store;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    client = RedisClient.create(redis.uri());
    factory = new StreamsFactory(client, () -> {}, RedisStreamsAdapterOptions.defaults(), false);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    host = new Host(scheduler);
    adapter = (RedisStreamsAdapter) factory.create(host);
    host.adapter = adapter;
    store = adapter.sessionStore().orElseThrow();
  }

  @AfterEach
  void stop() {
    adapter.close().join();
    factory.close();
    client.shutdown();
    scheduler.shutdownNow();
    redis.close();
  }

  /** An entry another node added: a broadcast of {@code tick(tag)} to room r. */
  private Entry add(String tag) {
    String data =
        "{\"packet\":{\"type\":2,\"data\":[\"tick\",\""
            + tag
            + "\"]},\"opts\":{\"rooms\":[\"r\"],\"except\":[],\"flags\":{}}}";
    String id =
        (String)
            redis.command(
                "XADD",
                "socket.io",
                "*",
                "uid",
                "another-node-uid",
                "nsp",
                "/",
                "type",
                "3",
                "data",
                data);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("uid", "another-node-uid");
    fields.put("nsp", "/");
    fields.put("type", "3");
    fields.put("data", data);
    return new Entry(id, fields);
  }

  private record Entry(String id, Map<String, String> fields) {}

  private void loop(Entry e) {
    adapter.onStreamEntry(e.fields, e.id);
  }

  private RecoverySession restore(String offset) {
    store.persist(new RecoverySession(SID, PID, Set.of(SID, "r"), F.objectNode(), List.of()));
    Await.until(() -> !RedisServer.NIL.equals(redis.command("GET", "sio:session:" + PID)), "saved");
    return Await.join(store.restore(PID, offset)).orElseThrow();
  }

  /** What the server does when it accepts the restored socket: rooms, connected, own room. */
  private FakeSocket accept(RecoverySession session) {
    adapter.addAll(SID, session.rooms());
    FakeSocket socket = new FakeSocket();
    host.sockets.put(SID, socket);
    adapter.addAll(SID, Set.of(SID));
    return socket;
  }

  private static List<String> tags(List<ArrayNode> packets) {
    List<String> tags = new ArrayList<>();
    for (ArrayNode p : packets) {
      tags.add(p.get(1).asText());
    }
    return tags;
  }

  @Test
  void eventsTheLaggingLoopBringsAfterTheReturnAreNotSentTwice() {
    Entry e0 = add("e0");
    loop(e0);
    Entry e1 = add("e1");
    Entry e2 = add("e2");
    RecoverySession session = restore(e0.id);
    assertEquals(List.of("e1", "e2"), tags(session.missedPackets()));
    assertEquals(e2.id, session.missedPackets().get(1).get(2).asText(), "offset of a replay");
    FakeSocket socket = accept(session);
    Await.until(() -> host.released(), "released");
    // The loop catches up: e1 and e2 were replayed; e3 is new.
    loop(e1);
    loop(e2);
    Entry e3 = add("e3");
    loop(e3);
    assertEquals(List.of("e3"), socket.tags());
    assertEquals(e3.id, socket.packets().get(0).get(2).asText());
  }

  @Test
  void eventsDuringTheRestoreAreHeldBackThenSentInOrderOnce() {
    Entry e0 = add("e0");
    loop(e0);
    Entry e1 = add("e1");
    RecoverySession session = restore(e0.id);
    assertEquals(List.of("e1"), tags(session.missedPackets()));
    // Between the restore and the socket's return: the loop brings e1 (replayed) and e2, e3.
    loop(e1);
    Entry e2 = add("e2");
    loop(e2);
    Entry e3 = add("e3");
    loop(e3);
    FakeSocket socket = accept(session);
    Await.until(() -> socket.tags().size() >= 2, "held events delivered");
    Entry e4 = add("e4");
    loop(e4);
    assertEquals(List.of("e2", "e3", "e4"), socket.tags());
  }

  /**
   * The socket is connected (the server resolves it) before the held events are handed over: an
   * event coming then must wait for them, not overtake them.
   */
  @Test
  void anEventBetweenTheReturnAndTheHandOverDoesNotOvertakeTheHeldOnes() {
    Entry e0 = add("e0");
    loop(e0);
    RecoverySession session = restore(e0.id);
    Entry e1 = add("e1");
    loop(e1);
    adapter.addAll(SID, session.rooms());
    FakeSocket socket = new FakeSocket();
    host.sockets.put(SID, socket);
    Entry e2 = add("e2");
    loop(e2);
    adapter.addAll(SID, Set.of(SID));
    Await.until(() -> host.released(), "released");
    assertEquals(List.of("e1", "e2"), socket.tags());
  }

  @Test
  void anEventForOtherRoomsIsNotHeldForTheSocket() {
    Entry e0 = add("e0");
    loop(e0);
    RecoverySession session = restore(e0.id);
    String data =
        "{\"packet\":{\"type\":2,\"data\":[\"tick\",\"x\"]},"
            + "\"opts\":{\"rooms\":[\"elsewhere\"],\"except\":[],\"flags\":{}}}";
    String id =
        (String)
            redis.command(
                "XADD",
                "socket.io",
                "*",
                "uid",
                "another-node-uid",
                "nsp",
                "/",
                "type",
                "3",
                "data",
                data);
    loop(new Entry(id, Map.of("uid", "another-node-uid", "nsp", "/", "type", "3", "data", data)));
    FakeSocket socket = accept(session);
    Await.until(() -> host.released(), "released");
    Entry e1 = add("e1");
    loop(e1);
    assertEquals(List.of("e1"), socket.tags());
  }

  // ---- a namespace without a server ----------------------------------------------------------

  private static final class Host implements AdapterHost {
    final Map<String, FakeSocket> sockets = new ConcurrentHashMap<>();
    final ScheduledExecutorService scheduler;
    final AtomicLong ackIds = new AtomicLong();
    RedisStreamsAdapter adapter;

    Host(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
    }

    /** Whether the held events were handed over (the release runs on the scheduler). */
    boolean released() {
      try {
        return scheduler.submit(() -> true).get();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public String name() {
      return "/";
    }

    @Override
    public String serverId() {
      return "0123456789abcdef";
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
    public SioParser parser() {
      return SioParser.json();
    }

    @Override
    public void onServerSideEmit(ArrayNode packet) {}

    @Override
    public void onServerSideEmit(ArrayNode packet, Consumer<JsonNode> ack) {}

    @Override
    public Optional<Duration> maxDisconnectionDuration() {
      return Optional.of(Duration.ofMinutes(2));
    }
  }

  private static final class FakeSocket implements SocketHandle {
    private final List<ArrayNode> packets = new ArrayList<>();

    @Override
    public String id() {
      return SID;
    }

    @Override
    public synchronized void deliver(
        SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags) {
      packets.add((ArrayNode) packet.data().orElseThrow());
    }

    @Override
    public void deliverWithAck(
        SioPacket packet,
        EncodedSioPacket encoded,
        BroadcastFlags flags,
        Consumer<ArrayNode> onAck) {
      deliver(packet, encoded, flags);
    }

    @Override
    public void join(Collection<String> rooms) {}

    @Override
    public void leave(Collection<String> rooms) {}

    @Override
    public void disconnect(boolean close) {}

    @Override
    public SocketDetails details() {
      return new SocketDetails(SID, F.objectNode(), Set.of(), F.objectNode());
    }

    synchronized List<ArrayNode> packets() {
      return List.copyOf(packets);
    }

    List<String> tags() {
      return RecoveryOrderTest.tags(packets());
    }
  }
}
