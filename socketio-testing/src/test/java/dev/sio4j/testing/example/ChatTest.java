package dev.sio4j.testing.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.testing.EventRecorder;
import dev.sio4j.testing.RecordedEvent;
import dev.sio4j.testing.SocketIoServerExtension;
import dev.sio4j.testing.SocketIoWireClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatTest {
  // What the server's sockets receive, and how they leave.
  final EventRecorder onServer = EventRecorder.create();

  // An instance field: a new server for each test (a static field shares one per class).
  @RegisterExtension
  final SocketIoServerExtension server =
      SocketIoServerExtension.builder()
          .configure(
              io ->
                  io.onConnection(
                      socket -> {
                        onServer.attach(socket);
                        socket.join("lobby");
                        socket.on(
                            "chat",
                            (args, ack) -> {
                              socket.to("lobby").emit("chat", socket.id(), args.string(0));
                              ack.send("delivered");
                            });
                      }))
          .build();

  @Test
  void aMessageReachesTheOthersInTheLobbyAndIsAcknowledged() {
    ClientSocket alice = server.client();
    ClientSocket bob = server.client();
    EventRecorder aliceSees = EventRecorder.of(alice);
    EventRecorder bobSees = EventRecorder.of(bob);

    Arguments ack = Await.join(alice.emitWithAck("chat", "hello"));
    assertEquals("delivered", ack.string(0));

    RecordedEvent chat = bobSees.await("chat", Duration.ofSeconds(5));
    assertEquals(alice.id().orElseThrow(), chat.args().string(0));
    assertEquals("hello", chat.args().string(1));
    aliceSees.assertNoEvent("chat", Duration.ofMillis(200)); // the sender is left out
  }

  @Test
  void theServerSeesAClientLeave() {
    ClientSocket carol = server.client();
    carol.disconnect();
    RecordedEvent left = onServer.await("disconnect", Duration.ofSeconds(5));
    assertEquals("client namespace disconnect", left.args().string(0));
  }

  @Test
  void theAckIsTheExactPacketOnTheWire() {
    SocketIoWireClient wire = server.wireClient();
    wire.connect();
    wire.emitWithAckId("/", "chat", 7, "hi");
    assertEquals("37[\"delivered\"]", wire.nextPacket());
  }
}
