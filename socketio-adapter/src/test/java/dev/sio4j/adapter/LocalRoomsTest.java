package dev.sio4j.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LocalRoomsTest {
  private final LocalRooms rooms = new LocalRooms();
  private final List<String> events = new ArrayList<>();

  LocalRoomsTest() {
    rooms.addListener(
        new RoomListener() {
          @Override
          public void onCreateRoom(String room) {
            events.add("create:" + room);
          }

          @Override
          public void onDeleteRoom(String room) {
            events.add("delete:" + room);
          }

          @Override
          public void onJoinRoom(String room, String socketId) {
            events.add("join:" + room + ":" + socketId);
          }

          @Override
          public void onLeaveRoom(String room, String socketId) {
            events.add("leave:" + room + ":" + socketId);
          }
        });
  }

  @Test
  void roomsAreCreatedByTheFirstJoinAndDeletedByTheLastLeave() {
    rooms.addAll("s1", List.of("s1", "r"));
    rooms.addAll("s2", List.of("r"));
    rooms.addAll("s2", List.of("r"));
    rooms.del("s1", "r");
    rooms.del("s1", "r");
    rooms.delAll("s2");
    assertEquals(
        List.of(
            "create:s1",
            "join:s1:s1",
            "create:r",
            "join:r:s1",
            "join:r:s2",
            "leave:r:s1",
            "leave:r:s2",
            "delete:r"),
        events);
    assertEquals(Set.of("s1"), rooms.roomNames());
    assertEquals(Optional.of(Set.of("s1")), rooms.socketRooms("s1"));
    assertEquals(Optional.empty(), rooms.socketRooms("s2"));
    assertTrue(rooms.isMember("s1", "s1"));
    assertFalse(rooms.isMember("s2", "r"));
    assertTrue(rooms.hasRoom("s1"));
    assertFalse(rooms.hasRoom("r"));
  }

  @Test
  void socketRoomsIsACopy() {
    rooms.addAll("s1", List.of("a"));
    Set<String> copy = rooms.socketRooms("s1").orElseThrow();
    rooms.addAll("s1", List.of("b"));
    assertEquals(Set.of("a"), copy);
  }

  @Test
  void targetsAreTheUnionOfRoomsMinusExceptRoomsEachOnce() {
    rooms.addAll("a", List.of("a", "r1"));
    rooms.addAll("b", List.of("b", "r1", "r2"));
    rooms.addAll("c", List.of("c", "r2", "x"));
    rooms.addAll("d", List.of("d"));
    assertEquals("[a, b, c, d]", targets(Set.of(), Set.of()));
    assertEquals("[a, b, d]", targets(Set.of(), Set.of("x")));
    assertEquals("[a, b]", targets(Set.of("r1"), Set.of()));
    assertEquals("[a, b, c]", targets(Set.of("r1", "r2"), Set.of()));
    assertEquals("[a, b]", targets(Set.of("r1", "r2"), Set.of("x")));
    assertEquals("[a]", targets(Set.of("r1", "r2"), Set.of("x", "b")));
    assertEquals("[]", targets(Set.of("nobody"), Set.of()));
  }

  @Test
  void idsTheResolverDoesNotKnowAreSkipped() {
    rooms.addAll("a", List.of("a", "r"));
    rooms.addAll("pending", List.of("r"));
    List<String> seen = new ArrayList<>();
    rooms.forEachTarget(
        new BroadcastOptions(Set.of("r"), Set.of(), BroadcastFlags.DEFAULT),
        id -> id.equals("pending") ? Optional.empty() : Optional.of(id),
        seen::add);
    assertEquals(List.of("a"), seen);
  }

  @Test
  void matchesIsTheRecoveryFilter() {
    BroadcastOptions all = BroadcastOptions.ALL;
    BroadcastOptions r1 = new BroadcastOptions(Set.of("r1"), Set.of(), BroadcastFlags.DEFAULT);
    BroadcastOptions notX = new BroadcastOptions(Set.of(), Set.of("x"), BroadcastFlags.DEFAULT);
    assertTrue(LocalRooms.matches(Set.of("s"), all));
    assertTrue(LocalRooms.matches(Set.of("s", "r1"), r1));
    assertFalse(LocalRooms.matches(Set.of("s"), r1));
    assertFalse(LocalRooms.matches(Set.of("s", "x"), notX));
    assertTrue(LocalRooms.matches(Set.of("s"), notX));
  }

  private String targets(Set<String> in, Set<String> except) {
    TreeSet<String> seen = new TreeSet<>();
    List<String> all = new ArrayList<>();
    rooms.forEachTarget(
        new BroadcastOptions(in, except, BroadcastFlags.DEFAULT),
        Optional::of,
        id -> {
          seen.add(id);
          all.add(id);
        });
    assertEquals(seen.size(), all.size(), "a socket was targeted twice: " + all);
    return seen.toString();
  }
}
