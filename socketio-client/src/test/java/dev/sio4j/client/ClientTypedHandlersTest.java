package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.sio4j.common.ArgumentTypeException;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.engineio.testing.CapturedStderr;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The typed handlers and typed acks of the Java client, against a sio4j server, both with a
 * snake_case mapper (so that the default mapper could not pass); and the WARN line of a client
 * listener that throws or whose payload does not fit.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientTypedHandlersTest {
  record Message(String userName, int count) {}

  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private SocketIoServer server;
  private SocketIoClient client;
  private final AtomicReference<Socket> serverSocket = new AtomicReference<>();

  @BeforeEach
  void start() {
    server =
        SocketIoServer.builder().options(SocketIoOptions.builder().mapper(SNAKE).build()).build();
    server.onConnection(
        s -> {
          serverSocket.set(s);
          s.on(
              "echo",
              Message.class,
              (m, ack) -> ack.send(new Message(m.userName() + "?", m.count() * 2)));
          s.on("list", (args, ack) -> ack.send(List.of(new Message("a", 1), new Message("b", 2))));
        });
    Await.join(server.start());
    client =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + server.port()))
            .mapper(SNAKE)
            .build();
  }

  @AfterEach
  void stop() {
    client.close().orTimeout(10, TimeUnit.SECONDS).join();
    server.close().orTimeout(10, TimeUnit.SECONDS).join();
  }

  private ClientSocket connected(ClientSocket socket) {
    LineLog ev = new LineLog();
    socket.onConnect(() -> ev.add("connect"));
    socket.connect();
    ev.await("connect");
    Await.until(() -> serverSocket.get() != null, "the server socket");
    return socket;
  }

  @Test
  void typedListenersAndTypedAcksGoThroughTheClientsMapper() {
    LineLog ev = new LineLog();
    ClientSocket socket = client.socket("/");
    socket.on("note", Message.class, m -> ev.add("note:" + m));
    socket.on(
        "ask",
        Message.class,
        (m, ack) -> {
          ev.add("ask:" + m.userName());
          ack.send(new Message("re", m.count() + 1));
        });
    connected(socket);

    serverSocket.get().emit("note", new Message("ann", 1));
    assertEquals("note:Message[userName=ann, count=1]", ev.await("note:"));

    Message reply =
        Await.join(serverSocket.get().emitWithAck(Message.class, "ask", new Message("bo", 2)));
    assertEquals("ask:bo", ev.await("ask:"));
    assertEquals(new Message("re", 3), reply);

    assertEquals(
        new Message("cy?", 8),
        Await.join(socket.emitWithAck(Message.class, "echo", new Message("cy", 4))));
    assertEquals(
        new Message("di?", 2),
        Await.join(
            socket
                .timeout(Duration.ofSeconds(5))
                .emitWithAck(Message.class, "echo", new Message("di", 1))));
    assertEquals(
        List.of(new Message("a", 1), new Message("b", 2)),
        Await.join(socket.emitWithAck(new TypeReference<List<Message>>() {}, "list")));

    CompletionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            CompletionException.class,
            () -> socket.emitWithAck(Integer.class, "list").orTimeout(10, TimeUnit.SECONDS).join());
    assertInstanceOf(ArgumentTypeException.class, e.getCause());
  }

  @Test
  void aPayloadThatDoesNotFitOrAThrowingListenerIsOneWarnLineNamingTheSocket() {
    LineLog ev = new LineLog();
    ClientSocket socket = client.socket("/");
    socket.on("note", Message.class, m -> ev.add("called"));
    socket.on(
        "boom",
        args -> {
          throw new IllegalStateException("boom in client listener");
        });
    socket.on("last", args -> ev.add("last"));
    socket.onDisconnect(
        reason -> {
          ev.add("disconnect");
          throw new IllegalStateException("boom in client disconnect");
        });
    try (CapturedStderr log = CapturedStderr.start()) {
      connected(socket);
      String id = socket.id().orElseThrow();
      serverSocket.get().emit("note", "not an object");
      serverSocket.get().emit("boom");
      serverSocket.get().emit("last");
      ev.await("last");
      socket.disconnect();
      ev.await("disconnect");
      Await.until(() -> log.text().contains("boom in client disconnect"), "the disconnect line");

      List<String> warns = log.text().lines().filter(l -> l.contains(" WARN ")).toList();
      assertEquals(3, warns.size(), log.text());
      String note = warns.get(0);
      assertTrue(note.contains("event 'note'") && note.contains("socket " + id), note);
      assertTrue(note.contains("namespace /") && note.contains("argument 0 is not a"), note);
      String boom = warns.get(1);
      assertTrue(boom.contains("listener threw on event 'boom' of socket " + id), boom);
      assertTrue(boom.contains("boom in client listener"), boom);
      String gone = warns.get(2);
      assertTrue(gone.contains("event 'disconnect' of socket " + id), gone);
      assertFalse(ev.lines().contains("called"), ev.toString());
    }
  }
}
