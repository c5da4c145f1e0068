package dev.sio4j.examples.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.server.AllowRequest;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.CorsOptions;
import dev.sio4j.engineio.server.EngineIoHandler;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoServer;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.engineio.server.WebTransportOptions;
import dev.sio4j.engineio.testing.SelfSignedCertificate;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.socketio.parser.SioParser;
import dev.sio4j.socketio.parser.msgpack.MsgpackParser;
import dev.sio4j.testing.ClusterApp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

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
 *   <li>{@code client-suite}: the server the official socket.io-client test suite runs against
 *       ({@code packages/socket.io-client/test/support/server.ts}) — port 3210 by default,
 *       pingInterval 2000 ms, connection state recovery on, every handshake accepted after 10 ms;
 *       namespaces {@code /foo}, {@code /timeout_socket}, {@code /valid}, {@code /asd}, {@code
 *       /abc}, {@code /no} (refused) and the main namespace with that file's handlers. See {@link
 *       #startClientSuite}.
 *   <li>{@code cluster}: a node of a test cluster on Redis — the cluster test app ({@link
 *       ClusterApp}: {@code join}, {@code pub}, {@code count}, {@code sse}, {@code whoami} and the
 *       mixed-cluster commands) over the adapter named by {@code --adapter} ({@code redis}, {@code
 *       redis-sharded}, {@code redis-streams}, or {@code memory} for a node alone), with the Node
 *       adapters' defaults; connection state recovery on with {@code redis-streams}. See {@link
 *       #startCluster} and {@link ClusterAdapters}.
 * </ul>
 *
 * <p>Usage: {@code java -jar sio4j-conformance.jar MODE [--port 3000] [--host 127.0.0.1] [--parser
 * json|msgpack]} (the {@code client-suite} mode defaults to port 3210; the {@code socketio} mode
 * also takes {@code --allow-eio3}, which serves socket.io-client 2.x too), and for the cluster mode
 * {@code java -jar sio4j-conformance.jar cluster --port N --redis redis://127.0.0.1:P[,redis://...]
 * --adapter redis|redis-sharded|redis-streams} (several URIs: the nodes of a Redis Cluster). {@code
 * --parser msgpack} puts the Socket.IO modes on the msgpack parser (npm {@code
 * socket.io-msgpack-parser}; the clients must use it too), with the same handlers. Prints a line
 * with {@code READY} once listening ({@code READY <port> cluster ...} in the cluster mode); stops
 * on SIGTERM / Ctrl-C, closing the server and then the adapter's Redis connections.
 *
 * <p>Thread-safety: a command-line entry point; the handlers it installs keep no state of their own
 * (the cluster handlers' state is the adapter's).
 */
public final class ConformanceServer {
  /** The port the official socket.io-client suite expects ({@code BASE_URL} in its util.ts). */
  static final int CLIENT_SUITE_PORT = 3210;

  private static final DateTimeFormatter JS_ISO_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ConformanceServer() {}

  static final String USAGE =
      "usage: java -jar sio4j-conformance.jar engineio|socketio|client-suite [--port 3000]"
          + " [--host h] [--parser json|msgpack (socketio, client-suite)]"
          + " [--webtransport-port N (socketio)]"
          + " [--allow-eio3 (socketio: also Engine.IO v3 / socket.io-client 2.x)]\n"
          + "       java -jar sio4j-conformance.jar cluster --port N"
          + " [--redis redis://127.0.0.1:6379[,redis://...]]"
          + " [--adapter redis|redis-sharded|redis-streams|memory] [--host h] [--parser json|msgpack]";

