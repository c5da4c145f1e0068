package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.adapter.RoomListener;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoomsTest extends ServerTestSupport {

  @Test
  void socketIsInItsOwnRoomAndJoinsAndLeavesOthers() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          ev.add("initial:" + s.rooms().equals(Set.of(s.id())));
          s.join("a", "b");
          ev.add("joined:" + others(s));
          s.leave("a");
          ev.add("left:" + others(s));
          s.onDisconnect(
              r -> {
                ev.add("after:" + s.rooms());
                s.join("late");
                ev.add("late:" + s.rooms() + ":" + io.sockets().adapter().rooms());
              });
        });
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    assertEquals(
        List.of("initial:true", "joined:[a, b]", "left:[b]"),
        List.of(ev.await("initial:"), ev.await("joined:"), ev.await("left:")));
    c.send("41");
    assertEquals("after:[]", ev.await("after:"));
    assertEquals("late:[]:[]", ev.await("late:"), "join after the disconnection is a no-op");
  }

  private static Set<String> others(Socket s) {
    TreeSet<String> rooms = new TreeSet<>(s.rooms());
    rooms.remove(s.id());
    return rooms;
  }

  @Test
  void joinFromAnotherThreadTakesEffectBeforeTheNextBroadcastOfThatThread() {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    Socket s = socketOf(io, c.connect());
    for (int i = 0; i < 20; i++) {
      s.join("r" + i);
      io.to("r" + i).emit("in", i);
      assertEquals("42[\"in\"," + i + "]", c.nextText());
      s.leave("r" + i);
      io.to("r" + i).emit("out", i);
    }
    c.assertSilentFor(QUIET);
  }

  @Test
  void adapterReportsRoomLifecycle() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.join("r");
          s.leave("r");
          s.join("q");
        });
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    String[] id = new String[1];
    io.sockets()
        .adapter()
        .addListener(
            new RoomListener() {
              @Override
              public void onCreateRoom(String room) {
                ev.add("create-room:" + name(room));
              }

              @Override
              public void onDeleteRoom(String room) {
                ev.add("delete-room:" + name(room));
              }

              @Override
              public void onJoinRoom(String room, String socketId) {
                ev.add("join-room:" + name(room));
              }

              @Override
              public void onLeaveRoom(String room, String socketId) {
                ev.add("leave-room:" + name(room));
              }

              private String name(String room) {
                return room.length() == 20 ? "<id>" : room;
              }
            });
    id[0] = c.connect();
    c.send("41");
    ev.await("delete-room:q");
    ev.await("delete-room:<id>");
    assertEquals(
        List.of(
            "create-room:<id>",
            "join-room:<id>",
            "create-room:r",
            "join-room:r",
            "leave-room:r",
            "delete-room:r",
            "create-room:q",
            "join-room:q",
            "leave-room:<id>",
            "delete-room:<id>",
            "leave-room:q",
            "delete-room:q"),
        sortedTail(ev.lines()));
  }

  /** The last four lines (leaving on disconnect) come in the adapter's set order; sort them. */
  private static List<String> sortedTail(List<String> lines) {
    List<String> head = lines.subList(0, 8);
    List<String> tail = lines.subList(8, lines.size());
    List<String> pairs =
        List.of(
            tail.get(0) + "|" + tail.get(1),
            tail.size() > 3 ? tail.get(2) + "|" + tail.get(3) : "");
    List<String> sorted = pairs.stream().sorted(RoomsTest::idFirst).toList();
    List<String> out = new java.util.ArrayList<>(head);
    for (String p : sorted) {
      out.addAll(List.of(p.split("\\|")));
    }
    return out;
  }

  private static int idFirst(String a, String b) {
    return Boolean.compare(!a.contains("<id>"), !b.contains("<id>"));
  }

  @Test
  void fetchSocketsHonoursInAndExceptAndShowsData() {
    SocketIoServer io = server();
    // Set in a middleware, so that it is in place before the CONNECT answer leaves.
    io.use(
        (s, next) -> {
          String who = s.handshake().auth().path("who").asText();
          s.data().put("who", who);
          s.join(
              who.equals("a") ? List.of("r1") : who.equals("b") ? List.of("r1", "r2") : List.of());
          next.proceed();
        });
    EngineIoWireClient a = client(io, Transport.WEBSOCKET);
    EngineIoWireClient b = client(io, Transport.POLLING);
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    a.send("40{\"who\":\"a\"}");
    b.send("40{\"who\":\"b\"}");
    c.send("40{\"who\":\"c\"}");
    a.nextText();
    b.nextText();
    c.nextText();
    assertEquals("[a, b, c]", whos(io.fetchSockets()));
    assertEquals("[a, b]", whos(io.in("r1").fetchSockets()));
    assertEquals("[a]", whos(io.in("r1").except("r2").fetchSockets()));
    assertEquals("[c]", whos(io.except("r1").fetchSockets()));
    RemoteSocket rb = join(io.in("r2").fetchSockets()).get(0);
    assertEquals("b", rb.handshake().path("auth").path("who").asText());
    assertTrue(rb.rooms().containsAll(Set.of("r1", "r2", rb.id())));
    rb.emit("hello", "b");
    assertEquals("42[\"hello\",\"b\"]", b.nextText());
  }

  private static String whos(CompletableFuture<List<RemoteSocket>> sockets) {
    return join(sockets).stream()
        .map(s -> s.data().path("who").asText())
        .sorted()
        .collect(Collectors.toList())
        .toString();
  }

  @Test
  void socketsJoinLeaveAndDisconnectApplyToTheTargetedSockets() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.use(
        (s, next) -> {
          if (s.handshake().auth().path("vip").asBoolean()) {
            s.join("vip");
          }
          next.proceed();
        });
    io.onConnection(s -> s.onDisconnect(r -> ev.add("disconnect:" + r)));
    EngineIoWireClient vip = client(io, Transport.WEBSOCKET);
    EngineIoWireClient other = client(io, Transport.WEBSOCKET);
    vip.send("40{\"vip\":true}");
    vip.nextText();
    other.connect();

    io.in("vip").socketsJoin("lounge");
    awaitCondition(() -> io.sockets().adapter().sockets(Set.of("lounge")).size() == 1, "joined");
    io.to("lounge").emit("in-lounge");
    assertEquals("42[\"in-lounge\"]", vip.nextText());
    io.except("vip").socketsJoin("lounge");
    awaitCondition(() -> io.sockets().adapter().sockets(Set.of("lounge")).size() == 2, "joined");
    io.in("vip").socketsLeave("lounge");
    awaitCondition(() -> io.sockets().adapter().sockets(Set.of("lounge")).size() == 1, "left");
    io.to("lounge").emit("in-lounge");
    assertEquals("42[\"in-lounge\"]", other.nextText());
    vip.assertSilentFor(QUIET);

    io.in("vip").disconnectSockets(false);
    assertEquals("41", vip.nextText());
    assertEquals("disconnect:server namespace disconnect", ev.await("disconnect:"));
    // The connection stays open without close; with close it ends.
    vip.connect();
    io.except("vip").disconnectSockets(true);
    assertEquals("41", other.nextText());
    other.awaitClosed();
    assertEquals("disconnect:server namespace disconnect", ev.await("disconnect:"));
  }
}
