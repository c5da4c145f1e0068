package dev.sio4j.bench.server;

import dev.sio4j.common.Arguments;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sio4j server under test, implementing the bench contract (see {@code benchmarks/README.md}):
 * namespace {@code /}, events {@code echo}, {@code join}, {@code pub} and {@code stats}; prints
 * {@code READY} once listening on 127.0.0.1.
 *
 * <p>Thread-safety: a main class; the handlers run on the sockets' event loops.
 */
public final class BenchServer {
  private BenchServer() {}

  public static void main(String[] argv) {
    int port = 3000;
    for (int i = 0; i < argv.length; i++) {
      if ("--port".equals(argv[i])) {
        port = Integer.parseInt(argv[++i]);
      }
    }
    AtomicInteger connections = new AtomicInteger();
    SocketIoServer io =
        SocketIoServer.builder()
            .host("127.0.0.1")
            .port(port)
            .options(SocketIoOptions.builder().serveClient(false).build())
            .build();
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> io.close().join()));
    System.out.println("READY sio4j port=" + io.port());
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
