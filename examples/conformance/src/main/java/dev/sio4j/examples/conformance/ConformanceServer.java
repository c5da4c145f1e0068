package dev.sio4j.examples.conformance;

import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.CorsOptions;
import dev.sio4j.engineio.server.EngineIoHandler;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoServer;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Servers configured as the official compliance suites expect them, one per mode:
 *
 * <ul>
 *   <li>{@code engineio}: the engine.io-protocol suite's reference server — path {@code
 *       /engine.io}, pingInterval 300 ms, pingTimeout 200 ms, maxHttpBufferSize 1e6, CORS origin
 *       {@code *}; every message is echoed as it came (text as text, binary as binary).
 *   <li>{@code socketio}: the socket.io-protocol suite's reference server — same Engine.IO settings
 *       on path {@code /socket.io}, connectTimeout 1000 ms; every socket of {@code /} and {@code
 *       /custom} emits {@code auth} with its handshake auth on connection; on {@code /}, {@code
 *       message} is answered by {@code message-back} with the same arguments and {@code
 *       message-with-ack} acks with the same arguments.
 * </ul>
 *
 * <p>Usage: {@code java -jar sio4j-conformance.jar MODE [--port 3000] [--host 127.0.0.1]}. Prints a
 * line with {@code READY} once listening; stops on SIGTERM / Ctrl-C.
 *
 * <p>Thread-safety: a command-line entry point; the handlers it installs are stateless.
 */
public final class ConformanceServer {
  private ConformanceServer() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 0) {
      usage();
      return;
    }
    String mode = args[0];
    int port = 3000;
    String host = "127.0.0.1";
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--host") && i + 1 < args.length) {
        host = args[++i];
      } else {
        usage();
        return;
      }
    }
    Runnable stop;
    switch (mode) {
      case "engineio":
        stop = startEngineIo(host, port);
        break;
      case "socketio":
        stop = startSocketIo(host, port);
        break;
      default:
        usage();
        return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.run();
                  stopped.countDown();
                }));
    stopped.await();
  }

  private static void usage() {
    System.err.println(
        "usage: java -jar sio4j-conformance.jar engineio|socketio [--port 3000] [--host h]");
    System.exit(2);
  }

  /** The engine.io-protocol compliance suite's server: echo everything. */
  static Runnable startEngineIo(String host, int port) {
    EngineIoOptions options =
        EngineIoOptions.builder()
            .pingInterval(Duration.ofMillis(300))
            .pingTimeout(Duration.ofMillis(200))
            .maxHttpBufferSize(1_000_000)
            .cors(CorsOptions.anyOrigin())
            .build();
    EngineIoServer server =
        EngineIoServer.builder()
            .host(host)
            .port(port)
            .options(options)
            .handler(new EchoHandler())
            .build();
    server.start().join();
    System.out.println("READY engineio on " + host + ":" + server.port());
    return () -> server.close().join();
  }

  /** The socket.io-protocol compliance suite's server. */
  static Runnable startSocketIo(String host, int port) {
    EngineIoOptions engine =
        EngineIoOptions.builder()
            .pingInterval(Duration.ofMillis(300))
            .pingTimeout(Duration.ofMillis(200))
            .maxHttpBufferSize(1_000_000)
            .cors(CorsOptions.anyOrigin())
            .build();
    SocketIoServer io =
        SocketIoServer.builder()
            .host(host)
            .port(port)
            .options(
                SocketIoOptions.builder()
                    .engine(engine)
                    .connectTimeout(Duration.ofMillis(1000))
                    .build())
            .build();
    io.onConnection(
        socket -> {
          socket.emit("auth", socket.handshake().auth());
          socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
          socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
        });
    io.of("/custom").onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
    io.start().join();
    System.out.println("READY socketio on " + host + ":" + io.port());
    return () -> io.close().join();
  }

  /** Sends every message back the way it came. */
  static final class EchoHandler implements EngineIoHandler {
    @Override
    public void onOpen(EngineIoSocket socket) {}

    @Override
    public void onMessage(EngineIoSocket socket, String text) {
      socket.send(text);
    }

    @Override
    public void onBinary(EngineIoSocket socket, byte[] data) {
      socket.send(data);
    }

    @Override
    public void onClose(EngineIoSocket socket, CloseReason reason, String description) {}
  }
}
