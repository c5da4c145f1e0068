package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.interop.FreePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reconnection: the server under test is stopped and started again on the same port while a client
 * is connected. Subclasses provide the server.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
abstract class AbstractReconnectionTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  protected abstract TestServer startServer(String optionsJson);

  @ParameterizedTest
  @EnumSource(Mode.class)
  void reconnectsWithBackoffAndSendsBufferedEmitsExactlyOnce(Mode mode) {
    try (TestServer server = startServer("{}")) {
      AtomicInteger authCalls = new AtomicInteger();
      SocketIoClient client =
          mode.configure(
                  SocketIoClient.builder()
                      .uri(URI.create(server.url()))
                      .reconnectionDelay(Duration.ofMillis(100))
                      .reconnectionDelayMax(Duration.ofMillis(400)))
              .build();
      try {
        LineLog manager = new LineLog();
        client.onReconnectAttempt(n -> manager.add("reconnect_attempt:" + n));
        client.onReconnectError(e -> manager.add("reconnect_error"));
        client.onReconnect(n -> manager.add("reconnect:" + n));
        client.onClose(r -> manager.add("close:" + r.reason()));
        ClientSocket socket =
            client.socket(
                "/",
                SocketOptions.builder()
                    .auth(() -> Map.of("n", authCalls.incrementAndGet()))
                    .build());
        LineLog log = AbstractClientInteropTest.record(socket);
        log.await("connect", WAIT);
        String firstId = socket.id().orElseThrow();

        server.stop();
        String reason = log.await("disconnect:", WAIT);
        assertTrue(
            reason.equals("disconnect:transport close")
                || reason.equals("disconnect:transport error"),
            reason);
        for (int i = 0; i < 3; i++) {
          socket.emit("buffered", i);
        }
        CompletableFuture<Arguments> ack = socket.emitWithAck("echo", "after");
        // At least one attempt fails while the server is down.
        manager.await("reconnect_error", WAIT);
        server.restart();

        String reconnected = manager.await("reconnect:", WAIT);
        log.await("connect", WAIT);
        String id =
            socket.id().orElseThrow(() -> new AssertionError(log.lines() + " " + manager.lines()));
        assertTrue(!id.equals(firstId));
        assertEquals("after", ack.orTimeout(10, TimeUnit.SECONDS).join().get(0, String.class));
        JsonNode conn = server.await("connection", n -> n.path("id").asText().equals(id), WAIT);
        assertTrue(conn.path("auth").path("n").asInt() >= 2, "auth re-evaluated: " + conn);

        socket.emit("marker");
        server.await(
            "event",
            n -> n.path("id").asText().equals(id) && n.path("name").asText().equals("marker"),
            WAIT);
        List<Integer> buffered = new ArrayList<>();
        for (JsonNode ev : server.events("event")) {
          if (ev.path("name").asText().equals("buffered")) {
            buffered.add(ev.path("args").get(0).asInt());
          }
        }
        assertEquals(List.of(0, 1, 2), buffered);

        // Manager events: attempts numbered 1..n, each failed one followed by reconnect_error,
        // the last one by reconnect:n.
        List<String> lines =
            manager.lines().stream().filter(l -> l.startsWith("reconnect")).toList();
        int n = Integer.parseInt(reconnected.substring("reconnect:".length()));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          expected.add("reconnect_attempt:" + i);
          expected.add(i < n ? "reconnect_error" : "reconnect:" + n);
        }
        assertEquals(expected, lines);
        assertTrue(manager.lines().get(0).startsWith("close:"), manager.lines().toString());
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  @Test
  void givesUpAfterReconnectionAttempts() {
    SocketIoClient client =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + FreePort.find()))
            .reconnectionAttempts(2)
            .reconnectionDelay(Duration.ofMillis(20))
            .reconnectionDelayMax(Duration.ofMillis(50))
            .autoConnect(false)
            .build();
    try {
      LineLog manager = new LineLog();
      client.onError(e -> manager.add("error"));
      client.onReconnectAttempt(n -> manager.add("reconnect_attempt:" + n));
      client.onReconnectError(e -> manager.add("reconnect_error"));
      client.onReconnectFailed(() -> manager.add("reconnect_failed"));
      ClientSocket socket = client.socket("/");
      LineLog log = AbstractClientInteropTest.record(socket);
      socket.connect();
      manager.await("reconnect_failed", WAIT);
      manager.await("reconnect_error", WAIT);
      manager.await("reconnect_error", WAIT);
      assertEquals(
          List.of(
              "error",
              "reconnect_attempt:1",
              "error",
              "reconnect_error",
              "reconnect_attempt:2",
              "error",
              // As the reference: the next attempt is planned (and given up) before the
              // failed one is reported.
              "reconnect_failed",
              "reconnect_error"),
          manager.lines());
      // Each failed open is also a connect_error of the socket, which stays active.
      assertEquals(3, log.lines("connect_error:").size());
      assertTrue(socket.active());
    } finally {
      client.close().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void openTimeoutIsReportedAsTimeout() throws Exception {
    // Accepts TCP connections (kernel backlog) but never answers.
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      SocketIoClient client =
          SocketIoClient.builder()
              .uri(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
              .timeout(Duration.ofMillis(300))
              .reconnection(false)
              .build();
      try {
        ClientSocket socket = client.socket("/");
        LineLog log = AbstractClientInteropTest.record(socket);
        assertEquals("connect_error:timeout:null", log.await("connect_error:", WAIT));
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }
}
