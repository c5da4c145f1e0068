package dev.sio4j.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.SocketIoException;
import dev.sio4j.engineio.testing.CapturedStderr;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.LineLog;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * What a user sees in the log when their code throws: one WARN line per failure naming the
 * callback, the event, the socket id and the namespace (the stack trace under it); and the server's
 * own lines: a port in use is one ERROR line naming it, the loops are named threads.
 */
class CallbackLoggingTest extends ServerTestSupport {

  /** The test: a handler that throws produces one WARN line, and it names the event. */
  @Test
  void aThrowingHandlerProducesExactlyOneWarnLineNamingTheEvent() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> {
          s.on(
              "chat",
              args -> {
                throw new IllegalStateException("boom in chat");
              });
          s.onError(e -> ev.add("error:" + e.getMessage()));
        });
    try (CapturedStderr log = CapturedStderr.start()) {
      EngineIoWireClient c = connected(io, Transport.WEBSOCKET);
      String sid = io.sockets().sockets().keySet().iterator().next();
      c.send("421[\"chat\",\"hi\"]");
      assertEquals("error:boom in chat", ev.await("error:"));
      // The client is told nothing; its ack (asked for) never comes.
      c.assertSilentFor(QUIET);

      List<String> warns = TypedHandlersTest.warnLines(log.text());
      assertEquals(1, warns.size(), log.text());
      String line = warns.get(0);
      assertTrue(line.contains("event 'chat'"), line);
      assertTrue(line.contains("socket " + sid), line);
      assertTrue(line.contains("namespace /"), line);
      assertTrue(line.contains("boom in chat"), line);
      assertTrue(log.text().contains("\tat "), "the stack trace of a bug follows the line");
    }
  }

  @Test
  void everyKindOfServerCallbackNamesNamespaceEventAndSocket() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    Namespace admin = io.of("/admin");
    admin.use(
        (s, next) -> {
          if (s.handshake().auth().path("fail").asBoolean()) {
            throw new IllegalStateException("boom in middleware");
          }
          next.proceed();
        });
    admin.onConnection(
        s -> {
          ev.add("id:" + s.id());
          s.onAny(
              (event, args) -> {
                throw new IllegalStateException("boom in any");
              });
          s.use(
              (event, args, next) -> {
                if (event.equals("refused")) {
                  throw new IllegalStateException("boom in packet middleware");
                }
                next.proceed();
              });
          s.on("ping", args -> ev.add("ping"));
          s.onDisconnect(
              reason -> {
                ev.add("disconnect");
                throw new IllegalStateException("boom in disconnect");
              });
          throw new IllegalStateException("boom in connection");
        });
    try (CapturedStderr log = CapturedStderr.start()) {
      EngineIoWireClient refused = client(io, Transport.WEBSOCKET);
      refused.send("40/admin,{\"fail\":true}");
      assertEquals("44/admin,{\"message\":\"boom in middleware\"}", refused.nextText());

      EngineIoWireClient c = client(io, Transport.WEBSOCKET);
      c.send("40/admin,");
      assertTrue(c.nextText().startsWith("40/admin,{\"sid\""));
      String sid = ev.await("id:").substring(3);
      c.send("42/admin,[\"ping\"]");
      ev.await("ping");
      c.send("42/admin,[\"refused\"]");
      c.send("41/admin,");
      ev.await("disconnect");
      // The listener throws right after recording its line.
      awaitCondition(() -> log.text().contains("boom in disconnect"), "the disconnect line");

      String text = log.text();
      assertWarn(text, "middleware threw on event 'connection'", null, "boom in middleware");
      assertWarn(text, "connection listener threw on event 'connection'", sid, "boom in conn");
      assertWarn(text, "catch-all listener threw on event 'ping'", sid, "boom in any");
      assertWarn(text, "packet middleware threw on event 'refused'", sid, "boom in packet");
      assertWarn(text, "disconnect listener threw on event 'disconnect'", sid, "boom in disc");
    }
  }

  private static void assertWarn(String log, String what, String sid, String cause) {
    List<String> lines =
        TypedHandlersTest.warnLines(log).stream().filter(l -> l.contains(what)).toList();
    assertEquals(1, lines.size(), what + " in:\n" + log);
    String line = lines.get(0);
    assertTrue(line.contains("namespace /admin"), line);
    assertTrue(line.contains(cause), line);
    if (sid != null) {
      assertTrue(line.contains("socket " + sid), line);
    } else {
      assertTrue(line.matches(".*socket [\\w-]{20} .*"), line);
    }
  }

  @Test
  void handlersRunOnNamedLoopThreads() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> s.on("where", args -> ev.add("thread:" + Thread.currentThread().getName())));
    EngineIoWireClient c = connected(io, Transport.POLLING);
    c.send("42[\"where\"]");
    String thread = ev.await("thread:").substring("thread:".length());
    assertTrue(thread.matches("sio4j-io-\\d+"), thread);
  }

  @Test
  void aPortInUseIsOneErrorLineNamingItAndASocketIoException() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        CapturedStderr log = CapturedStderr.start()) {
      int port = taken.getLocalPort();
      SocketIoServer io = SocketIoServer.builder().port(port).build();
      try {
        CompletionException e =
            assertThrows(CompletionException.class, () -> io.start().orTimeout(10, SECONDS).join());
        SocketIoException cause = assertInstanceOf(SocketIoException.class, e.getCause());
        assertTrue(cause.getMessage().contains("127.0.0.1:" + port), cause.getMessage());
      } finally {
        join(io.close());
      }
      String text = log.text();
      List<String> errors = text.lines().filter(l -> l.contains(" ERROR ")).toList();
      assertEquals(1, errors.size(), text);
      assertTrue(errors.get(0).contains("cannot listen on 127.0.0.1:" + port), errors.get(0));
      assertFalse(text.contains("\tat "), text);
    }
  }
}
