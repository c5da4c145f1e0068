package dev.sio4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.adapter.ClusterAdapter;
import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterResponse;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.testing.RecordedEvent;
import dev.sio4j.testing.SocketIoWireClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Meters that need a server set up their own way: connection state recovery, a cluster adapter, the
 * builder's options (common tags, event names, namespace mapping, observers in the options).
 */
@Timeout(60)
class SocketIoMetricsOptionsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aRecoveredSessionCountsAnAttemptAndASuccess() throws Exception {
    SocketIoOptions options =
        SocketIoOptions.builder().connectionStateRecovery(RecoveryOptions.defaults()).build();
    withServer(
        options,
        io -> SocketIoMetrics.bind(io, registry),
        io -> {
          SocketIoWireClient first = wire(io);
          first.send("0");
          JsonNode connect = MAPPER.readTree(first.nextPacket().substring(1));
          String pid = connect.path("pid").asText();
          io.emit("tick", 1);
          RecordedEvent tick = first.nextEvent();
          String offset = tick.args().string(tick.args().size() - 1);
          first.abort();
          awaitCount(1, MetricsObserver.DISCONNECTS, "reason", "transport close");

          SocketIoWireClient second = wire(io);
          second.send("0" + MAPPER.writeValueAsString(Map.of("pid", pid, "offset", offset)));
          assertTrue(second.nextPacket().startsWith("0{"));
          awaitCount(1, MetricsObserver.RECOVERY_ATTEMPTS, "namespace", "/");
          awaitCount(1, MetricsObserver.RECOVERY_SUCCESSES, "namespace", "/");

          SocketIoWireClient stranger = wire(io);
          stranger.send("0" + MAPPER.writeValueAsString(Map.of("pid", "nobody", "offset", "0")));
          assertTrue(stranger.nextPacket().startsWith("0{"));
          awaitCount(2, MetricsObserver.RECOVERY_ATTEMPTS, "namespace", "/");
          assertEquals(1, count(MetricsObserver.RECOVERY_SUCCESSES, "namespace", "/"));
          second.close();
          stranger.close();
        });
  }

  @Test
  void aClusterRequestThatNobodyAnswersCountsARequestAndATimeout() throws Exception {
    SocketIoOptions options =
        SocketIoOptions.builder()
            .adapter(host -> new SilentClusterAdapter(host, Duration.ofMillis(200)))
            .build();
    withServer(
        options,
        io -> SocketIoMetrics.bind(io, registry),
        io -> {
          CompletableFuture<?> answers = io.serverSideEmitWithAck("anyone");
          ExecutionException e =
              assertThrows(ExecutionException.class, () -> answers.get(10, TimeUnit.SECONDS));
          assertInstanceOf(AckTimeoutException.class, e.getCause());
          String[] tags = {"namespace", "/", "type", "server_side_emit"};
          assertEquals(1, count(MetricsObserver.CLUSTER_REQUESTS, tags));
          assertEquals(1, count(MetricsObserver.CLUSTER_TIMEOUTS, tags));
        });
  }

  @Test
  void theBuilderAddsCommonTagsEventNamesAndMapsNamespaces() throws Exception {
    SocketIoMetrics metrics =
        SocketIoMetrics.builder(registry)
            .tags(Tags.of("app", "chat"))
            .eventNameTag(true)
            .namespaceTag(name -> name.startsWith("/room-") ? "/room-*" : name)
            .build();
    SocketIoOptions options = SocketIoOptions.builder().observer(metrics.observer()).build();
    withServer(
        options,
        io -> io.of(java.util.regex.Pattern.compile("/room-\\d+")),
        io -> {
          SocketIoWireClient a = wire(io);
          a.connect("/room-1");
          SocketIoWireClient b = wire(io);
          b.connect("/room-2");
          String[] ns = {"app", "chat", "namespace", "/room-*"};
          awaitGauge(2, MetricsObserver.SOCKETS, ns);
          a.emitIn("/room-1", "hello");
          b.emitIn("/room-2", "hello");
          b.emitIn("/room-2", "bye");
          awaitCount(
              2,
              MetricsObserver.EVENTS_RECEIVED,
              "app",
              "chat",
              "namespace",
              "/room-*",
              "event",
              "hello");
          awaitCount(
              1,
              MetricsObserver.EVENTS_RECEIVED,
              "app",
              "chat",
              "namespace",
              "/room-*",
              "event",
              "bye");
          a.close();
          b.close();
          awaitGauge(0, MetricsObserver.SOCKETS, ns);
        });
  }

  @Test
  void everyObserverInTheOptionsHearsEverything() throws Exception {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    SocketIoOptions options =
        SocketIoOptions.builder()
            .observer(SocketIoMetrics.builder(registry).build().observer())
            .observer(SocketIoMetrics.builder(other).build().observer())
            .build();
    withServer(
        options,
        io -> {},
        io -> {
          wire(io).connect();
          for (SimpleMeterRegistry r : new SimpleMeterRegistry[] {registry, other}) {
            Await.until(
                () ->
                    r.find(MetricsObserver.SOCKETS).tag("namespace", "/").gauge() != null
                        && r.find(MetricsObserver.SOCKETS).tag("namespace", "/").gauge().value()
                            == 1,
                "a socket counted in each registry");
          }
        });
  }

  // ---- helpers --------------------------------------------------------------------------------

  interface ServerTest {
    void run(SocketIoServer io) throws Exception;
  }

  private final java.util.List<SocketIoWireClient> wires = new java.util.ArrayList<>();

  private SocketIoWireClient wire(SocketIoServer io) {
    SocketIoWireClient w =
        SocketIoWireClient.open(
            io.port(),
            io.options().path(),
            dev.sio4j.engineio.testing.EngineIoWireClient.Transport.WEBSOCKET);
    wires.add(w);
    return w;
  }

  private void withServer(SocketIoOptions options, Consumer<SocketIoServer> setup, ServerTest test)
      throws Exception {
    SocketIoServer io = SocketIoServer.builder().options(options).port(0).build();
    try {
      setup.accept(io);
      Await.join(io.start());
      test.run(io);
    } finally {
      wires.forEach(SocketIoWireClient::abort);
      io.close().get(10, TimeUnit.SECONDS);
    }
  }

  private double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    assertNotNull(c, "no counter " + name + " " + String.join(",", tags));
    return c.count();
  }

  private void awaitCount(double expected, String name, String... tags) {
    Await.until(
        () -> {
          Counter c = registry.find(name).tags(tags).counter();
          return c != null && c.count() == expected;
        },
        name + " " + String.join(",", tags) + " == " + expected);
  }

  private void awaitGauge(double expected, String name, String... tags) {
    Await.until(
        () ->
            registry.find(name).tags(tags).gauge() != null
                && registry.find(name).tags(tags).gauge().value() == expected,
        name + " " + String.join(",", tags) + " == " + expected);
  }

  /** A cluster of two nodes whose other node never answers: every request times out. */
  static final class SilentClusterAdapter extends ClusterAdapter {
    SilentClusterAdapter(AdapterHost host, Duration requestsTimeout) {
      super(host, requestsTimeout);
    }

    @Override
    protected CompletionStage<Void> publish(ClusterMessage message) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse response) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
      return CompletableFuture.completedFuture(2);
    }
  }
}
