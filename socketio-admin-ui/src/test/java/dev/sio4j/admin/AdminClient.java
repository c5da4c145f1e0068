package dev.sio4j.admin;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.common.ConnectErrorException;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.testing.EventRecorder;
import dev.sio4j.testing.SocketIoServerExtension;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Admin UI as a test sees it: a Java client socket on the admin namespace whose events are all
 * recorded from before it connects (the server sends {@code session}, {@code config} and {@code
 * all_sockets} at once).
 *
 * <p>Thread-safety: as {@link EventRecorder}; the socket is thread-safe.
 */
record AdminClient(ClientSocket socket, EventRecorder events) {
  /** Connects and waits for the answer: the socket if accepted, else the connect error. */
  static CompletableFuture<AdminClient> connect(
      SocketIoServerExtension server, String nsp, Map<String, Object> auth) {
    ClientSocket socket =
        server
            .newClient(b -> b.autoConnect(false))
            .socket(nsp, SocketOptions.builder().auth(auth).build());
    EventRecorder events = EventRecorder.of(socket);
    CompletableFuture<AdminClient> result = new CompletableFuture<>();
    socket.onConnect(() -> result.complete(new AdminClient(socket, events)));
    socket.onConnectError(result::completeExceptionally);
    socket.connect();
    return result;
  }

  static AdminClient login(SocketIoServerExtension server, Map<String, Object> auth) {
    return Await.join(connect(server, "/admin", auth));
  }

  /** The connect error the server answered with. */
  static ConnectErrorException refusal(SocketIoServerExtension server, Map<String, Object> auth) {
    try {
      Await.join(connect(server, "/admin", auth));
    } catch (AssertionError | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConnectErrorException c) {
          return c;
        }
      }
      throw e;
    }
    throw new AssertionError("the admin namespace accepted " + auth);
  }
}
