package dev.sio4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sio4j.server.BroadcastOperator;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Connection state recovery against sio4j's own server, started in-process. */
class Sio4jServerConnectionStateRecoveryTest extends AbstractConnectionStateRecoveryTest {

  @Override
  protected RecoveryServer start(Duration maxDisconnectionDuration) {
    return new InProcessServer(maxDisconnectionDuration);
  }

  /** A server-side happening: "connection" or "disconnect". */
  private record Event(String type, String id, boolean recovered, JsonNode auth, String reason) {}

  private static final class InProcessServer implements RecoveryServer {
    private final SocketIoServer io;
    private final List<Event> events = new ArrayList<>();

    InProcessServer(Duration maxDisconnectionDuration) {
      io =
          SocketIoServer.builder()
              .options(
                  SocketIoOptions.builder()
                      .connectionStateRecovery(
                          RecoveryOptions.defaults()
                              .maxDisconnectionDuration(maxDisconnectionDuration))
                      .build())
              .ioThreads(2)
              .build();
      io.onConnection(
          socket -> {
            String id = socket.id();
            JsonNode auth = socket.handshake().auth();
            add(
                new Event(
                    "connection",
                    id,
                    socket.recovered(),
                    auth == null ? NullNode.getInstance() : auth,
                    null));
            socket.onDisconnect(r -> add(new Event("disconnect", id, false, null, r.text())));
          });
      io.start().join();
    }

    private void add(Event e) {
      synchronized (events) {
        events.add(e);
        events.notifyAll();
      }
    }

    private Event await(Predicate<Event> filter) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      synchronized (events) {
        while (true) {
          for (int i = 0; i < events.size(); i++) {
            if (filter.test(events.get(i))) {
              return events.remove(i);
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("no matching server event; saw " + events);
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(events, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        }
      }
    }

    private Socket socket(String id) {
      Socket s = io.sockets().sockets().get(id);
      if (s == null) {
        throw new AssertionError("no socket " + id);
      }
      return s;
    }

    @Override
    public String url() {
      return "http://127.0.0.1:" + io.port();
    }

    @Override
    public void join(String socketId, String room) {
      Socket socket = socket(socketId);
      socket.join(room);
      // join() is queued onto the socket's loop: once a later task ran there, it is complete.
      try {
        socket.conn().executor().submit(() -> {}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("join " + room, e);
      }
    }

    @Override
    public void emit(String to, String except, String event, Object... args) {
      BroadcastOperator op = to == null ? null : io.to(to);
      if (except != null) {
        op = op == null ? io.except(except) : op.except(except);
      }
      if (op == null) {
        io.emit(event, args);
      } else {
        op.emit(event, args);
      }
    }

    @Override
    public String emitWithAck(String socketId, String event, String arg) {
      return socket(socketId)
          .timeout(WAIT)
          .emitWithAck(event, arg)
          .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .join()
          .string(0);
    }

    @Override
    public void dropConnection(String socketId) {
      socket(socketId).conn().close();
    }

    @Override
    public String awaitDisconnect(String socketId) {
      return await(e -> e.type().equals("disconnect") && e.id().equals(socketId)).reason();
    }

    @Override
    public Connection awaitConnection(String socketId) {
      Event e = await(ev -> ev.type().equals("connection") && ev.id().equals(socketId));
      return new Connection(e.recovered(), e.auth());
    }

    @Override
    public void close() {
      io.close().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }
}
