package dev.sio4j.examples.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.testing.EventRecorder;
import dev.sio4j.testing.RecordedEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cluster} mode started as its command line does, on a single node with {@code --adapter
 * memory}, driven with the Java client: the five commands of the cluster protocol answer as {@code
 * CLUSTER-PROTOCOL.md} says; then two nodes per Redis adapter on a real redis-server, as two {@code
 * java -jar sio4j-conformance.jar cluster ...} command lines start them (the adapters themselves
 * are checked operation by operation by the mixed-cluster tests of socketio-redis-adapter).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterModeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static RedisServer redis;

  private Runnable stop;
  private final List<Runnable> stops = new ArrayList<>();
  private final List<SocketIoClient> clients = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> Await.join(c.close(), WAIT));
    if (stop != null) {
      stop.run();
    }
    stops.forEach(Runnable::run);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-sharded", "redis-streams"})
  void twoNodesOnOneRedisAreOneCluster(String adapter) {
    int portA = FreePort.find();
    stops.add(
        ConformanceServer.start(
            "cluster", "--port", "" + portA, "--redis", redis.uri(), "--adapter", adapter));
    int portB = FreePort.find();
    stops.add(
        ConformanceServer.start(
            "cluster", "--port", "" + portB, "--redis", redis.uri(), "--adapter", adapter));
    ClientSocket a = connect(portA);
    ClientSocket b = connect(portB);
    EventRecorder aSees = EventRecorder.of(a);
    EventRecorder bSees = EventRecorder.of(b);

    assertEquals(portA, ask(a, "whoami").json(0).intValue());
    assertEquals(portB, ask(b, "whoami").json(0).intValue());
    // A room's own channel may still be subscribing (sharded, dynamic mode, as in Node): the count
    // across the cluster says when both nodes know the room.
    assertEquals("ok", ask(a, "join", "r").string(0));
    Await.until(
        () -> ask(b, "count", "r").json(0).intValue() == 1,
        WAIT,
        "node B counting the member of r");

    b.emit("pub", "r", 1, "one");
    RecordedEvent tick = aSees.await("tick", WAIT);
    assertEquals(1, tick.args().json(0).intValue());
    assertEquals("one", tick.args().string(1));
    bSees.assertNoEvent("tick", Duration.ofMillis(300));

    // A number: with recovery on (redis-streams) the Java client takes a trailing string of an
    // event
    // without offset, such as this io.local() one, for an offset (see the client README).
    a.emit("sse", 42);
    assertEquals(42, bSees.await("sse-got", WAIT).args().json(0).intValue());
    aSees.assertNoEvent("sse-got", Duration.ofMillis(300));
  }

  private ClientSocket connect(int port) {
    SocketIoClient client =
        SocketIoClient.builder().uri(URI.create("http://127.0.0.1:" + port)).build();
    clients.add(client);
    ClientSocket socket = client.socket("/");
    EventRecorder connected = EventRecorder.of(socket);
    socket.connect();
    connected.await("connect", WAIT);
    return socket;
  }

  private static Arguments ask(ClientSocket socket, String event, Object... args) {
    return Await.join(socket.timeout(WAIT).emitWithAck(event, args), WAIT.plusSeconds(1));
  }

  @Test
  void joinPubCountSseAndWhoamiOnOneNode() {
    int port = FreePort.find();
    stop =
        ConformanceServer.start("cluster", "--port", String.valueOf(port), "--adapter", "memory");

    ClientSocket a = connect(port);
    ClientSocket b = connect(port);
    ClientSocket outside = connect(port);
    EventRecorder aSees = EventRecorder.of(a);
    EventRecorder bSees = EventRecorder.of(b);
    EventRecorder outsideSees = EventRecorder.of(outside);

    assertEquals(port, ask(a, "whoami").json(0).intValue());
    assertEquals("ok", ask(a, "join", "r1").string(0));
    assertEquals(1, ask(outside, "count", "r1").json(0).intValue());
    assertEquals("ok", ask(b, "join", "r1").string(0));
    assertEquals(2, ask(outside, "count", "r1").json(0).intValue());
    assertEquals(0, ask(outside, "count", "nobody-here").json(0).intValue());

    outside.emit("pub", "r1", 7, "seven");
    for (EventRecorder inRoom : List.of(aSees, bSees)) {
      RecordedEvent tick = inRoom.await("tick", WAIT);
      assertEquals("[7,\"seven\"]", tick.args().json().toString());
    }
    outsideSees.assertNoEvent("tick", Duration.ofMillis(300));

    // A node alone has no other node to tell: serverSideEmit reaches nobody, not even itself.
    a.emit("sse", "x");
    assertEquals("ok", ask(a, "join", "r2").string(0)); // the sse was handled before this answer
    aSees.assertNoEvent("sse-got", Duration.ofMillis(300));
  }

  @Test
  void commandLinesItDoesNotTakeAreRefusedWithTheUsage() {
    IllegalArgumentException noRedis =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConformanceServer.start("cluster", "--port", "0", "--adapter", "redis-streams"));
    assertTrue(noRedis.getMessage().contains("needs --redis"), noRedis.getMessage());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConformanceServer.start(
                    "cluster", "--redis", "redis://127.0.0.1:1", "--adapter", "kafka"));
    assertTrue(unknown.getMessage().contains("unknown adapter kafka"), unknown.getMessage());
    IllegalArgumentException notCluster =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConformanceServer.start("socketio", "--adapter", "memory"));
    assertTrue(notCluster.getMessage().contains("usage:"), notCluster.getMessage());
  }
}
