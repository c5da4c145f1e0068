package dev.sio4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.server.Socket;
import dev.sio4j.testing.RecordedEvent;
import dev.sio4j.testing.SocketIoServerExtension;
import dev.sio4j.testing.SocketIoWireClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each meter moves as real traffic says: real server on port 0, wire clients and Java clients. */
@Timeout(60)
class SocketIoMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** The server's sockets, in connection order. */
  final LinkedBlockingQueue<Socket> sockets = new LinkedBlockingQueue<>();

  @RegisterExtension
  final SocketIoServerExtension server =
      SocketIoServerExtension.builder()
          .configure(io -> SocketIoMetrics.bind(io, registry))
          .configure(
              io -> {
                io.onConnection(
                    socket -> {
                      sockets.add(socket);
                      socket.on("echo", (args, ack) -> socket.emit("echo", args.string(0)));
                    });
                io.of("/private").use((socket, next) -> next.fail("not you"));
              })
          .build();

  @Test
  void connectEmitAndLeaveMoveTheSocketEventAndDisconnectMeters() throws Exception {
    SocketIoWireClient wire = server.wireClient(Transport.POLLING);
    awaitGauge(1, MetricsObserver.CONNECTIONS, "transport", "polling");
    wire.connect();
    awaitGauge(1, MetricsObserver.SOCKETS, "namespace", "/");

    wire.emit("echo", "héllo €\uD83C\uDF0D");
    RecordedEvent echo = wire.nextEvent();
    assertEquals("héllo €\uD83C\uDF0D", echo.args().string(0));
    int received = utf8("2[\"echo\",\"héllo €\uD83C\uDF0D\"]");
    assertEquals(1, count(MetricsObserver.EVENTS_RECEIVED, "namespace", "/"));
    assertEquals(received, count(MetricsObserver.BYTES_RECEIVED, "namespace", "/"));
    // Counted right after the write, so possibly after the client read it.
    awaitCount(1, MetricsObserver.EVENTS_SENT, "namespace", "/");
    awaitCount(received, MetricsObserver.BYTES_SENT, "namespace", "/");
    assertEquals(0, count(MetricsObserver.BROADCAST_DELIVERIES, "namespace", "/"));

    wire.disconnect("/");
    awaitCount(
        1, MetricsObserver.DISCONNECTS, "namespace", "/", "reason", "client namespace disconnect");
    assertEquals(0, gauge(MetricsObserver.SOCKETS, "namespace", "/"));
    wire.close();
    awaitGauge(0, MetricsObserver.CONNECTIONS, "transport", "polling");
  }

  @Test
  void aLostConnectionAndAServerDisconnectCountTheirReasons() throws Exception {
    SocketIoWireClient lost = server.wireClient(Transport.WEBSOCKET);
    lost.connect();
    take(); // the lost one
    awaitGauge(1, MetricsObserver.CONNECTIONS, "transport", "websocket");
    lost.abort();
    awaitCount(1, MetricsObserver.DISCONNECTS, "namespace", "/", "reason", "transport close");
    awaitGauge(0, MetricsObserver.CONNECTIONS, "transport", "websocket");

    SocketIoWireClient kicked = server.wireClient(Transport.WEBSOCKET);
    kicked.connect();
    take().disconnect();
    awaitCount(
        1, MetricsObserver.DISCONNECTS, "namespace", "/", "reason", "server namespace disconnect");
    assertEquals(0, gauge(MetricsObserver.SOCKETS, "namespace", "/"));
  }

  @Test
  void anUpgradeMovesTheConnectionFromPollingToWebSocket() {
    ClientSocket client = server.client(); // polling first, then the upgrade
    Await.until(
        () -> client.client().transport().equals(java.util.Optional.of(TransportType.WEBSOCKET)),
        "the client upgraded");
    awaitCount(1, MetricsObserver.UPGRADES, "transport", "websocket");
    awaitGauge(1, MetricsObserver.CONNECTIONS, "transport", "websocket");
    assertEquals(0, gauge(MetricsObserver.CONNECTIONS, "transport", "polling"));
  }

  @Test
  void anUnansweredAckTimesOutAndAnAnsweredOneIsNoLongerPending() throws Exception {
    SocketIoWireClient wire = server.wireClient();
    wire.connect();
    Socket socket = take();

    CompletableFuture<Arguments> answered =
        socket.timeout(Duration.ofSeconds(10)).emitWithAck("ask");
    RecordedEvent ask = wire.nextEvent();
    assertEquals(1, gauge(MetricsObserver.ACKS_PENDING, "namespace", "/"));
    ask.ack().send("yes");
    assertEquals("yes", Await.join(answered).string(0));
    awaitGauge(0, MetricsObserver.ACKS_PENDING, "namespace", "/");

    CompletableFuture<Arguments> ignored =
        socket.timeout(Duration.ofMillis(200)).emitWithAck("ask");
    wire.nextEvent(); // and never answered
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> ignored.get(10, TimeUnit.SECONDS));
    assertInstanceOf(AckTimeoutException.class, e.getCause());
    assertEquals(1, count(MetricsObserver.ACK_TIMEOUTS, "namespace", "/"));
    assertEquals(0, gauge(MetricsObserver.ACKS_PENDING, "namespace", "/"));

    // Left pending by a socket that goes away: not pending any more.
    socket.emitWithAck("ask");
    wire.nextEvent();
    assertEquals(1, gauge(MetricsObserver.ACKS_PENDING, "namespace", "/"));
    wire.abort();
    awaitGauge(0, MetricsObserver.ACKS_PENDING, "namespace", "/");
  }

  @Test
  void aBroadcastCountsOneDeliveryPerSocketReached() {
    SocketIoWireClient[] clients = new SocketIoWireClient[3];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = server.wireClient();
      clients[i].connect();
    }
    server.io().emit("news", "n");
    for (SocketIoWireClient c : clients) {
      assertEquals("news", c.nextEvent().name());
    }
    awaitCount(3, MetricsObserver.BROADCAST_DELIVERIES, "namespace", "/");
    awaitCount(3, MetricsObserver.EVENTS_SENT, "namespace", "/");
    awaitCount(3 * utf8("2[\"news\",\"n\"]"), MetricsObserver.BYTES_SENT, "namespace", "/");
  }

  @Test
  void refusedConnectsCountByReason() {
    SocketIoWireClient wire = server.wireClient();
    wire.send("0/private,");
    assertTrue(wire.nextPacket().startsWith("4/private,"));
    assertEquals(
        1, count(MetricsObserver.CONNECT_ERRORS, "namespace", "/private", "reason", "middleware"));

    wire.send("0/nowhere,");
    assertTrue(wire.nextPacket().startsWith("4/nowhere,"));
    assertEquals(
        1,
        count(
            MetricsObserver.CONNECT_ERRORS,
            "namespace",
            MetricsObserver.UNKNOWN_NAMESPACE,
            "reason",
            "invalid namespace"));
    assertTrue(
        registry.find(MetricsObserver.SOCKETS).tag("namespace", "/nowhere").meters().isEmpty());
  }

  @Test
  void bindingAfterTheStartIsRefused() {
    assertThrows(IllegalStateException.class, () -> SocketIoMetrics.bind(server.io(), registry));
  }

  private Socket take() throws InterruptedException {
    Socket s = sockets.poll(10, TimeUnit.SECONDS);
    assertNotNull(s, "no socket connected");
    return s;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    assertNotNull(c, "no counter " + name + " " + String.join(",", tags));
    return c.count();
  }

  private double gauge(String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    assertNotNull(g, "no gauge " + name + " " + String.join(",", tags));
    return g.value();
  }

  private void awaitCount(double expected, String name, String... tags) {
    Await.until(
        () -> {
          Counter c = registry.find(name).tags(tags).counter();
          return c != null && c.count() == expected;
        },
        name + " " + String.join(",", tags) + " == " + expected);
  }

  private void awaitGauge(double expected, String name, String... tags) {
    Await.until(
        () -> {
          Gauge g = registry.find(name).tags(tags).gauge();
          return g != null && g.value() == expected;
        },
        name + " " + String.join(",", tags) + " == " + expected);
  }
}
