package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DisconnectTest extends ServerTestSupport {

  /** Records every socket's disconnecting (with its rooms) and disconnect, per namespace. */
  private static void record(Namespace nsp, LineLog ev) {
    nsp.onConnection(
        s -> {
          s.join("r");
          s.onDisconnecting(r -> ev.add("disconnecting:" + nsp.name() + ":" + r + ":" + rooms(s)));
          s.onDisconnect(
              r ->
                  ev.add(
                      "disconnect:" + nsp.name() + ":" + r + ":" + rooms(s) + ":" + s.connected()));
        });
  }

  private static String rooms(Socket s) {
    TreeSet<String> r = new TreeSet<>(s.rooms());
    r.remove(s.id());
    return r.toString() + (s.rooms().contains(s.id()) ? "+own" : "");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void serverNamespaceDisconnectSendsDisconnectAndKeepsTheConnection(Transport kind) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    EngineIoWireClient c = client(io, kind);
    String id = c.connect();
    socketOf(io, id).disconnect();
    assertEquals("41", c.nextText());
    assertEquals("disconnecting:/:server namespace disconnect:[r]+own", ev.await("disconnecting:"));
    assertEquals("disconnect:/:server namespace disconnect:[]:false", ev.await("disconnect:"));
    c.connect();
  }

  @Test
  void disconnectWithCloseLeavesEveryNamespaceThenClosesTheConnection() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    record(io.of("/admin"), ev);
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    String id = c.connect();
    c.connect("/admin");
    socketOf(io, id).disconnect(true);
    List<String> packets = List.of(c.nextText(), c.nextText());
    assertEquals(List.of("41", "41/admin,"), packets.stream().sorted().toList());
    c.awaitClosed();
    List<String> reasons = List.of(ev.await("disconnect:/:"), ev.await("disconnect:/admin:"));
    assertEquals(
        List.of(
            "disconnect:/:server namespace disconnect:[]:false",
            "disconnect:/admin:server namespace disconnect:[]:false"),
        reasons);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void clientNamespaceDisconnect(Transport kind) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.of("/admin"), ev);
    EngineIoWireClient c = client(io, kind);
    c.connect("/admin");
    c.send("41/admin,");
    assertEquals(
        "disconnecting:/admin:client namespace disconnect:[r]+own", ev.await("disconnecting:"));
    assertEquals("disconnect:/admin:client namespace disconnect:[]:false", ev.await("disconnect:"));
    c.connect("/admin");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void clientGoingAwayIsTransportClose(Transport kind) {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    EngineIoWireClient c = client(io, kind);
    c.connect();
    c.close();
    assertEquals("disconnecting:/:transport close:[r]+own", ev.await("disconnecting:"));
    assertEquals("disconnect:/:transport close:[]:false", ev.await("disconnect:"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void missingPongIsPingTimeout(Transport kind) {
    SocketIoServer io =
        server(
            b ->
                b.engine(
                    EngineIoOptions.builder()
                        .pingInterval(Duration.ofMillis(100))
                        .pingTimeout(Duration.ofMillis(100))
                        .build()));
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    EngineIoWireClient c = client(io, kind);
    c.autoPong(false);
    c.connect();
    assertEquals("disconnect:/:ping timeout:[]:false", ev.await("disconnect:"));
  }

  @Test
  void invalidPacketClosesThatConnectionOnlyWithForcedClose() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    io.onConnection(
        s -> {
          s.onError(e -> ev.add("error:" + e.getClass().getSimpleName()));
          s.on("echo", (args, ack) -> ack.send(args.toArray()));
        });
    EngineIoWireClient bad = client(io, Transport.WEBSOCKET);
    EngineIoWireClient good = client(io, Transport.POLLING);
    bad.connect();
    good.connect();
    bad.send("42{}");
    bad.awaitClosed();
    assertEquals("error:SocketIoParseException", ev.await("error:"));
    assertEquals("disconnect:/:forced close:[]:false", ev.await("disconnect:"));
    good.send("421[\"echo\",\"ok\"]");
    assertEquals("431[\"ok\"]", good.nextText());
  }

  @Test
  void reservedEventNameFromTheClientClosesTheConnection() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    EngineIoWireClient c = client(io, Transport.POLLING);
    c.connect();
    c.send("42[\"disconnect\"]");
    c.awaitClosed();
    assertEquals("disconnect:/:forced close:[]:false", ev.await("disconnect:"));
  }

  @Test
  void unicodeEscapeWithNonAsciiDigitsClosesTheConnectionLikeJsonParse() {
    // JSON.parse rejects "\\u" followed by anything but four ASCII hex digits, so the reference's
    // decoder throws and the connection closes; Jackson alone would read U+ABCD here.
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    io.sockets().onConnection(s -> s.on("e", (args, ack) -> ev.add("event:" + args.toArray()[0])));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect();
    c.send("42[\"e\",\"\\u\u0661\u0662\u0663\u0664\"]");
    c.awaitClosed();
    assertEquals("disconnect:/:forced close:[]:false", ev.await("disconnect:"));
    assertTrue(ev.lines("event:").isEmpty(), ev.lines().toString());
  }

  @Test
  void invalidBinarySequenceClosesTheConnection() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect();
    c.send(new byte[] {1, 2});
    c.awaitClosed();
    assertEquals("disconnect:/:forced close:[]:false", ev.await("disconnect:"));
  }

  @Test
  void invalidEngineIoPacketIsParseError() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect();
    c.send("9");
    assertEquals("disconnect:/:parse error:[]:false", ev.await("disconnect:"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void closeGivesEverySocketItsDisconnectAndReleasesThePort(Transport kind) throws Exception {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    record(io.sockets(), ev);
    record(io.of("/admin"), ev);
    EngineIoWireClient a = client(io, kind);
    EngineIoWireClient b = client(io, kind);
    a.connect();
    a.connect("/admin");
    b.connect();
    int port = io.port();
    join(io.close());
    assertEquals(3, ev.lines("disconnect:").size(), ev.lines().toString());
    for (String line : ev.lines("disconnect:")) {
      assertTrue(line.contains(":server shutting down:[]:false"), line);
    }
    a.awaitClosed();
    b.awaitClosed();
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    }
  }

  @Test
  void connectionThatJoinsNoNamespaceIsClosedAfterConnectTimeout() {
    SocketIoServer io = server(b -> b.connectTimeout(Duration.ofMillis(200)));
    EngineIoWireClient idle = client(io, Transport.WEBSOCKET);
    EngineIoWireClient joined = client(io, Transport.POLLING);
    joined.connect();
    idle.awaitClosed();
    joined.assertSilentFor(QUIET);
    assertTrue(!joined.isClosed());
  }

  @Test
  void refusedConnectionIsStillClosedAfterConnectTimeout() {
    SocketIoServer io = server(b -> b.connectTimeout(Duration.ofMillis(200)));
    io.use((s, next) -> next.fail("no"));
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.send("40");
    assertEquals("44{\"message\":\"no\"}", c.nextText());
    c.awaitClosed();
  }
}
