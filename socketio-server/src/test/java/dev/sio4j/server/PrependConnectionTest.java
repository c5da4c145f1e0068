package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link Namespace#prependConnection}: before the listeners added so far. */
class PrependConnectionTest extends ServerTestSupport {
  @Test
  void aPrependedListenerRunsFirst() {
    SocketIoServer io = server();
    List<String> order = new CopyOnWriteArrayList<>();
    io.onConnection(s -> order.add("app"));
    io.sockets().prependConnection(s -> order.add("tool"));
    connected(io, Transport.WEBSOCKET);
    awaitCondition(() -> order.size() == 2, "both listeners");
    assertEquals(List.of("tool", "app"), order);
  }
}