  public static void main(String[] args) throws InterruptedException {
    Runnable stop;
    try {
      stop = start(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
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

  /**
   * Starts the server a command line asks for and waits until it listens.
   *
   * @return stops it
   * @throws IllegalArgumentException with the usage text for a command line it does not take, or
   *     the reason a cluster adapter cannot be made
   */
  static Runnable start(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException(USAGE);
    }
    String mode = args[0];
    // The one option without a value: taken out before the name/value pairs are read.
    boolean allowEio3 = List.of(args).subList(1, args.length).contains("--allow-eio3");
    if (allowEio3) {
      if (!mode.equals("socketio")) {
        throw new IllegalArgumentException("--allow-eio3 is for the socketio mode\n" + USAGE);
      }
      args = Stream.of(args).filter(a -> !a.equals("--allow-eio3")).toArray(String[]::new);
    }
    int port = mode.equals("client-suite") ? CLIENT_SUITE_PORT : 3000;
    String host = "127.0.0.1";
    String parserName = null;
    List<String> redis = new ArrayList<>();
    String adapter = null;
    Integer webTransportPort = null;
    for (int i = 1; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(USAGE);
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--port":
          try {
            port = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + value + "\n" + USAGE);
          }
          break;
        case "--host":
          host = value;
          break;
        case "--parser":
          parserName = value;
          break;
        case "--redis":
          for (String uri : value.split(",")) {
            if (!uri.isBlank()) {
              redis.add(uri.strip());
            }
          }
          break;
        case "--adapter":
          adapter = value;
          break;
        case "--webtransport-port":
          try {
            webTransportPort = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + value + "\n" + USAGE);
          }
          break;
        default:
          throw new IllegalArgumentException(USAGE);
      }
    }
    SioParser parser = parserName == null ? SioParser.json() : parser(parserName);
    if (parser == null || (parserName != null && mode.equals("engineio"))) {
      // an unknown parser, or a parser for the Engine.IO echo server
      throw new IllegalArgumentException(USAGE);
    }
    if (!mode.equals("cluster") && (adapter != null || !redis.isEmpty())) {
      throw new IllegalArgumentException(
          "--redis and --adapter are for the cluster mode\n" + USAGE);
    }
    if (webTransportPort != null && !mode.equals("socketio")) {
      throw new IllegalArgumentException("--webtransport-port is for the socketio mode\n" + USAGE);
    }
    switch (mode) {
      case "engineio":
        return startEngineIo(host, port);
      case "socketio":
        return startSocketIo(host, port, parser, webTransportPort, allowEio3);
      case "client-suite":
        return startClientSuite(host, port, parser);
      case "cluster":
        if (adapter == null) {
          adapter = redis.isEmpty() ? "memory" : "redis";
        }
        if (redis.isEmpty() && !adapter.equals("memory")) {
          throw new IllegalArgumentException("--adapter " + adapter + " needs --redis\n" + USAGE);
        }
        return startCluster(host, port, adapter, redis, parser);
      default:
        throw new IllegalArgumentException(USAGE);
    }
  }

  /**
   * A node of a test cluster: {@link ClusterApp}'s handlers (the protocol of the mixed-cluster
   * tests, shared with {@code interop/js/cluster-node.mjs}) on the adapter {@code kind}, with
   * connection state recovery on for {@code redis-streams} as the Node streams adapter is used.
   *
   * @return stops the server, then closes the adapter's connections
   */
  static Runnable startCluster(
      String host, int port, String kind, List<String> redisUris, SioParser parser) {
    ClusterAdapters adapters = new ClusterAdapters();
    try {
      SocketIoOptions.Builder options =
          SocketIoOptions.builder().parser(parser).adapter(adapters.forName(kind, redisUris));
      if (ClusterAdapters.recovers(kind)) {
        options.connectionStateRecovery(RecoveryOptions.defaults());
      }
      SocketIoServer io =
          SocketIoServer.builder().host(host).port(port).options(options.build()).build();
      // The port a node reports must be the one it listens on: known in advance unless it is 0.
      if (port != 0) {
        ClusterApp.install(io, port);
      }
      io.start().join();
      if (port == 0) {
        ClusterApp.install(io, io.port());
      }
      System.out.println(
          "READY " + io.port() + " cluster on " + host + " (" + kind + " adapter, " + parser + ")");
      System.out.flush();
      return () -> {
        try {
          io.close().join();
        } finally {
          adapters.close();
        }
      };
    } catch (RuntimeException e) {
      adapters.close();
      throw e;
    }
  }

  /** The parser named on the command line, or null for an unknown name. */
  static SioParser parser(String name) {
    switch (name) {
      case "json":
        return SioParser.json();
      case "msgpack":
        return MsgpackParser.create();
      default:
        return null;
    }
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

  /** The socket.io-protocol compliance suite's server, speaking this parser's format. */
  static Runnable startSocketIo(String host, int port, SioParser parser) {
    return startSocketIo(host, port, parser, null, false);
  }

  /**
   * The same, with WebTransport on the UDP port {@code webTransportPort} (0: a free one) when not
   * null, under a self-signed certificate generated now (ECDSA P-256, 10 days, as browsers accept
   * by hash): the READY line ends with {@code webtransport <udp port> sha-256 <base64 hash>}, what
   * a client passes as {@code serverCertificateHashes}.
   */
  static Runnable startSocketIo(String host, int port, SioParser parser, Integer webTransportPort) {
    return startSocketIo(host, port, parser, webTransportPort, false);
  }

  /**
   * The same, also serving Engine.IO v3 clients (Socket.IO protocol v4, socket.io-client 2.x) when
   * {@code allowEio3}.
   */
  static Runnable startSocketIo(
      String host, int port, SioParser parser, Integer webTransportPort, boolean allowEio3) {
    EngineIoOptions.Builder engineOptions =
        EngineIoOptions.builder()
            .pingInterval(Duration.ofMillis(300))
            .pingTimeout(Duration.ofMillis(200))
            .maxHttpBufferSize(1_000_000)
            .cors(CorsOptions.anyOrigin())
            .allowEIO3(allowEio3);
    SelfSignedCertificate certificate = null;
    if (webTransportPort != null) {
      certificate = SelfSignedCertificate.generate();
      engineOptions.webTransport(
          WebTransportOptions.builder()
              .port(webTransportPort)
              .certificate(certificate.key(), certificate.certificate())
              .build());
    }
    EngineIoOptions engine = engineOptions.build();
    SocketIoServer io =
        SocketIoServer.builder()
            .host(host)
            .port(port)
            .options(
                SocketIoOptions.builder()
                    .engine(engine)
                    .connectTimeout(Duration.ofMillis(1000))
                    .parser(parser)
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
    String webTransport =
        certificate == null
            ? ""
            : " webtransport "
                + io.engine().webTransportPort().orElseThrow()
                + " sha-256 "
                + certificate.sha256Base64();
    System.out.println(
        "READY socketio on "
            + host
            + ":"
            + io.port()
            + " ("
            + parser
            + (allowEio3 ? ", EIO3 allowed" : "")
            + ")"
            + webTransport);
    return () -> io.close().join();
  }

  /**
   * The server of the official socket.io-client test suite ({@code test/support/server.ts}),
   * handler by handler. Dates go out as {@code JSON.stringify} writes them (ISO-8601 in UTC with
   * milliseconds); the handlers that the reference guards with {@code expect(...)} answer only when
   * the check holds.
   *
   * <p>Running the official suite against it: copy {@code packages/socket.io-client} of the
   * socket.io repository elsewhere, install its test devDependencies (mocha, tsx, typescript,
   * expect.js, has-cors, @sinonjs/fake-timers, text-blob-builder, base64-arraybuffer and the
   * client's own dependencies), compile ({@code tsc}, {@code tsc -p tsconfig.esm.json}, {@code
   * postcompile.sh}), make {@code test/support/hooks.ts} export empty {@code mochaHooks} so the
   * suite does not start its own server, start this mode on port 3210, then {@code npx mocha
   * --import=tsx --require test/support/hooks.ts --exit test/index.ts}.
   *
   * @return stops the server
   */
  static Runnable startClientSuite(String host, int port) {
    return startClientSuite(host, port, SioParser.json());
  }

  /** The client-suite server with this parser, started; returns what stops it. */
  static Runnable startClientSuite(String host, int port, SioParser parser) {
    SocketIoServer io = clientSuiteServer(host, port, parser);
    io.start().join();
    System.out.println("READY client-suite on " + host + ":" + io.port());
    return () -> io.close().join();
  }

  /** The client-suite server with this parser, not started yet. */
  static SocketIoServer clientSuiteServer(String host, int port, SioParser parser) {
    EngineIoOptions engine =
        EngineIoOptions.builder()
            .pingInterval(Duration.ofMillis(2000))
            // A fixed delay, so that the client's connection timeout can be tested.
            .allowRequest(
                req ->
                    CompletableFuture.supplyAsync(
                        AllowRequest.Decision::allow,
                        CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS)))
            .build();
    SocketIoServer io =
        SocketIoServer.builder()
            .host(host)
            .port(port)
            .options(
                SocketIoOptions.builder()
                    .engine(engine)
                    .connectionStateRecovery(RecoveryOptions.defaults())
                    .parser(parser)
                    .build())
            .build();

    io.of("/foo").onConnection(socket -> socket.on("getId", (args, ack) -> ack.send(socket.id())));
    io.of("/timeout_socket").onConnection(socket -> {});
    io.of("/valid").onConnection(socket -> {});
    io.of("/asd").onConnection(socket -> {});
    io.of("/abc").onConnection(socket -> socket.emit("handshake", socket.handshake().toJson()));
    io.use(
        (socket, next) -> {
          // The reference tests `socket.request._query.fail` for truthiness.
          String fail = socket.handshake().query().get("fail");
          if (fail != null && !fail.isEmpty()) {
            next.fail("Auth failed (main namespace)");
          } else {
            next.proceed();
          }
        });
    io.of("/no").use((socket, next) -> next.fail("Auth failed (custom namespace)"));
    io.onConnection(ConformanceServer::clientSuiteHandlers);
    return io;
  }

  private static String jsDate() {
    return JS_ISO_DATE.format(Instant.now());
  }

  private static boolean isText(JsonNode node, String text) {
    return node != null && node.isTextual() && node.textValue().equals(text);
  }

  /** {@code {hello: "lol", message: <binary>, goodbye: "gotcha"}}, as jsonbuff/jsonblob send. */
  private static boolean isMixed(JsonNode a) {
    return a != null
        && isText(a.get("hello"), "lol")
        && a.path("message").isBinary()
        && isText(a.get("goodbye"), "gotcha");
  }

  private static void clientSuiteHandlers(Socket socket) {
    socket.on("hi", (args, ack) -> socket.emit("hi"));
    socket.on("echo", (args, ack) -> ack.send(args.isEmpty() ? null : args.json(0)));
    socket.on(
        "ack",
        (args, ack) ->
            socket
                .emitWithAck("ack")
                .thenAccept(
                    reply -> {
                      JsonNode a = reply.size() > 0 ? reply.json(0) : null;
                      JsonNode b = reply.size() > 1 ? reply.json(1) : null;
                      if (a != null
                          && a.isNumber()
                          && a.asDouble() == 5
                          && b != null
                          && truthy(b.get("test"))) {
                        socket.emit("got it");
                      }
                    }));
    socket.on("getAckDate", (args, ack) -> ack.send(jsDate()));
    socket.on("getDate", (args, ack) -> socket.emit("takeDate", jsDate()));
    socket.on("getDateObj", (args, ack) -> socket.emit("takeDateObj", Map.of("date", jsDate())));
    socket.on(
        "getUtf8",
        (args, ack) -> {
          socket.emit("takeUtf8", "てすと");
          socket.emit("takeUtf8", "Я Б Г Д Ж Й");
          socket.emit("takeUtf8", "Ä ä Ü ü ß");
          socket.emit("takeUtf8", "utf8 — string");
          socket.emit("takeUtf8", "utf8 — string");
        });
    socket.on("false", (args, ack) -> socket.emit("false", false));
    byte[] asdf = "asdfasdf".getBytes(StandardCharsets.UTF_8);
    socket.on("doge", (args, ack) -> socket.emit("doge", (Object) asdf.clone()));
    socket.on(
        "buffa",
        (args, ack) -> {
          if (args.size() > 0 && args.json(0).isBinary()) {
            socket.emit("buffack");
          }
        });
    socket.on(
        "jsonbuff",
        (args, ack) -> {
          if (args.size() > 0 && isMixed(args.json(0))) {
            socket.emit("jsonbuff-ack");
          }
        });
    AtomicBoolean receivedAbuff1 = new AtomicBoolean();
    socket.on(
        "abuff1",
        (args, ack) -> {
          if (args.size() > 0 && args.json(0).isBinary()) {
            receivedAbuff1.set(true);
          }
        });
    socket.on(
        "abuff2",
        (args, ack) -> {
          if (receivedAbuff1.get()) {
            socket.emit("abuff2-ack");
          }
        });
    socket.on(
        "blob",
        (args, ack) -> {
          if (args.size() > 0 && args.json(0).isBinary()) {
            socket.emit("back");
          }
        });
    socket.on(
        "jsonblob",
        (args, ack) -> {
          if (args.size() > 0 && isMixed(args.json(0))) {
            socket.emit("jsonblob-ack");
          }
        });
    AtomicBoolean receivedBlob1 = new AtomicBoolean();
    AtomicBoolean receivedBlob2 = new AtomicBoolean();
    socket.on(
        "blob1",
        (args, ack) -> {
          if (args.size() > 0 && args.json(0).isBinary()) {
            receivedBlob1.set(true);
          }
        });
    socket.on(
        "blob2",
        (args, ack) -> {
          if (receivedBlob1.get() && args.size() > 0 && isText(args.json(0), "second")) {
            receivedBlob2.set(true);
          }
        });
    socket.on(
        "blob3",
        (args, ack) -> {
          if (args.size() > 0
              && args.json(0).isBinary()
              && receivedBlob1.get()
              && receivedBlob2.get()) {
            socket.emit("blob3-ack");
          }
        });
    socket.on("getbin", (args, ack) -> socket.emit("takebin", (Object) asdf.clone()));
    socket.on("getHandshake", (args, ack) -> ack.send(socket.handshake().toJson()));
    socket.on("getId", (args, ack) -> ack.send(socket.id()));
  }

  /** JavaScript truthiness of a JSON value (absent counts as undefined). */
  private static boolean truthy(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      double d = v.asDouble();
      return d != 0 && !Double.isNaN(d);
    }
    if (v.isTextual()) {
      return !v.textValue().isEmpty();
    }
    return true;
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
