package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.EngineIoHandler;
import dev.sio4j.engineio.server.EngineIoServer;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.RawHttp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A polling POST is known to its session from its head on, as in the reference: a session that
 * closes while the body is still coming aborts the request (its connection closes, no answer).
 * Internal, to wait for the session to have heard of the POST before closing it.
 */
@Timeout(60)
class PostInFlightTest {
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  private final EngineIoHandler handler =
      new EngineIoHandler() {
        @Override
        public void onOpen(EngineIoSocket socket) {
          sessions.put(socket.id(), (Session) socket);
        }

        @Override
        public void onMessage(EngineIoSocket socket, String text) {}

        @Override
        public void onBinary(EngineIoSocket socket, byte[] data) {}

        @Override
        public void onClose(EngineIoSocket socket, CloseReason reason, String description) {}
      };

  private static boolean postInFlight(Session session) throws Exception {
    return session
        .loop()
        .submit(
            () ->
                session.currentTransport() instanceof PollingTransport
                    && ((PollingTransport) session.currentTransport()).hasPostInFlight())
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPostInFlightIsAbortedWhenItsSessionCloses() throws Exception {
    EngineIoServer server = EngineIoServer.builder().handler(handler).build();
    server.start().get(10, TimeUnit.SECONDS);
    try {
      String base = "http://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=polling";
      HttpResponse<byte[]> open = Http.get(base);
      String sid = EngineIoWireClient.sidOf(Http.text(open));
      // Recorded by the open handler on the session's loop, which may run after the answer is out.
      Await.until(() -> sessions.get(sid) != null, "the session is recorded");
      Session session = sessions.get(sid);
      try (RawHttp connection = new RawHttp(server.port())) {
        connection.send(
            "POST /engine.io/?EIO=4&transport=polling&sid="
                + sid
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + Http.TEXT
                + "\r\nContent-Length: 10\r\n\r\n4ab");
        Await.until(
            () -> {
              try {
                return postInFlight(session);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            },
            "the session hears of the POST");
        // Without a GET held, the close packet waits for the next one: the session is closing,
        // its transport already is, and that ends the POST.
        session.close();
        assertTrue(connection.closedByServer(), "the POST's connection is closed");
      }
    } finally {
      CompletableFuture<Void> done = server.close();
      done.get(10, TimeUnit.SECONDS);
    }
  }
}
