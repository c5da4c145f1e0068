package dev.sio4j.examples.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.FreePort;
import dev.sio4j.testing.EventRecorder;
import dev.sio4j.testing.RecordedEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code cluster} mode started as its command line does, on a single node with {@code --adapter
 * memory}, driven with the Java client: the five commands of the cluster protocol answer as {@code
 * CLUSTER-PROTOCOL.md} says (the Redis adapters are checked by the mixed-cluster tests).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterModeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Runnable stop;
  private final List<SocketIoClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(c -> Await.join(c.close(), WAIT));
    if (stop != null) {
      stop.run();
    }
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
