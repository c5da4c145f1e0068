package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.NetworkTool;
import dev.sio4j.interop.NodeServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code withCredentials}: a real HAProxy balancing round-robin over two Node reference servers,
 * sticky by an inserted cookie, in front of a polling-only client. With the cookie jar every
 * request of a session reaches the node that holds it; without, the second request lands on the
 * other node, which answers 400 "Session ID unknown" (the reason sticky sessions exist). Skipped,
 * loudly, only when no haproxy executable is found.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StickyCookieInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static NodeServer node1;
  private static NodeServer node2;
  private static NetworkTool haproxy;

  @BeforeAll
  static void start() {
    boolean present = NetworkTool.executable("haproxy").isPresent();
    if (!present) {
      System.err.println("SKIPPED StickyCookieInteropTest: no haproxy executable");
    }
    Assumptions.assumeTrue(present, "no haproxy executable");
    node1 = NodeServer.socketIo();
    node2 = NodeServer.socketIo();
    int port = FreePort.find();
    String config =
        String.join(
            "\n",
            "defaults",
            "  mode http",
            "  timeout connect 5s",
            "  timeout client 60s",
            "  timeout server 60s",
            "frontend fe",
            "  bind 127.0.0.1:" + port,
            "  default_backend nodes",
            "backend nodes",
            "  balance roundrobin",
            "  cookie SRV insert indirect nocache",
            "  server n1 127.0.0.1:" + node1.port() + " cookie n1",
            "  server n2 127.0.0.1:" + node2.port() + " cookie n2",
            "");
    haproxy = NetworkTool.haproxy(config, port, WAIT);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {haproxy, node1, node2}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // Best effort: the others must still stop.
        }
      }
    }
  }

  private static SocketIoClient.Builder client() {
    return SocketIoClient.builder()
        .uri(URI.create("http://127.0.0.1:" + haproxy.port()))
        .transports(TransportType.POLLING)
        .reconnection(false);
  }

  @Test
  void withTheCookieJarTheSessionStaysOnItsNode() {
    SocketIoClient client = client().withCredentials(true).build();
    try {
      ClientSocket socket = client.socket("/");
      LineLog log = AbstractClientInteropTest.record(socket);
      log.await("connect", WAIT);
      String id = socket.id().orElseThrow();
      for (int i = 0; i < 5; i++) {
        Arguments reply = socket.emitWithAck("echo", i).orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(i, reply.get(0, Integer.class));
      }
      // Exactly one node has the socket.
      int on1 = count(node1, id);
      int on2 = count(node2, id);
      assertEquals(1, on1 + on2, "connections on n1=" + on1 + ", n2=" + on2);
      log.assertNoLine("disconnect:", Duration.ofMillis(200));
    } finally {
      client.close().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void theWebSocketUpgradeRequestCarriesTheCookieToo() {
    SocketIoClient client =
        client()
            .transports(TransportType.POLLING, TransportType.WEBSOCKET)
            .withCredentials(true)
            .build();
    try {
      LineLog manager = new LineLog();
      client.onUpgrade(t -> manager.add("upgrade:" + t.wireName()));
      ClientSocket socket = client.socket("/");
      LineLog log = AbstractClientInteropTest.record(socket);
      log.await("connect", WAIT);
      // Sent to the other node, the probe would be refused (400) and the client stay on polling.
      manager.await("upgrade:websocket", WAIT);
      Arguments reply = socket.emitWithAck("echo", "ws").orTimeout(10, TimeUnit.SECONDS).join();
      assertEquals("ws", reply.get(0, String.class));
    } finally {
      client.close().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void withoutTheCookieJarTheOtherNodeDoesNotKnowTheSession() {
    SocketIoClient client = client().build();
    try {
      CompletableFuture<SocketIoException> error = new CompletableFuture<>();
      client.onError(error::complete);
      client.socket("/");
      SocketIoException e = error.orTimeout(10, TimeUnit.SECONDS).join();
      StringBuilder chain = new StringBuilder();
      for (Throwable c = e; c != null; c = c.getCause()) {
        chain.append(c.getMessage()).append(" | ");
      }
      assertTrue(chain.toString().contains("Session ID unknown"), chain.toString());
    } finally {
      client.close().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  private static int count(NodeServer node, String id) {
    return (int)
        node.script().events("connection").stream()
            .filter(n -> n.path("id").asText().equals(id))
            .count();
  }
}
