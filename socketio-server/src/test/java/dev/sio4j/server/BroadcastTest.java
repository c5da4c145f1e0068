package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BroadcastTest extends ServerTestSupport {

  /** Clients a (in r1), b (in r2), c (in r1 and r2), d (in none), each joined by its auth. */
  private record Four(
      EngineIoWireClient a, EngineIoWireClient b, EngineIoWireClient c, EngineIoWireClient d) {}

  private Four four(SocketIoServer io, Transport kind) {
    // Joined in a middleware: done before the CONNECT answer the test waits for.
    io.use(
        (s, next) -> {
          for (var room : s.handshake().auth().path("rooms")) {
            s.join(room.asText());
          }
          next.proceed();
        });
    EngineIoWireClient a = client(io, kind);
    EngineIoWireClient b = client(io, kind);
    EngineIoWireClient c = client(io, kind);
    EngineIoWireClient d = client(io, kind);
    a.send("40{\"rooms\":[\"r1\"]}");
    b.send("40{\"rooms\":[\"r2\"]}");
    c.send("40{\"rooms\":[\"r1\",\"r2\"]}");
    d.send("40");
    for (EngineIoWireClient x : List.of(a, b, c, d)) {
      x.nextText();
    }
    return new Four(a, b, c, d);
  }

  private static void silent(EngineIoWireClient... clients) {
    for (EngineIoWireClient c : clients) {
      c.assertSilentFor(Duration.ofMillis(100));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void roomsAreAUnionAndEachSocketGetsThePacketOnce(Transport kind) {
    SocketIoServer io = server();
    Four f = four(io, kind);
    io.to("r1").to("r2").emit("u", 1);
    assertEquals("42[\"u\",1]", f.a.nextText());
    assertEquals("42[\"u\",1]", f.b.nextText());
    assertEquals("42[\"u\",1]", f.c.nextText());
    io.in("r1", "r2").emit("u", 2);
    assertEquals("42[\"u\",2]", f.a.nextText());
    assertEquals("42[\"u\",2]", f.b.nextText());
    assertEquals("42[\"u\",2]", f.c.nextText());
    silent(f.a, f.b, f.c, f.d);
  }

  @Test
  void exceptSubtractsTheMembersOfEveryExceptRoom() {
    SocketIoServer io = server();
    Four f = four(io, Transport.WEBSOCKET);
    io.to("r1").except("r2").emit("x");
    assertEquals("42[\"x\"]", f.a.nextText());
    silent(f.b, f.c, f.d);
    io.except("r1").emit("y");
    assertEquals("42[\"y\"]", f.b.nextText());
    assertEquals("42[\"y\"]", f.d.nextText());
    silent(f.a, f.c);
    io.except("r1").except("r2").emit("z");
    assertEquals("42[\"z\"]", f.d.nextText());
    silent(f.a, f.b, f.c);
  }

  @Test
  void broadcastFromASocketExcludesTheSender() {
    SocketIoServer io = server();
    io.use(
        (s, next) -> {
          s.join("r1");
          next.proceed();
        });
    EngineIoWireClient a = client(io, Transport.WEBSOCKET);
    EngineIoWireClient b = client(io, Transport.POLLING);
    AtomicReference<Socket> sender = new AtomicReference<>(socketOf(io, a.connect()));
    b.connect();
    sender.get().broadcast().emit("all-but-me");
    assertEquals("42[\"all-but-me\"]", b.nextText());
    sender.get().to("r1").emit("room-but-me");
    assertEquals("42[\"room-but-me\"]", b.nextText());
    sender.get().in("r1").emit("in-but-me");
    assertEquals("42[\"in-but-me\"]", b.nextText());
    sender.get().except("nothing").emit("except-but-me");
    assertEquals("42[\"except-but-me\"]", b.nextText());
    // An explicit room with the sender's own id does not bring it back.
    sender.get().to(sender.get().id()).emit("self");
    a.assertSilentFor(QUIET);
    b.assertSilentFor(Duration.ZERO);
  }

  @Test
  void reservedEventNamesAreRejectedEverywhere() {
    SocketIoServer io = server();
    AtomicReference<Socket> socket = new AtomicReference<>();
    io.onConnection(socket::set);
    connected(io, Transport.WEBSOCKET);
    awaitCondition(() -> socket.get() != null, "connected");
    for (String name :
        List.of(
            "connect",
            "connect_error",
            "disconnect",
            "disconnecting",
            "newListener",
            "removeListener")) {
      assertThrows(IllegalArgumentException.class, () -> io.emit(name));
      assertThrows(IllegalArgumentException.class, () -> io.to("r").emit(name));
      assertThrows(IllegalArgumentException.class, () -> socket.get().emit(name));
      assertThrows(IllegalArgumentException.class, () -> socket.get().broadcast().emit(name));
      assertThrows(
          IllegalArgumentException.class, () -> socket.get().timeout(WAIT).emitWithAck(name));
      assertThrows(IllegalArgumentException.class, () -> io.timeout(WAIT).emitWithAck(name));
    }
  }

  @Test
  void serverSideEmitReservesTheServerLevelEventNames() {
    SocketIoServer io = server();
    for (String name : List.of("connect", "connection", "new_namespace")) {
      assertThrows(IllegalArgumentException.class, () -> io.serverSideEmit(name));
    }
    // A no-op with the in-memory adapter (no other node), null arguments included.
    io.serverSideEmit("disconnect", (Object) null);
    io.serverSideEmit("sync", 1, null, "x");
  }

  // ---- volatile and compress, seen on a hand-driven polling session --------------------------

  /** A polling session whose GETs the test sends itself, so it knows when none is pending. */
  private static final class ManualPolling {
    final String url;

    ManualPolling(SocketIoServer io) {
      String base = "http://127.0.0.1:" + io.port() + "/socket.io/?EIO=4&transport=polling";
      String open = Http.text(Http.get(base));
      this.url = base + "&sid=" + EngineIoWireClient.sidOf(open);
    }

    void post(String body) {
      assertEquals("ok", Http.text(Http.post(url, body)));
    }

    HttpResponse<byte[]> get(String... headers) {
      return Http.get(url, headers);
    }

    String getText() {
      return Http.text(get());
    }
  }

  @Test
  void volatilePacketsAreDroppedWhileTheTransportIsNotWritable() {
    SocketIoServer io = server();
    ManualPolling p = new ManualPolling(io);
    p.post("40");
    String connect = p.getText();
    AtomicReference<Socket> socket =
        new AtomicReference<>(socketOf(io, EngineIoWireClient.sidOf(connect)));
    assertEquals("40{\"sid\":\"" + socket.get().id() + "\"}", connect);
    // No GET is pending now: volatile emits are dropped, others buffered.
    io.volatile_().emit("v1");
    socket.get().volatile_().emit("v2");
    io.emit("kept", 1);
    socket.get().emit("kept", 2);
    assertEquals("42[\"kept\",1]\u001e42[\"kept\",2]", p.getText());
  }

  @Test
  void volatilePacketsGoOutWhenTheTransportIsWritable() {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    AtomicReference<Socket> socket = new AtomicReference<>(socketOf(io, c.connect()));
    io.volatile_().emit("v", 1);
    assertEquals("42[\"v\",1]", c.nextText());
    socket.get().volatile_().emit("v", 2);
    assertEquals("42[\"v\",2]", c.nextText());
  }

  @Test
  void compressFalseKeepsAPollingResponseUncompressed() {
    SocketIoServer io =
        server(b -> b.engine(EngineIoOptions.builder().httpCompression(true, 0).build()));
    ManualPolling p = new ManualPolling(io);
    p.post("40");
    AtomicReference<Socket> socket =
        new AtomicReference<>(socketOf(io, EngineIoWireClient.sidOf(p.getText())));
    String big = "x".repeat(2000);
    io.compress(false).emit("big", big);
    HttpResponse<byte[]> plain = p.get("Accept-Encoding", "gzip");
    assertNull(plain.headers().firstValue("Content-Encoding").orElse(null));
    assertEquals("42[\"big\",\"" + big + "\"]", new String(plain.body()));
    socket.get().compress(true).emit("big", big);
    HttpResponse<byte[]> gz = p.get("Accept-Encoding", "gzip");
    assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(null));
    socket.get().compress(false).emit("small", Map.of());
    assertNull(
        p.get("Accept-Encoding", "gzip").headers().firstValue("Content-Encoding").orElse(null));
  }
}
