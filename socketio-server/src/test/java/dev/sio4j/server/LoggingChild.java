package dev.sio4j.server;

import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link LoggingChildJvmTest} runs in a JVM of its own, with the class path it chooses
 * (with or without an SLF4J provider): a server whose handler throws, one client event, exit.
 */
public final class LoggingChild {
  private LoggingChild() {}

  public static void main(String[] args) throws Exception {
    SocketIoServer io = SocketIoServer.builder().build();
    CountDownLatch failed = new CountDownLatch(1);
    io.onConnection(
        s -> {
          s.on(
              "chat",
              a -> {
                throw new IllegalStateException("boom in child");
              });
          // Called after the failure was reported.
          s.onError(e -> failed.countDown());
        });
    io.start().get(10, TimeUnit.SECONDS);
    EngineIoWireClient c =
        EngineIoWireClient.open(io.port(), io.options().path(), Transport.WEBSOCKET);
    try {
      c.connect();
      c.send("42[\"chat\"]");
      if (!failed.await(10, TimeUnit.SECONDS)) {
        System.out.println("no failure reported");
      }
    } finally {
      c.abort();
      io.close().get(10, TimeUnit.SECONDS);
    }
    System.out.println("child done");
  }
}
