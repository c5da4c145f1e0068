package dev.sio4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoWireClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  final EventRecorder onServer = EventRecorder.create();

  @RegisterExtension
  final SocketIoServerExtension server =
      SocketIoServerExtension.builder()
          .configure(
              io -> {
                io.onConnection(
                    s -> {
                      onServer.attach(s);
                      s.on("echo", args -> s.emit("echoed", args.toArray()));
                      s.on(
                          "ask",
                          args ->
                              s.emitWithAck("question", args.toArray())
                                  .thenAccept(reply -> onServer.record("reply", reply)));
                    });
                io.of("/admin")
                    .onConnection(s -> s.emit("hello", s.handshake().auth().path("user")));
                io.of("/closed").use((s, next) -> next.fail("no"));
              })
          .build();

  @ParameterizedTest
  @EnumSource(Transport.class)
  void binaryEventsGoOutWithAttachmentsAndComeBackInPlace(Transport transport) throws Exception {
    SocketIoWireClient wire = server.wireClient(transport);
    wire.connect();
    wire.emit("echo", "x", new byte[] {1, 2, 3}, Map.of("nested", new byte[] {4}));
    RecordedEvent echoed = wire.nextEvent();
    assertEquals("echoed", echoed.name());
    assertEquals("x", echoed.args().string(0));
    assertArrayEquals(new byte[] {1, 2, 3}, echoed.args().bytes(1));
    assertArrayEquals(new byte[] {4}, echoed.args().json(2).path("nested").binaryValue());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anEventsAckIsAnsweredOnTheWire(Transport transport) {
    SocketIoWireClient wire = server.wireClient(transport);
    wire.connect();
    wire.emit("ask", 1);
    RecordedEvent question = wire.nextEvent();
    assertEquals("question", question.name());
    assertTrue(question.ack().requested());
    question.ack().send("yes", new byte[] {9});
    RecordedEvent reply = onServer.await("reply", WAIT);
    assertEquals("yes", reply.args().string(0));
    assertArrayEquals(new byte[] {9}, reply.args().bytes(1));
  }

  @Test
  void theExactPacketsOfANamespaceWithAuth() {
    SocketIoWireClient wire = server.wireClient();
    String id = wire.connect("/admin", Map.of("user", "ann"));
    assertEquals(20, id.length());
    assertEquals("2/admin,[\"hello\",\"ann\"]", wire.nextPacket());
  }

  @Test
  void aRefusedConnectFailsWithTheServersPacket() {
    SocketIoWireClient wire = server.wireClient();
    AssertionError e = assertThrows(AssertionError.class, () -> wire.connect("/closed"));
    assertEquals("expected CONNECT of /closed, got 4/closed,{\"message\":\"no\"}", e.getMessage());
  }

  @Test
  void rawPacketsGoOutAsTheyAre() {
    SocketIoWireClient wire = server.wireClient(Transport.POLLING);
    wire.connect();
    wire.send("2[\"echo\",{\"a\":[1,2]}]");
    assertEquals("2[\"echoed\",{\"a\":[1,2]}]", wire.nextPacket());
    wire.assertSilentFor(Duration.ofMillis(50));
  }
}
