package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.sio4j.common.ArgumentTypeException;
import dev.sio4j.engineio.testing.CapturedStderr;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Typed handlers on the server socket: arguments and ack replies go through the server's JSON
 * mapper (a snake_case mapper here, so that the default one could not pass), and a payload that
 * does not fit answers as the reference answers an event refused by a packet middleware: the error
 * listeners hear it, the client hears nothing, and one WARN line says which event of which socket.
 */
class TypedHandlersTest extends ServerTestSupport {

  record Message(String userName, int count) {}

  record Move(int x, int y) {}

  private SocketIoServer snakeCaseServer() {
    ObjectMapper mapper =
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    return server(b -> b.mapper(mapper));
  }

  @Test
  void oneTypedArgumentWithAckRepliesWithAPojoThroughTheMapper() {
    SocketIoServer io = snakeCaseServer();
    io.onConnection(
        s ->
            s.on(
                "chat",
                Message.class,
                (msg, ack) -> ack.send(new Message(msg.userName() + "!", msg.count() + 1))));
    EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
    c.send("421[\"chat\",{\"user_name\":\"ann\",\"count\":3}]");
    assertEquals("431[{\"user_name\":\"ann!\",\"count\":4}]", c.nextText());
  }

  @Test
  void typedListenerWithoutAckTwoArgumentsAndGenericTypes() {
    SocketIoServer io = snakeCaseServer();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.on("one", Message.class, msg -> ev.add("one:" + msg));
          s.on(
              "move",
              Message.class,
              Move.class,
              (who, where, ack) -> {
                ev.add("move:" + who.userName() + ":" + where);
                ack.send("ok");
              });
          s.on(
              "batch",
              new TypeReference<List<Move>>() {},
              (moves, ack) -> ev.add("batch:" + moves.get(1).y() + ":" + moves.size()));
          s.once("first", Message.class, (msg, ack) -> ev.add("first:" + msg.count()));
        });
    EngineIoWireClient c = connected(io, Transport.POLLING);
    c.send("42[\"one\",{\"user_name\":\"bo\",\"count\":1},\"ignored\"]");
    assertEquals("one:Message[userName=bo, count=1]", ev.await("one:"));
    c.send("427[\"move\",{\"user_name\":\"cy\"},{\"x\":1,\"y\":2}]");
    assertEquals("move:cy:Move[x=1, y=2]", ev.await("move:"));
    assertEquals("437[\"ok\"]", c.nextText());
    c.send("42[\"batch\",[{\"x\":1,\"y\":2},{\"x\":3,\"y\":4}]]");
    assertEquals("batch:4:2", ev.await("batch:"));
    c.send("42[\"first\",{\"count\":1}]");
    c.send("42[\"first\",{\"count\":2}]");
    c.send("42[\"one\",{\"count\":9}]");
    ev.await("one:Message[userName=null, count=9]");
    assertEquals(List.of("first:1"), ev.lines("first:"));
  }

  @Test
  void aPayloadThatDoesNotFitGoesToTheErrorListenersWithOneWarnLineAndNothingToTheClient() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.on("chat", Message.class, (msg, ack) -> ev.add("called"));
          s.on("move", Message.class, Move.class, (a, b, ack) -> ev.add("called"));
          s.onError(e -> ev.add("error:" + e.getClass().getSimpleName() + ":" + e.getMessage()));
        });
    try (CapturedStderr log = CapturedStderr.start()) {
      EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
      String sid = io.sockets().sockets().keySet().iterator().next();
      c.send("425[\"chat\",\"not an object\"]");
      String error = ev.await("error:");
      assertTrue(error.startsWith("error:ArgumentTypeException:event 'chat': argument 0"), error);
      // A missing argument is the same kind of mismatch.
      c.send("426[\"move\",{\"count\":1}]");
      assertTrue(ev.await("error:").contains("argument 1 (a"), ev.toString());
      c.assertSilentFor(QUIET);
      ev.assertNoLine("called", QUIET);

      List<String> warns = warnLines(log.text());
      assertEquals(2, warns.size(), log.text());
      String first = warns.get(0);
      assertTrue(first.contains("'chat'") && first.contains(sid) && first.contains("namespace /"));
      assertTrue(first.contains("argument 0 is not a"), first);
      assertFalse(log.text().contains("\tat "), "no stack trace for a peer's payload");
    }
  }

  @Test
  void typedEmitWithAckConvertsTheFirstAnswerOrFailsWithArgumentTypeException() {
    SocketIoServer io = snakeCaseServer();
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    Socket s = socketOf(io, c.connect());

    CompletableFuture<Message> reply = s.emitWithAck(Message.class, "ask", 1);
    String ask = c.nextText();
    assertTrue(ask.matches("42\\d+\\[\"ask\",1\\]"), ask);
    String id = ask.substring(2, ask.indexOf('['));
    c.send("43" + id + "[{\"user_name\":\"di\",\"count\":5},\"more\"]");
    assertEquals(new Message("di", 5), join(reply));

    CompletableFuture<List<Move>> moves =
        s.emitWithAck(new TypeReference<List<Move>>() {}, "moves");
    String ask2 = c.nextText();
    c.send("43" + ask2.substring(2, ask2.indexOf('[')) + "[[{\"x\":7,\"y\":8}]]");
    assertEquals(List.of(new Move(7, 8)), join(moves));

    CompletableFuture<Message> bad = s.emitWithAck(Message.class, "ask");
    String ask3 = c.nextText();
    c.send("43" + ask3.substring(2, ask3.indexOf('[')) + "[\"text\"]");
    CompletionException e = assertThrows(CompletionException.class, bad::join);
    ArgumentTypeException cause = assertInstanceOf(ArgumentTypeException.class, e.getCause());
    assertEquals("ask", cause.event());
    assertTrue(cause.getMessage().startsWith("event 'ask': ack argument 0"), cause.getMessage());
  }

  static List<String> warnLines(String log) {
    return log.lines().filter(l -> l.contains(" WARN ")).toList();
  }
}
