package dev.sio4j.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.adapter.AdapterFactory;
import dev.sio4j.adapter.ClusterAdapter;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Servers in one JVM on port 0, each with its adapter on one {@link InProcessBus}, and Java clients
 * connected to them. A client's auth names it ({@code name}, kept in the socket's data) and lists
 * the rooms its middleware joins ({@code rooms}).
 */
final class Cluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  final InProcessBus bus = new InProcessBus();
  private final List<SocketIoServer> servers = new ArrayList<>();
  private final List<SocketIoClient> clients = new ArrayList<>();
  private final AtomicInteger markers = new AtomicInteger();

  Cluster(int size, Function<InProcessBus, AdapterFactory> adapters) {
    for (int i = 0; i < size; i++) {
      SocketIoServer io =
          SocketIoServer.builder()
              .ioThreads(1)
              .options(SocketIoOptions.builder().adapter(adapters.apply(bus)).build())
              .build();
      io.use(
          (s, next) -> {
            JsonNode auth = s.handshake().auth();
            auth.path("rooms").forEach(r -> s.join(r.asText()));
            s.data().put("name", auth.path("name").asText());
            next.proceed();
          });
      servers.add(io.start().join());
    }
  }

  /** A cluster of base {@link ClusterAdapter}s whose requests time out after {@code timeout}. */
  static Cluster of(int size, Duration requestsTimeout) {
    return new Cluster(size, bus -> bus.adapters(requestsTimeout));
  }

  SocketIoServer io(int node) {
    return servers.get(node);
  }

  ClusterAdapter adapter(int node) {
    return (ClusterAdapter) io(node).sockets().adapter();
  }

  /** A connected client of {@code node}, in {@code rooms}. */
  Peer connect(int node, String name, String... rooms) {
    SocketIoClient client =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + io(node).port()))
            .transports(TransportType.WEBSOCKET)
            .reconnection(false)
            .autoConnect(false)
            .build();
    synchronized (clients) {
      clients.add(client);
    }
    ClientSocket socket =
        client.socket(
            "/",
            SocketOptions.builder().auth(Map.of("name", name, "rooms", List.of(rooms))).build());
    Peer peer = new Peer(name, socket);
    socket.connect();
    peer.awaitConnected();
    return peer;
  }

  /**
   * Emits a marker to every client from {@code node} once the bus delivered everything published
   * before, and returns its name: what a client received before the marker is all it gets of what
   * was sent before (the bus and each socket's loop keep order).
   */
  String marker(int node) {
    bus.drain();
    String name = "marker-" + markers.incrementAndGet();
    io(node).emit(name);
    return name;
  }

  /**
   * Waits until every node applied what was published so far: an operation sent from one node is
   * not ordered with one sent later from another (as on any cluster), unless they are this far
   * apart.
   */
  void settle() {
    bus.drain();
  }

  @Override
  public void close() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    synchronized (clients) {
      clients.forEach(c -> closing.add(c.close()));
    }
    CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    servers.forEach(s -> stopping.add(s.close()));
    CompletableFuture.allOf(stopping.toArray(new CompletableFuture<?>[0]))
        .orTimeout(20, TimeUnit.SECONDS)
        .join();
    bus.close();
  }
}
