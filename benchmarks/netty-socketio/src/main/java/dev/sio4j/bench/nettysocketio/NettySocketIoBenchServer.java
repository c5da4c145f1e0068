package dev.sio4j.bench.nettysocketio;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.listener.MultiTypeEventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The netty-socketio 2.0.14 peer under test, implementing the bench contract (see {@code
 * benchmarks/README.md}). Built on Netty 4.1, in a shaded jar of its own.
 *
 * <p>Thread-safety: a main class; handlers run on netty-socketio's worker threads.
 */
public final class NettySocketIoBenchServer {
  private NettySocketIoBenchServer() {}

  public static void main(String[] argv) {
    int port = 3000;
    for (int i = 0; i < argv.length; i++) {
      if ("--port".equals(argv[i])) {
        port = Integer.parseInt(argv[++i]);
      }
    }
    Configuration config = new Configuration();
    config.setHostname("127.0.0.1");
    config.setPort(port);
    config.setBossThreads(1);
    config.setWorkerThreads(Runtime.getRuntime().availableProcessors());
    config.setUseLinuxNativeEpoll(true);
    SocketConfig socketConfig = new SocketConfig();
    socketConfig.setReuseAddress(true);
    socketConfig.setTcpNoDelay(true);
    config.setSocketConfig(socketConfig);
    SocketIOServer server = new SocketIOServer(config);
    AtomicInteger connections = new AtomicInteger();
    server.addConnectListener(client -> connections.incrementAndGet());
    server.addDisconnectListener(client -> connections.decrementAndGet());
    server.addEventListener("echo", Object.class, (client, data, ack) -> ack.sendAckData(data));
    server.addEventListener(
        "join",
        String.class,
        (client, room, ack) -> {
          client.joinRoom(room);
          ack.sendAckData("ok");
        });
    server.addMultiTypeEventListener(
        "pub",
        (MultiTypeEventListener)
            (client, args, ack) -> {
              String room = args.first();
              Object payload = args.second();
              server.getRoomOperations(room).sendEvent("tick", payload);
            },
        String.class,
        Object.class);
    server.addEventListener(
        "stats",
        Object.class,
        (client, gc, ack) -> {
          if (Boolean.TRUE.equals(gc)) {
            System.gc();
            System.gc();
          }
          Runtime rt = Runtime.getRuntime();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("rss", rss());
          m.put("heapUsed", rt.totalMemory() - rt.freeMemory());
          m.put("connections", connections.get());
          ack.sendAckData(m);
        });
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    System.out.println("READY netty-socketio port=" + port);
    System.out.flush();
  }

  private static long rss() {
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
