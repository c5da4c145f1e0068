package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every acknowledgement a server socket waits for ends, and is forgotten, when it is answered, when
 * its timeout fires and when the socket disconnects: {@link Socket#pendingAcks()} falls back to
 * zero. A socket that kept them would grow with every unanswered ack of a long-lived connection.
 */
class PendingAcksTest extends ServerTestSupport {

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    return e.getCause();
  }

  /** The ack id of a received {@code 42<id>[...]} packet. */
  private static String ackId(String packet) {
    return packet.substring(2, packet.indexOf('['));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAnsweredEmitIsForgotten(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, kind);
    Socket socket = socketOf(io, c.connect());
    CompletableFuture<Arguments> reply = socket.emitWithAck("q");
    String packet = c.nextText();
    // Registered before the packet was written.
    assertEquals(1, socket.pendingAcks());
    c.send("43" + ackId(packet) + "[\"a\"]");
    assertEquals("a", join(reply).string(0));
    assertEquals(0, socket.pendingAcks());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aTimedOutEmitIsForgotten(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, kind);
    Socket socket = socketOf(io, c.connect());
    CompletableFuture<Arguments> reply = socket.timeout(Duration.ofMillis(100)).emitWithAck("q");
    c.nextText();
    assertInstanceOf(AckTimeoutException.class, failure(reply));
    assertEquals(0, socket.pendingAcks());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aDisconnectionForgetsEveryPendingEmit(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, kind);
    Socket socket = socketOf(io, c.connect());
    CompletableFuture<Arguments> first = socket.emitWithAck("q1");
    CompletableFuture<Arguments> second = socket.timeout(WAIT.multipliedBy(6)).emitWithAck("q2");
    c.nextText();
    c.nextText();
    assertEquals(2, socket.pendingAcks());
    c.send("41");
    assertInstanceOf(SocketDisconnectedException.class, failure(first));
    assertInstanceOf(SocketDisconnectedException.class, failure(second));
    assertEquals(0, socket.pendingAcks());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAnsweredBroadcastIsForgottenByEverySocket(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient a = client(io, kind);
    EngineIoWireClient b = client(io, kind);
    Socket sa = socketOf(io, a.connect());
    Socket sb = socketOf(io, b.connect());
    // Far longer than the wait below: only the answers can end it in time.
    CompletableFuture<List<Arguments>> replies =
        io.timeout(Duration.ofMinutes(5)).emitWithAck("vote");
    String pa = a.nextText();
    b.nextText();
    assertEquals(1, sa.pendingAcks());
    assertEquals(1, sb.pendingAcks());
    a.send("43" + ackId(pa) + "[1]");
    b.send("43" + ackId(pa) + "[2]");
    assertEquals(2, join(replies).size());
    awaitCondition(
        () -> sa.pendingAcks() == 0 && sb.pendingAcks() == 0, "both sockets forget the ack");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aTimedOutBroadcastIsForgottenByTheSocketsThatDidNotAnswer(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient a = client(io, kind);
    Socket socket = socketOf(io, a.connect());
    CompletableFuture<List<Arguments>> replies =
        io.timeout(Duration.ofMillis(200)).emitWithAck("vote");
    a.nextText();
    assertEquals(1, socket.pendingAcks());
    assertInstanceOf(AckTimeoutException.class, failure(replies));
    // The socket's own expiry runs on its loop, not with the broadcast's timer: wait for it.
    awaitCondition(() -> socket.pendingAcks() == 0, "the socket forgets the expired ack");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aDisconnectionForgetsAPendingBroadcast(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient a = client(io, kind);
    Socket socket = socketOf(io, a.connect());
    // Far longer than the wait below: only the disconnection can end it in time.
    io.timeout(Duration.ofMinutes(5)).emitWithAck("vote");
    a.nextText();
    assertEquals(1, socket.pendingAcks());
    a.send("41");
    awaitCondition(() -> socket.pendingAcks() == 0, "the socket forgets the broadcast ack");
  }
}
