package dev.sio4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.socketio.parser.msgpack.MsgpackParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * What the extension leaves behind: fixture classes (nested, so that the build does not run them on
 * their own) are run through the JUnit test kit, and this test looks at the server and clients they
 * used after they finished.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoServerExtensionTest {

  @RegisterExtension
  final SocketIoServerExtension server =
      SocketIoServerExtension.builder()
          .configure(
              io -> {
                ECHO.accept(io);
                io.of("/closed").use((s, next) -> next.fail("not for you", Map.of("code", 7)));
                io.of("/auth")
                    .onConnection(s -> s.on("who", (args, ack) -> ack.send(s.handshake().auth())));
              })
          .build();

  // ---- fixtures, run by the test kit -----------------------------------------------------------

  /** Every socket answers {@code echo} with its arguments. */
  static final Consumer<SocketIoServer> ECHO =
      io -> io.onConnection(s -> s.on("echo", (a, ack) -> ack.send(a.toArray())));

  /** What the fixtures saw, read after they ran. */
  static final List<Integer> ports = new CopyOnWriteArrayList<>();

  static final List<SocketIoClient> clients = new CopyOnWriteArrayList<>();
  static final List<SocketIoWireClient> wires = new CopyOnWriteArrayList<>();

  private static void reset() {
    ports.clear();
    clients.clear();
    wires.clear();
  }

  /** Uses the server it is given and remembers what it got. */
  private static void useServer(SocketIoServerExtension ext) {
    ports.add(ext.port());
    ClientSocket socket = ext.client();
    assertTrue(socket.connected());
    assertEquals("x", Await.join(socket.emitWithAck("echo", "x")).string(0));
    clients.add(socket.client());
    SocketIoWireClient wire = ext.wireClient(Transport.POLLING);
    wire.connect();
    wires.add(wire);
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClassFixture {
    @RegisterExtension
    static final SocketIoServerExtension ext =
        SocketIoServerExtension.builder().configure(ECHO).build();

    @Test
    @Order(1)
    void first() {
      useServer(ext);
    }

    @Test
    @Order(2)
    void second() {
      // The first test's clients are closed; its server is this one, still running.
      assertTrue(clients.get(0).isClosed(), "the first test's client was closed after it");
      assertTrue(wires.get(0).isClosed(), "the first test's wire client was closed after it");
      useServer(ext);
      assertEquals(ports.get(0), ports.get(1));
    }
  }

  /** Two tests, each on a server of its own: the second sees the first one's server gone. */
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  abstract static class ServerPerTestFixture {
    abstract SocketIoServerExtension ext();

    @Test
    @Order(1)
    void first() {
      useServer(ext());
    }

    @Test
    @Order(2)
    void second() {
      assertRefused(ports.get(0));
      useServer(ext());
    }
  }

  static class PerTestFixture extends ServerPerTestFixture {
    @RegisterExtension
    static final SocketIoServerExtension ext =
        SocketIoServerExtension.builder().perTest().configure(ECHO).build();

    @Override
    SocketIoServerExtension ext() {
      return ext;
    }
  }

  static class InstanceFieldFixture extends ServerPerTestFixture {
    @RegisterExtension
    final SocketIoServerExtension ext = SocketIoServerExtension.builder().configure(ECHO).build();

    @Override
    SocketIoServerExtension ext() {
      return ext;
    }
  }

  static class NestedFixture {
    @RegisterExtension
    static final SocketIoServerExtension ext =
        SocketIoServerExtension.builder().configure(ECHO).build();

    @Test
    void outer() {
      useServer(ext);
    }

    @Nested
    class Inner {
      @Test
      void inner() {
        useServer(ext);
      }
    }
  }

  static class FailingFixture {
    @RegisterExtension
    static final SocketIoServerExtension ext =
        SocketIoServerExtension.builder().configure(ECHO).build();

    @Test
    void fails() {
      useServer(ext);
      throw new AssertionError("the test failed");
    }
  }

  private static void run(Class<?> fixture, int tests) {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    List<Throwable> failures =
        results.allEvents().failed().stream()
            .map(e -> e.getPayload(TestExecutionResult.class))
            .flatMap(Optional::stream)
            .flatMap(r -> r.getThrowable().stream())
            .toList();
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError(fixture.getSimpleName() + " failed", failures.get(0));
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
    results.testEvents().assertStatistics(s -> s.started(tests).succeeded(tests));
  }

  private static void assertRefused(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      throw new AssertionError("port " + port + " still accepts connections");
    } catch (IOException expected) {
      // Nothing listens there any more.
    }
  }

  private static void assertEverythingClosed() {
    assertFalse(clients.isEmpty());
    clients.forEach(c -> assertTrue(c.isClosed(), c + " was not closed"));
    wires.forEach(w -> assertTrue(w.isClosed(), w + " was not closed"));
    ports.forEach(SocketIoServerExtensionTest::assertRefused);
  }

  @Test
  void aStaticExtensionServesTheClassWithOneServerAndStopsItAfterwards() {
    reset();
    run(PerClassFixture.class, 2);
    assertEquals(2, ports.size());
    assertEverythingClosed();
  }

  @Test
  void perTestGivesEachTestItsOwnServerStoppedAfterIt() {
    reset();
    run(PerTestFixture.class, 2);
    assertNotEquals(ports.get(0), ports.get(1));
    assertEverythingClosed();
  }

  @Test
  void anInstanceFieldGivesEachTestItsOwnServer() {
    reset();
    run(InstanceFieldFixture.class, 2);
    assertNotEquals(ports.get(0), ports.get(1));
    assertEverythingClosed();
  }

  @Test
  void nestedClassesShareTheOuterServerWhichStopsOnce() {
    reset();
    run(NestedFixture.class, 2);
    assertEquals(ports.get(0), ports.get(1));
    assertEverythingClosed();
  }

  @Test
  void aFailedTestStillHasItsServerAndClientsClosed() {
    reset();
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(FailingFixture.class))
            .execute();
    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    assertEverythingClosed();
  }

  // ---- clients ---------------------------------------------------------------------------------

  @Test
  void theServerIsOnTheLoopbackInterfaceAndAFreePort() {
    assertTrue(server.port() > 0);
    assertEquals("http://127.0.0.1:" + server.port(), server.uri().toString());
  }

  @Test
  void connectWaitsForTheServersAnswerAndCarriesTheAuth() {
    ClientSocket socket =
        server.connect("/auth", SocketOptions.builder().auth(Map.of("token", "t1")).build());
    assertTrue(socket.connected());
    Arguments who = Await.join(socket.emitWithAck("who"));
    assertEquals("t1", who.json(0).path("token").asText());
  }

  @Test
  void aRefusedConnectionFailsWithTheServersMessage() {
    AssertionError e = assertThrows(AssertionError.class, () -> server.connect("/closed"));
    assertEquals("the server refused the connection to /closed: not for you", e.getMessage());
  }

  /** Its own server, so that only this short connect timeout is a window that load can miss. */
  static class NeverAcceptedFixture {
    @RegisterExtension
    static final SocketIoServerExtension ext =
        SocketIoServerExtension.builder()
            .configure(io -> io.of("/slow").use((s, next) -> {})) // never lets anyone in
            .connectTimeout(Duration.ofMillis(300))
            .build();

    @Test
    void failsAfterTheConnectTimeout() {
      AssertionError e = assertThrows(AssertionError.class, () -> ext.connect("/slow"));
      assertEquals("no connection to /slow within PT0.3S", e.getMessage());
    }
  }

  @Test
  void aConnectionThatIsNeverAcceptedFailsAfterTheConnectTimeout() {
    run(NeverAcceptedFixture.class, 1);
  }

  @Test
  void clientSettingsApplyToTheClientsMade() {
    ClientSocket ws =
        server.connect("/", SocketOptions.defaults(), b -> b.transports(TransportType.WEBSOCKET));
    assertEquals(TransportType.WEBSOCKET, ws.client().transport().orElseThrow());
  }

  @Test
  void newClientIsNotConnectedAndReportsRefusals() {
    SocketIoClient client = server.newClient(b -> b.reconnection(false).autoConnect(false));
    ClientSocket closed = client.socket("/closed");
    EventRecorder events = EventRecorder.of(closed);
    closed.connect();
    RecordedEvent refused = events.await("connect_error", Duration.ofSeconds(10));
    assertEquals("not for you", refused.args().string(0));
    assertEquals(7, refused.args().json(1).path("code").asInt());
  }

  @Test
  void theWireClientSeesTheExactAck() {
    SocketIoWireClient wire = server.wireClient();
    wire.connect();
    wire.emitWithAckId("/", "echo", 3, "a", 1);
    assertEquals("33[\"a\",1]", wire.nextPacket());
  }

  @Test
  void ioOutsideTheLifecycleSaysWhy() {
    SocketIoServerExtension unregistered = SocketIoServerExtension.create();
    IllegalStateException e = assertThrows(IllegalStateException.class, unregistered::io);
    assertTrue(e.getMessage().startsWith("no Socket.IO server is running"), e.getMessage());
  }

  // ---- a server with another parser
  // --------------------------------------------------------------

  static class MsgpackFixture {
    @RegisterExtension
    static final SocketIoServerExtension ext =
        SocketIoServerExtension.builder()
            .options(SocketIoOptions.builder().parser(MsgpackParser.create()).build())
            .configure(ECHO)
            .build();

    @Test
    void javaClientsSpeakTheServersParser() {
      ClientSocket socket = ext.client();
      clients.add(socket.client());
      ports.add(ext.port());
      byte[] bytes = {1, 2, 3};
      Arguments reply = Await.join(socket.emitWithAck("echo", "x", bytes));
      assertEquals("x", reply.string(0));
      assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), toList(reply.bytes(1)));
    }

    private static List<Byte> toList(byte[] b) {
      return List.of(b[0], b[1], b[2]);
    }
  }

  @Test
  void clientsAreMadeForTheServersParser() {
    reset();
    run(MsgpackFixture.class, 1);
    assertEverythingClosed();
  }
}
