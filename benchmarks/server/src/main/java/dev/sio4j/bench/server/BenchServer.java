package dev.sio4j.bench.server;

import dev.sio4j.common.Arguments;
import dev.sio4j.micrometer.SocketIoMetrics;
import dev.sio4j.redis.RedisAdapterFactory;
import dev.sio4j.redis.RedisAdapters;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sio4j server under test, implementing the bench contract (see {@code benchmarks/README.md}):
 * namespace {@code /}, events {@code echo}, {@code join}, {@code pub} and {@code stats}; prints
 * {@code READY} once listening on 127.0.0.1.
 *
 * <pre>
 * java -jar sio4j-bench-server.jar --port N [--redis redis://127.0.0.1:P[,redis://...]]
 *     [--adapter redis|redis-sharded|redis-streams]
 * </pre>
 *
 * <p>With {@code --redis} the node is one of a cluster on that Redis, with the adapter named by
 * {@code --adapter} (default {@code redis}, classic pub/sub; several URIs mean a Redis Cluster):
 * {@code pub} then reaches the room's members on every node. With {@code redis-streams}, connection
 * state recovery is on, as a user of that adapter would run it (the Node peer does the same).
 *
 * <p>With the environment variable {@code SIO4J_BENCH_METRICS=1} the server's meters ({@code
 * socketio-micrometer}) are bound to a registry, to measure what they cost; {@code READY} then says
 * {@code metrics=on}.
 *
 * <p>Thread-safety: a main class; the handlers run on the sockets' event loops.
 */
public final class BenchServer {
  private BenchServer() {}

  public static void main(String[] argv) {
    int port = 3000;
    Optional<String> redis = Optional.empty();
    String adapter = "redis";
    for (int i = 0; i < argv.length; i++) {
      if ("--port".equals(argv[i])) {
        port = Integer.parseInt(argv[++i]);
      } else if ("--redis".equals(argv[i])) {
        redis = Optional.of(argv[++i]);
      } else if ("--adapter".equals(argv[i])) {
        adapter = argv[++i];
      }
    }
    AtomicInteger connections = new AtomicInteger();
    SocketIoOptions.Builder options = SocketIoOptions.builder().serveClient(false);
    Optional<RedisAdapterFactory> cluster = Optional.empty();
    if (redis.isPresent()) {
      cluster = Optional.of(RedisAdapters.byName(adapter, List.of(redis.get().split(","))));
      options.adapter(cluster.get());
      if (adapter.equals("redis-streams")) {
        options.connectionStateRecovery(RecoveryOptions.defaults());
      }
    }
    SocketIoServer io =
        SocketIoServer.builder().host("127.0.0.1").port(port).options(options.build()).build();
    boolean metrics = "1".equals(System.getenv("SIO4J_BENCH_METRICS"));
    if (metrics) {
      SocketIoMetrics.bind(io, new SimpleMeterRegistry());
    }
    io.onConnection(
        socket -> {
          connections.incrementAndGet();
          socket.onDisconnect(reason -> connections.decrementAndGet());
          socket.on("echo", (args, ack) -> ack.send(args.toArray()));
          socket.on(
              "join",
              (args, ack) -> {
                socket.join(args.string(0));
                ack.send("ok");
              });
          socket.on(
              "pub",
              (args, ack) -> {
                Object[] all = args.toArray();
                io.to(args.string(0)).emit("tick", Arrays.copyOfRange(all, 1, all.length));
              });
          socket.on("stats", (args, ack) -> ack.send(stats(args, connections.get())));
        });
    io.start().join();
    Optional<RedisAdapterFactory> toClose = cluster;
    String kind = adapter;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  io.close().join();
                  toClose.ifPresent(RedisAdapterFactory::close);
                }));
    System.out.println(
        "READY sio4j port="
            + io.port()
            + redis.map(r -> " adapter=" + kind + " redis=" + r).orElse("")
            + (metrics ? " metrics=on" : ""));
    System.out.flush();
  }

  private static Map<String, Object> stats(Arguments args, int connections) {
    if (!args.isEmpty() && args.json(0).asBoolean()) {
      System.gc();
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rss", rss());
    m.put("heapUsed", rt.totalMemory() - rt.freeMemory());
    m.put("connections", connections);
    return m;
  }

  /** Resident set size in bytes, from {@code /proc/self/status}. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
