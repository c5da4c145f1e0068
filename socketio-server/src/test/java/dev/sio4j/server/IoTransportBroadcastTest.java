package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sio4j.engineio.server.IoTransport;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server forced onto each Netty transport the machine has: broadcasts in flight together reach
 * every client, in order, over WebSocket and polling.
 */
@Timeout(60)
class IoTransportBroadcastTest extends ServerTestSupport {
  private static final int CLIENTS = 12;

  private static boolean available(IoTransport t) {
    switch (t) {
      case IO_URING:
        return IoUring.isAvailable();
      case EPOLL:
        return Epoll.isAvailable();
      default:
        return true;
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = IoTransport.class,
      names = {"IO_URING", "EPOLL", "NIO"})
  void broadcastsReachEveryClientInOrder(IoTransport transport) {
    assumeTrue(available(transport), () -> transport + " is not available on this machine");
    SocketIoServer io = SocketIoServer.builder().transport(transport).build();
    List<EngineIoWireClient> clients = new ArrayList<>();
    try {
      join(io.start());
      assertEquals(transport, io.engine().transport());
      io.use(
          (s, next) -> {
            s.join("room");
            next.proceed();
          });
      for (int i = 0; i < CLIENTS; i++) {
        EngineIoWireClient c =
            EngineIoWireClient.open(
                io.port(),
                io.options().path(),
                i % 3 == 0 ? Transport.POLLING : Transport.WEBSOCKET);
        clients.add(c);
        c.connect();
      }
      // Several broadcasts from one thread, written and flushed together by the loops.
      for (int n = 0; n < 5; n++) {
        io.to("room").emit("tick", n);
      }
      for (EngineIoWireClient c : clients) {
        for (int n = 0; n < 5; n++) {
          assertEquals("42[\"tick\"," + n + "]", c.nextText(), c.transport() + " client");
        }
      }
    } finally {
      clients.forEach(EngineIoWireClient::abort);
      join(io.close());
    }
  }
}
