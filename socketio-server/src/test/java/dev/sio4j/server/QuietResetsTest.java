package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.IoTransport;
import dev.sio4j.engineio.testing.CapturedStderr;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.engineio.testing.RawHttp;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Polling clients that go away with a TCP reset (a closed laptop, a killed tab) are the network's
 * business: a Socket.IO server (client bundle handler in front, sessions with sockets) logs them at
 * DEBUG, never a WARN with a stack trace from the tail of the pipeline ("An exceptionCaught() event
 * was fired, and it reached at the tail of the pipeline"), on each I/O transport.
 */
class QuietResetsTest extends ServerTestSupport {

  private static String open(SocketIoServer io) {
    try (RawHttp h = new RawHttp(io.port())) {
      String body = h.exchange(get(null)).bodyText();
      int at = body.indexOf("\"sid\":\"") + 7;
      String sid = body.substring(at, body.indexOf('"', at));
      h.exchange(RawHttp.post(path(sid), "text/plain", "40"));
      // The CONNECT answer.
      h.exchange(get(sid));
      return sid;
    }
  }

  private static String path(String sid) {
    return "/socket.io/?EIO=4&transport=polling" + (sid == null ? "" : "&sid=" + sid);
  }

  private static String get(String sid) {
    return "GET " + path(sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  @ParameterizedTest
  @EnumSource(
      value = IoTransport.class,
      names = {"AUTO", "NIO"})
  void resetPollingConnectionsLogNoWarning(IoTransport transport) {
    // A short heartbeat ends the sessions whose poll was answered before its reset (nothing else
    // tells them); one loop handles each reset before the heartbeat that follows it.
    EngineIoOptions engine =
        EngineIoOptions.builder()
            .path("/socket.io")
            .pingInterval(Duration.ofMillis(300))
            .pingTimeout(Duration.ofMillis(300))
            .build();
    SocketIoServer io =
        SocketIoServer.builder()
            .transport(transport)
            .ioThreads(1)
            .options(SocketIoOptions.builder().engine(engine).build())
            .build();
    LineLog ev = new LineLog();
    io.onConnection(s -> s.onDisconnect(reason -> ev.add("gone:" + reason.text())));
    try (CapturedStderr log = CapturedStderr.start()) {
      join(io.start());

      // A held long-polling GET.
      String held = open(io);
      RawHttp a = new RawHttp(io.port());
      a.send(get(held));
      awaitPendingGet(io, held);
      a.reset();
      ev.await("gone:");

      // A GET answered with a large payload, reset while the server writes it.
      String busy = open(io);
      RawHttp g = new RawHttp(io.port());
      g.send(get(busy));
      awaitPendingGet(io, busy);
      // More than the socket buffers take: the write is still going on when the reset comes.
      io.emit("big", "x".repeat(8_000_000));
      g.reset();
      ev.await("gone:");

      // A POST whose body never comes to its end.
      String posting = open(io);
      RawHttp poll = new RawHttp(io.port());
      poll.send(get(posting));
      awaitPendingGet(io, posting);
      RawHttp d = new RawHttp(io.port());
      d.send(
          "POST "
              + path(posting)
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
              + "Content-Length: 100\r\n\r\n42[\"par");
      d.reset();
      poll.reset();
      ev.await("gone:");

      String text = log.text();
      assertFalse(text.contains("exceptionCaught"), text);
      assertFalse(text.contains(" WARN "), text);
    } finally {
      join(io.close());
    }
  }

  /** Waits until the session {@code sid} holds a GET (its transport is writable). */
  private static void awaitPendingGet(SocketIoServer io, String sid) {
    awaitCondition(
        () ->
            io.sockets().sockets().values().stream()
                .anyMatch(s -> s.conn().id().equals(sid) && s.isWritable()),
        "a GET pending for " + sid);
  }
}
