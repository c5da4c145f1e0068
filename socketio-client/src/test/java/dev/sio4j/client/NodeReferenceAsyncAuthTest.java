package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.ConnectErrorException;
import dev.sio4j.engineio.testing.LineLog;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SocketOptions.Builder#authAsync}: the CONNECT waits for the supplier's stage, which the
 * Node reference server then sees as {@code socket.handshake.auth}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeReferenceAsyncAuthTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Completes stages a little later, on another thread, as a token service would. */
  private static final Executor LATER =
      CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);

  private TestServer server;
  private final List<SocketIoClient> clients = new ArrayList<>();

  @BeforeAll
  void start() {
    server = new NodeTestServer("{}");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    CompletableFuture.allOf(
            clients.stream().map(SocketIoClient::close).toArray(CompletableFuture[]::new))
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    clients.clear();
  }

  private ClientSocket socket(Mode mode, SocketOptions options) {
    SocketIoClient client =
        mode.configure(
                SocketIoClient.builder()
                    .uri(URI.create(server.url()))
                    .reconnectionDelay(Duration.ofMillis(100))
                    .reconnectionDelayMax(Duration.ofMillis(300)))
            .build();
    clients.add(client);
    return client.socket("/", options);
  }

  private JsonNode connection(String id) {
    return server.await("connection", n -> n.path("id").asText().equals(id), WAIT);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTokenFetchedAsynchronouslyReachesTheHandshakeAndIsRefreshedOnReconnection(Mode mode) {
    AtomicInteger fetches = new AtomicInteger();
    ClientSocket socket =
        socket(
            mode,
            SocketOptions.builder()
                .authAsync(
                    () -> {
                      int n = fetches.incrementAndGet();
                      return CompletableFuture.supplyAsync(() -> Map.of("token", "t" + n), LATER);
                    })
                .build());
    LineLog log = AbstractClientInteropTest.record(socket);
    log.await("connect", WAIT);
    String first = socket.id().orElseThrow();
    assertEquals("t1", connection(first).path("auth").path("token").asText());

    server.command(Map.of("cmd", "closeConnection", "to", first));
    assertEquals("disconnect:transport close", log.await("disconnect:", WAIT));
    log.await("connect", WAIT);
    String second = socket.id().orElseThrow();
    assertEquals("t2", connection(second).path("auth").path("token").asText());
    assertEquals(2, fetches.get());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aStageThatNeverCompletesFailsTheConnectAfterTheTimeout(Mode mode) {
    CompletableFuture<Map<String, Object>> never = new CompletableFuture<>();
    ClientSocket socket =
        socket(
            mode,
            SocketOptions.builder()
                .authAsync(() -> never)
                .authTimeout(Duration.ofMillis(300))
                .build());
    AtomicReference<ConnectErrorException> error = new AtomicReference<>();
    socket.onConnectError(error::set);
    LineLog log = AbstractClientInteropTest.record(socket);
    assertEquals(
        "connect_error:auth timed out after 300 ms:null", log.await("connect_error:", WAIT));
    assertFalse(socket.connected());
    assertTrue(socket.active(), "a timed-out fetch is retried on the next connect");
    // The late answer is ignored: no CONNECT goes out for the stale attempt.
    never.complete(Map.of("token", "late"));
    log.assertNoLine("connect", Duration.ofMillis(500));
    assertTrue(
        server.events("connection").stream()
            .noneMatch(c -> c.path("auth").path("token").asText().equals("late")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailedStageIsAConnectErrorWithItsMessage(Mode mode) {
    AtomicInteger fetches = new AtomicInteger();
    ClientSocket socket =
        socket(
            mode,
            SocketOptions.builder()
                .authAsync(
                    () ->
                        fetches.incrementAndGet() == 1
                            ? CompletableFuture.supplyAsync(
                                () -> {
                                  throw new IllegalStateException("token service down");
                                },
                                LATER)
                            : CompletableFuture.completedFuture(Map.of("token", "ok")))
                .build());
    AtomicReference<ConnectErrorException> error = new AtomicReference<>();
    socket.onConnectError(error::set);
    LineLog log = AbstractClientInteropTest.record(socket);
    assertEquals(
        "connect_error:auth failed: token service down:null", log.await("connect_error:", WAIT));
    assertInstanceOf(IllegalStateException.class, error.get().getCause());
    assertFalse(socket.connected());
    // connect() tries again with a fresh fetch.
    socket.connect();
    log.await("connect", WAIT);
    assertEquals("ok", connection(socket.id().orElseThrow()).path("auth").path("token").asText());
  }
}
