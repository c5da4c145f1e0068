package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AckTest extends ServerTestSupport {

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    return e.getCause();
  }

  private SocketIoServer echoServer(LineLog ev) {
    SocketIoServer io = server();
    io.onConnection(
        s ->
            s.on(
                "echo",
                (args, ack) -> {
                  ev.add(
                      "echo:" + args.size() + ":" + (args.size() > 1 && args.json(1).isBinary()));
                  ack.send(args.toArray());
                  ack.send("an ack is sent once");
                }));
    io.of("/admin").onConnection(s -> s.on("echo", (args, ack) -> ack.send(args.toArray())));
    return io;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void eventWithAckIdIsAnsweredOnce(Transport kind) {
    LineLog ev = new LineLog();
    EngineIoWireClient c = connected(echoServer(ev), kind);
    c.send("4212[\"echo\",1,\"a\"]");
    assertEquals("4312[1,\"a\"]", c.nextText());
    c.assertSilentFor(QUIET);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void binaryEventIsAnsweredWithABinaryAck(Transport kind) {
    LineLog ev = new LineLog();
    EngineIoWireClient c = connected(echoServer(ev), kind);
    c.send("451-7[\"echo\",\"f\",{\"_placeholder\":true,\"num\":0}]");
    c.send(new byte[] {1, 2, 3});
    assertEquals("echo:2:true", ev.await("echo:"));
    assertEquals("461-7[\"f\",{\"_placeholder\":true,\"num\":0}]", c.nextText());
    assertArrayEquals(new byte[] {1, 2, 3}, c.nextBinary());
  }

  @Test
  void ackInANamespaceCarriesItsName() {
    LineLog ev = new LineLog();
    EngineIoWireClient c = client(echoServer(ev), Transport.WEBSOCKET);
    c.connect("/admin");
    c.send("42/admin,5[\"echo\",true]");
    assertEquals("43/admin,5[true]", c.nextText());
  }

  @Test
  void ackMayBeSentLaterFromAnotherThread() {
    SocketIoServer io = server();
    io.onConnection(
        s ->
            s.on(
                "slow",
                (args, ack) ->
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
                        .execute(() -> ack.send("done"))));
    EngineIoWireClient c = connected(io, Transport.POLLING);
    c.send("421[\"slow\"]");
    assertEquals("431[\"done\"]", c.nextText());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void serverEmitWithAckCompletesWithTheClientsAnswerIncludingBinary(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, kind);
    AtomicReference<Socket> socket = new AtomicReference<>(socketOf(io, c.connect()));
    CompletableFuture<Arguments> reply = socket.get().emitWithAck("q", 1, new byte[] {9});
    assertEquals("451-0[\"q\",1,{\"_placeholder\":true,\"num\":0}]", c.nextText());
    assertArrayEquals(new byte[] {9}, c.nextBinary());
    c.send("461-0[\"a\",{\"_placeholder\":true,\"num\":0}]");
    c.send(new byte[] {7, 7});
    Arguments args = join(reply);
    assertEquals("a", args.get(0, String.class));
    assertArrayEquals(new byte[] {7, 7}, args.get(1, byte[].class));
  }

  @Test
  void ackIdsComeFromTheNamespaceCounterInEmitOrder() {
    SocketIoServer io = server();
    Map<String, Socket> byId = new java.util.concurrent.ConcurrentHashMap<>();
    io.onConnection(s -> byId.put(s.id(), s));
    EngineIoWireClient a = client(io, Transport.WEBSOCKET);
    EngineIoWireClient b = client(io, Transport.WEBSOCKET);
    String ida = a.connect();
    String idb = b.connect();
    awaitCondition(() -> byId.size() == 2, "two sockets");
    byId.get(ida).emitWithAck("x");
    byId.get(idb).emitWithAck("x");
    byId.get(ida).emitWithAck("x");
    assertEquals("420[\"x\"]", a.nextText());
    assertEquals("421[\"x\"]", b.nextText());
    assertEquals("422[\"x\"]", a.nextText());
  }

  @Test
  void emitWithAckTimesOutAndALateAckIsIgnored() {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    AtomicReference<Socket> socket = new AtomicReference<>(socketOf(io, c.connect()));
    CompletableFuture<Arguments> reply =
        socket.get().timeout(Duration.ofMillis(100)).emitWithAck("q");
    assertEquals("420[\"q\"]", c.nextText());
    Throwable t = failure(reply);
    assertInstanceOf(AckTimeoutException.class, t);
    assertEquals("operation has timed out", t.getMessage());
    c.send("430[\"late\"]");
    socket.get().emit("still-open");
    assertEquals("42[\"still-open\"]", c.nextText());
  }

  @Test
  void pendingAckFailsWhenTheSocketDisconnects() {
    SocketIoServer io = server();
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    AtomicReference<Socket> socket = new AtomicReference<>(socketOf(io, c.connect()));
    CompletableFuture<Arguments> reply = socket.get().emitWithAck("q");
    c.nextText();
    c.send("41");
    Throwable t = failure(reply);
    assertInstanceOf(SocketIoException.class, t);
    assertEquals("socket has been disconnected", t.getMessage());
    assertEquals(
        "socket has been disconnected",
        failure(socket.get().emitWithAck("after")).getMessage(),
        "an emit on a disconnected socket fails at once");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void broadcastWithAckCollectsTheFirstArgumentOfEveryClient(Transport kind) {
    SocketIoServer io = server();
    EngineIoWireClient a = connected(io, kind);
    EngineIoWireClient b = connected(io, kind);
    CompletableFuture<List<Arguments>> replies = io.timeout(WAIT).emitWithAck("vote", "?");
    String pa = a.nextText();
    String pb = b.nextText();
    assertEquals(pa, pb, "one packet, one ack id, for every client");
    assertTrue(pa.matches("42\\d+\\[\"vote\",\"\\?\"]"), pa);
    String id = pa.substring(2, pa.indexOf('['));
    a.send("43" + id + "[\"yes\",\"ignored\"]");
    b.send("43" + id + "[{\"no\":1}]");
    List<String> got = join(replies).stream().map(r -> r.json().toString()).sorted().toList();
    assertEquals(List.of("[\"yes\"]", "[{\"no\":1}]"), got);
  }

  @Test
  void broadcastWithAckFailsWithThePartialAnswersOnTimeout() {
    SocketIoServer io = server();
    EngineIoWireClient a = client(io, Transport.WEBSOCKET);
    Socket sa = socketOf(io, a.connect());
    EngineIoWireClient b = connected(io, Transport.WEBSOCKET);
    CompletableFuture<List<Arguments>> replies = io.timeout(ACK_WINDOW).emitWithAck("vote");
    String pa = a.nextText();
    b.nextText();
    a.send("43" + pa.substring(2, pa.indexOf('[')) + "[1]");
    // The window only has to hold one local round trip; this tells a machine too slow for it from
    // a lost answer.
    awaitCondition(() -> sa.pendingAcks() == 0, "a's answer was taken");
    assertFalse(replies.isDone(), "a's answer came within " + ACK_WINDOW);
    Throwable t = failure(replies);
    AckTimeoutException e = assertInstanceOf(AckTimeoutException.class, t);
    assertEquals("operation has timed out", e.getMessage());
    assertEquals(1, e.responses().size());
    assertEquals(1, e.responses().get(0).get(0, Integer.class));
  }

  @Test
  void broadcastWithAckToNobodyCompletesWithNoAnswers() {
    SocketIoServer io = server();
    assertEquals(List.of(), join(io.to("empty").timeout(WAIT).emitWithAck("x")));
  }

  @Test
  void broadcastWithAckWithoutTimeoutIsRefused() {
    SocketIoServer io = server();
    assertThrows(IllegalStateException.class, () -> io.to("r").emitWithAck("x"));
    assertThrows(IllegalStateException.class, () -> io.of("/a").except("r").emitWithAck("x"));
  }

  @Test
  void ackWithAnUnknownIdIsIgnored() {
    LineLog ev = new LineLog();
    EngineIoWireClient c = connected(echoServer(ev), Transport.WEBSOCKET);
    c.send("4399[\"nobody asked\"]");
    c.send("421[\"echo\",\"still here\"]");
    assertEquals("431[\"still here\"]", c.nextText());
    assertEquals(Map.of(), Map.of());
  }
}
