package dev.sio4j.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemorySessionStoreTest {
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final LocalRooms rooms = new LocalRooms();
  private final InMemorySessionStore store =
      new InMemorySessionStore(rooms, Duration.ofSeconds(60), 5, now::get);
  private final List<SioPacket> delivered = new ArrayList<>();

  @Test
  void eventsGetAnOffsetAsTheirLastArgument() {
    SioPacket sent = broadcast(BroadcastOptions.ALL, "hello", "world");
    ArrayNode data = (ArrayNode) sent.data().orElseThrow();
    assertEquals(3, data.size());
    assertEquals("hello", data.get(0).asText());
    assertEquals("world", data.get(1).asText());
    assertTrue(data.get(2).isTextual());
    assertEquals(1, store.loggedPackets());
  }

  @Test
  void packetsWithAckOrVolatileAreNeitherLoggedNorChanged() {
    SioPacket withAck = SioPacket.event("/", args("q"), 7);
    store.logAndDeliver(withAck, BroadcastOptions.ALL, delivered::add);
    SioPacket plain = SioPacket.event("/", args("v"));
    BroadcastOptions volatileAll =
        BroadcastOptions.ALL.withFlags(BroadcastFlags.DEFAULT.withVolatile(true));
    store.logAndDeliver(plain, volatileAll, delivered::add);
    assertSame(withAck, delivered.get(0));
    assertSame(plain, delivered.get(1));
    assertEquals(0, store.loggedPackets());
  }

  @Test
  void restoreReturnsThePacketsMissedInTheSessionsRoomsAndRejoinsThem() {
    String offset = offsetOf(broadcast(BroadcastOptions.ALL, "seen"));
    store.persist(session("sid", "pid", Set.of("sid", "r1")));
    broadcast(BroadcastOptions.ALL, "to-all");
    broadcast(new BroadcastOptions(Set.of("r1"), Set.of(), BroadcastFlags.DEFAULT), "to-r1");
    broadcast(new BroadcastOptions(Set.of("r2"), Set.of(), BroadcastFlags.DEFAULT), "to-r2");
    broadcast(new BroadcastOptions(Set.of(), Set.of("r1"), BroadcastFlags.DEFAULT), "not-r1");

    RecoverySession restored = store.restore("pid", offset).join().orElseThrow();
    assertEquals("sid", restored.sid());
    List<String> missed = new ArrayList<>();
    restored.missedPackets().forEach(p -> missed.add(p.get(0).asText()));
    assertEquals(List.of("to-all", "to-r1"), missed);
    assertEquals(Optional.of(Set.of("sid", "r1")), rooms.socketRooms("sid"));
    // A session is restored once.
    assertEquals(Optional.empty(), store.restore("pid", offset).join());
  }

  @Test
  void unknownExpiredOrTooOldSessionsAreNotRestored() {
    String offset = offsetOf(broadcast(BroadcastOptions.ALL, "first"));
    assertEquals(Optional.empty(), store.restore("nobody", offset).join());

    store.persist(session("s1", "p1", Set.of("s1")));
    assertEquals(Optional.empty(), store.restore("p1", "not-an-offset").join());

    store.persist(session("s2", "p2", Set.of("s2")));
    now.addAndGet(60_001);
    assertEquals(Optional.empty(), store.restore("p2", offset).join());
    assertEquals(Optional.empty(), rooms.socketRooms("s2"));
  }

  @Test
  void theLogKeepsAtMostMaxPacketsOldestDroppedFirst() {
    String first = offsetOf(broadcast(BroadcastOptions.ALL, "e0"));
    for (int i = 1; i <= 5; i++) {
      broadcast(BroadcastOptions.ALL, "e" + i);
    }
    assertEquals(5, store.loggedPackets());
    store.persist(session("s", "p", Set.of("s")));
    assertEquals(Optional.empty(), store.restore("p", first).join());
  }

  @Test
  void purgeExpiredDropsOldPacketsAndSessions() {
    broadcast(BroadcastOptions.ALL, "old");
    store.persist(session("s", "p", Set.of("s")));
    now.addAndGet(30_000);
    broadcast(BroadcastOptions.ALL, "newer");
    now.addAndGet(30_001);
    store.purgeExpired();
    assertEquals(1, store.loggedPackets());
    assertEquals(0, store.persistedSessions());
  }

  private SioPacket broadcast(BroadcastOptions options, String event, String... more) {
    ArrayNode a = args(event);
    for (String m : more) {
      a.add(m);
    }
    int before = delivered.size();
    store.logAndDeliver(SioPacket.event("/", a), options, delivered::add);
    assertEquals(before + 1, delivered.size());
    return delivered.get(before);
  }

  private static String offsetOf(SioPacket p) {
    ArrayNode data = (ArrayNode) p.data().orElseThrow();
    return data.get(data.size() - 1).asText();
  }

  private static ArrayNode args(String event) {
    return JsonNodeFactory.instance.arrayNode().add(event);
  }

  private static RecoverySession session(String sid, String pid, Set<String> rooms) {
    return new RecoverySession(sid, pid, rooms, NullNode.getInstance(), List.of());
  }
}
