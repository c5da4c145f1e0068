package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.Await.join;
import static dev.sio4j.engineio.testing.Http.getAsync;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.Await;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The accessors of {@link EngineIoSocket} called from a thread that is not the session's loop, as
 * their contract allows: they answer at once, never waiting for the loop (even a busy one), and
 * follow what the loop does. (That the answers are the loop's latest writes rather than stale
 * copies is a matter of the fields being volatile: see {@code internal.SessionFieldsTest}.)
 */
class SocketThreadSafetyTest {
  private static final Duration AT_ONCE = Duration.ofSeconds(2);

  @Test
  void isWritableFollowsThePollingCycleAndAnswersWhileTheLoopIsBusy() throws Exception {
    try (TestServer server = TestServer.start()) {
      String sid = handshake(server);
      EngineIoSocket socket = server.recorder.socket(sid);
      // the handshake GET was answered: nothing held, a write would wait in the buffer
      assertFalse(socket.isWritable());
      assertTrue(socket.isOpen());

      CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(sid));
      Polling.awaitPendingGet(socket);

      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch busy = new CountDownLatch(1);
      socket
          .executor()
          .execute(
              () -> {
                busy.countDown();
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      try {
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        // the loop is busy: the accessors answer from what the loop last published
        assertTimeoutPreemptively(
            AT_ONCE,
            () -> {
              assertTrue(socket.isWritable());
              assertTrue(socket.isOpen());
              assertEquals(TransportType.POLLING, socket.transport());
              assertFalse(socket.upgraded());
            });
        socket.send("queued behind the busy loop");
        assertTimeoutPreemptively(AT_ONCE, () -> assertTrue(socket.isWritable()));
      } finally {
        release.countDown();
      }
      assertEquals("4queued behind the busy loop", text(join(pending)));
      Await.until(() -> !socket.isWritable(), "the answered GET is no longer held");

      // polling closes through the next GET, which gets the close packet
      CompletableFuture<HttpResponse<byte[]>> last = getAsync(server.polling(sid));
      Polling.awaitPendingGet(socket);
      socket.close();
      assertEquals("1", text(join(last)));
      server.recorder.awaitClose(sid);
      assertFalse(socket.isOpen());
      assertFalse(socket.isWritable());
    }
  }
}
