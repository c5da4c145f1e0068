package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NamespaceTest extends ServerTestSupport {

  @ParameterizedTest
  @EnumSource(Transport.class)
  void connectToMainNamespaceIsAnsweredWithANewSocketId(Transport kind) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> ev.add("connection:" + s.id() + ":" + s.handshake().auth() + ":" + s.rooms()));
    EngineIoWireClient c = client(io, kind);
    c.send("40");
    String reply = c.nextText();
    assertTrue(reply.matches("40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}"), reply);
    String id = EngineIoWireClient.sidOf(reply);
    assertNotEquals(c.sid(), id, "the socket id is not the Engine.IO session id");
    assertEquals("connection:" + id + ":{}:[" + id + "]", ev.await("connection:"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void connectToStaticNamespaceCarriesAuth(Transport kind) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.of("/admin").onConnection(s -> ev.add("admin:" + s.handshake().auth().path("token")));
    EngineIoWireClient c = client(io, kind);
    c.send("40/admin,{\"token\":\"123\"}");
    String reply = c.nextText();
    assertTrue(reply.matches("40/admin,\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}"), reply);
    assertEquals("admin:\"123\"", ev.await("admin:"));
    assertSame(io.of("/admin"), io.of("admin"), "the same namespace object each time");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void handshakeDescribesTheFirstRequest(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient c =
        EngineIoWireClient.open(io.port(), io.options().path(), kind, "&token=x");
    try {
      c.send("40{\"a\":1}");
      Handshake h = socketOf(io, EngineIoWireClient.sidOf(c.nextText())).handshake();
      assertEquals("x", h.query().get("token"));
      assertEquals("4", h.query().get("EIO"));
      assertEquals("127.0.0.1", h.address());
      assertEquals(1, h.auth().path("a").asInt());
      assertTrue(h.url().startsWith("/socket.io/?EIO=4&token=x&transport="), h.url());
      assertTrue(h.headers().containsKey("host"), h.headers().toString());
      assertEquals(false, h.xdomain());
      assertEquals(false, h.secure());
      assertTrue(Math.abs(System.currentTimeMillis() - h.issued()) < 60_000);
      var json = h.toJson();
      assertEquals("x", json.path("query").path("token").asText());
      assertTrue(json.path("time").asText().endsWith("GMT+0000 (Coordinated Universal Time)"));
    } finally {
      c.abort();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void unknownNamespaceIsConnectErrorAndTheConnectionStaysOpen(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, kind);
    c.send("40/random");
    assertEquals("44/random,{\"message\":\"Invalid namespace\"}", c.nextText());
    c.connect();
  }

  @Test
  void namespacesAreIsolated() {
    SocketIoServer io = server();
    io.of("/admin");
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect("/");
    c.connect("/admin");
    io.of("/admin").emit("news", "a");
    assertEquals("42/admin,[\"news\",\"a\"]", c.nextText());
    io.emit("news", "m");
    assertEquals("42[\"news\",\"m\"]", c.nextText());
    c.assertSilentFor(QUIET);
  }

  @Test
  void dynamicNamespaceByRegexCopiesParentMiddlewaresAndListeners() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onNewNamespace(n -> ev.add("new:" + n.name()));
    ParentNamespace parent = io.of(Pattern.compile("/dyn-\\d+"));
    parent.use(
        (s, next) -> {
          ev.add("mw:" + s.namespace().name());
          next.proceed();
        });
    parent.onConnection(s -> ev.add("connection:" + s.namespace().name()));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect("/dyn-1");
    assertEquals("new:/dyn-1", ev.await("new:"));
    assertEquals("mw:/dyn-1", ev.await("mw:"));
    assertEquals("connection:/dyn-1", ev.await("connection:"));
    c.send("40/dyn-x");
    assertEquals("44/dyn-x,{\"message\":\"Invalid namespace\"}", c.nextText());
    assertEquals(List.of("/dyn-1"), parent.children().stream().map(Namespace::name).toList());
    assertSame(parent.children().get(0), io.of("/dyn-1"));
  }

  @Test
  void dynamicNamespaceByMatcherSeesTheAuthPayload() {
    SocketIoServer io = server();
    io.of((name, auth) -> name.startsWith("/t-") && auth.path("ok").asBoolean());
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.send("40/t-1,{\"ok\":false}");
    assertEquals("44/t-1,{\"message\":\"Invalid namespace\"}", c.nextText());
    c.send("40/t-1,{\"ok\":true}");
    assertTrue(c.nextText().startsWith("40/t-1,{\"sid\":"));
  }

  @Test
  void emitOnTheParentReachesEveryChild() {
    SocketIoServer io = server();
    ParentNamespace parent = io.of(Pattern.compile("/dyn-\\d+"));
    parent.use(
        (s, next) -> {
          s.join("r");
          next.proceed();
        });
    EngineIoWireClient a = client(io, Transport.WEBSOCKET);
    EngineIoWireClient b = client(io, Transport.POLLING);
    a.connect("/dyn-1");
    b.connect("/dyn-2");
    EngineIoWireClient main = client(io, Transport.WEBSOCKET);
    main.connect();
    parent.emit("hi", 1);
    assertEquals("42/dyn-1,[\"hi\",1]", a.nextText());
    assertEquals("42/dyn-2,[\"hi\",1]", b.nextText());
    parent.emitTo(java.util.Set.of("r"), "room", 2);
    assertEquals("42/dyn-1,[\"room\",2]", a.nextText());
    assertEquals("42/dyn-2,[\"room\",2]", b.nextText());
    main.assertSilentFor(QUIET);
  }

  @Test
  void emptyChildNamespaceIsRemovedWhenCleanupIsOn() {
    SocketIoServer io = server(b -> b.cleanupEmptyChildNamespaces(true));
    ParentNamespace parent = io.of(Pattern.compile("/dyn-\\d+"));
    LineLog ev = new LineLog();
    parent.onConnection(s -> s.onDisconnect(r -> ev.add("disconnect:" + r)));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect("/dyn-1");
    assertEquals(1, parent.children().size());
    c.send("41/dyn-1,");
    assertEquals("disconnect:client namespace disconnect", ev.await("disconnect:"));
    assertEquals(List.of(), parent.children());
    // Asking again creates a fresh child.
    c.connect("/dyn-1");
    assertEquals(1, parent.children().size());
  }

  @Test
  void emptyChildNamespaceIsKeptByDefault() {
    SocketIoServer io = server();
    ParentNamespace parent = io.of(Pattern.compile("/dyn-\\d+"));
    LineLog ev = new LineLog();
    parent.onConnection(s -> s.onDisconnect(r -> ev.add("disconnect:" + r)));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect("/dyn-1");
    c.send("41/dyn-1,");
    ev.await("disconnect:");
    assertEquals(1, parent.children().size());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void packetForANamespaceNotJoinedClosesTheConnection(Transport kind) {
    SocketIoServer io = server();
    io.of("/admin");
    EngineIoWireClient c = client(io, kind);
    c.connect();
    c.send("42/admin,[\"x\"]");
    c.awaitClosed();
  }

  @Test
  void secondConnectForTheSameNamespaceClosesTheConnection() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(s -> s.onDisconnect(r -> ev.add("disconnect:" + r)));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect();
    c.send("40");
    c.awaitClosed();
    assertEquals("disconnect:forced close", ev.await("disconnect:"));
  }
}
