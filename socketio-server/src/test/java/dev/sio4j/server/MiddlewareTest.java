package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MiddlewareTest extends ServerTestSupport {

  @ParameterizedTest
  @EnumSource(Transport.class)
  void refusalWithMessageAndDataIsConnectErrorWithBoth(Transport kind) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.use((s, next) -> next.fail("not allowed", Map.of("code", 42)));
    io.onConnection(s -> ev.add("connection"));
    EngineIoWireClient c = client(io, kind);
    c.send("40");
    assertEquals("44{\"message\":\"not allowed\",\"data\":{\"code\":42}}", c.nextText());
    c.assertSilentFor(QUIET);
    assertEquals(List.of(), ev.lines());
    assertTrue(io.sockets().sockets().isEmpty());
  }

  @Test
  void refusalWithoutDataHasOnlyTheMessage() {
    SocketIoServer io = server();
    io.of("/admin").use((s, next) -> next.fail("no"));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.send("40/admin,");
    assertEquals("44/admin,{\"message\":\"no\"}", c.nextText());
    // The connection stays open: the main namespace is not guarded.
    c.connect();
  }

  @Test
  void roomsJoinedInAMiddlewareAreKeptOnAcceptAndGivenBackOnRefusal() {
    SocketIoServer io = server();
    io.use(
        (s, next) -> {
          s.join("team");
          if (s.handshake().auth().path("ok").asBoolean()) {
            next.proceed();
          } else {
            next.fail("no");
          }
        });
    EngineIoWireClient refused = client(io, Transport.WEBSOCKET);
    refused.send("40");
    assertEquals("44{\"message\":\"no\"}", refused.nextText());
    assertEquals(java.util.Set.of(), io.sockets().adapter().rooms());
    EngineIoWireClient ok = client(io, Transport.WEBSOCKET);
    ok.send("40{\"ok\":true}");
    String id = EngineIoWireClient.sidOf(ok.nextText());
    assertEquals(java.util.Set.of(id, "team"), socketOf(io, id).rooms());
    io.to("team").emit("hi");
    assertEquals("42[\"hi\"]", ok.nextText());
  }

  @Test
  void middlewareThatThrowsRefusesWithTheExceptionMessage() {
    SocketIoServer io = server();
    io.use(
        (s, next) -> {
          throw new IllegalStateException("boom");
        });
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.send("40");
    assertEquals("44{\"message\":\"boom\"}", c.nextText());
  }

  @Test
  void middlewaresRunInOrderOnTheLoopBeforeTheConnection() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.use(
        (s, next) -> {
          ev.add("one:" + s.handshake().auth().path("t").asText());
          s.data().put("user", "ann");
          next.proceed();
        });
    io.use(
        (s, next) -> {
          ev.add("two:" + s.connected() + ":" + s.conn().id().equals(s.conn().id()));
          next.proceed();
        });
    io.of("/admin").use((s, next) -> ev.add("admin-mw"));
    io.onConnection(s -> ev.add("connection:" + s.data().get("user") + ":" + s.connected()));
    EngineIoWireClient c = client(io, Transport.POLLING);
    c.send("40{\"t\":\"x\"}");
    assertTrue(c.nextText().startsWith("40{\"sid\""));
    assertEquals(List.of("one:x", "two:false:true", "connection:ann:true"), ev.lines());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void nextMayBeCalledLaterFromAnotherThread(Transport kind) throws InterruptedException {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    AtomicReference<Middleware.Next> pending = new AtomicReference<>();
    io.use(
        (s, next) -> {
          pending.set(next);
          ev.add("mw:" + Thread.currentThread().getName());
        });
    io.onConnection(s -> ev.add("connection:" + Thread.currentThread().getName()));
    EngineIoWireClient c = client(io, kind);
    c.send("40");
    String loop = ev.await("mw:").substring("mw:".length());
    c.assertSilentFor(QUIET);
    // A thread of its own: CompletableFuture's default pool is a new unnamed thread per task on a
    // machine with two cores, which a check for the pool's name would not tell from the loop.
    Thread other = new Thread(() -> pending.get().proceed(), "other-thread");
    other.start();
    other.join(WAIT.toMillis());
    assertTrue(c.nextText().startsWith("40{\"sid\""));
    String connection = ev.await("connection:");
    assertEquals("connection:" + loop, connection, "the connection ran on the loop");
    // A second call of next is ignored.
    pending.get().fail("late");
    c.assertSilentFor(QUIET);
  }

  @Test
  void asyncRefusalFromAnotherThreadIsConnectError() {
    SocketIoServer io = server();
    io.use((s, next) -> CompletableFuture.runAsync(() -> next.fail("later", List.of(1, "two"))));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.send("40");
    assertEquals("44{\"message\":\"later\",\"data\":[1,\"two\"]}", c.nextText());
  }

  @Test
  void resultOfAMiddlewareIsIgnoredOnceTheConnectionClosed() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    AtomicReference<Middleware.Next> pending = new AtomicReference<>();
    AtomicReference<Socket> socket = new AtomicReference<>();
    io.use(
        (s, next) -> {
          socket.set(s);
          pending.set(next);
          ev.add("mw");
        });
    io.onConnection(s -> ev.add("connection"));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.send("40");
    ev.await("mw");
    c.abort();
    // The server notices the closed WebSocket; then the late proceed must not connect anything.
    awaitCondition(() -> !socket.get().conn().isOpen(), "the server saw the close");
    pending.get().proceed();
    c.assertSilentFor(QUIET);
    assertEquals(List.of("mw"), ev.lines());
    assertTrue(io.sockets().sockets().isEmpty());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void socketMiddlewareSeesEachEventAndMayDropIt(Transport kind) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.onAny((event, args) -> ev.add("any:" + event));
          s.use(
              (event, args, next) -> {
                ev.add("use:" + event + ":" + args.json());
                if (event.equals("forbidden")) {
                  next.fail("not here");
                } else {
                  next.proceed();
                }
              });
          s.onError(e -> ev.add("error:" + e.getMessage()));
          s.on("forbidden", (args, ack) -> ev.add("handler:forbidden"));
          s.on("ok", (args, ack) -> ev.add("handler:ok"));
        });
    EngineIoWireClient c = connected(io, kind);
    c.send("42[\"forbidden\",1]");
    assertEquals("error:not here", ev.await("error:"));
    c.send("42[\"ok\",2]");
    ev.await("handler:ok");
    assertEquals(
        List.of(
            "any:forbidden",
            "use:forbidden:[1]",
            "error:not here",
            "any:ok",
            "use:ok:[2]",
            "handler:ok"),
        ev.lines());
    // The client is not told about the dropped event.
    c.assertSilentFor(QUIET);
  }
}
