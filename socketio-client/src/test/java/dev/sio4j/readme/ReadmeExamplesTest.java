package dev.sio4j.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.common.Subscription;
import dev.sio4j.engineio.server.CorsOptions;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoServer;
import dev.sio4j.engineio.testing.AwaitingLog;
import dev.sio4j.engineio.testing.LineLog;
import dev.sio4j.server.DisconnectReason;
import dev.sio4j.server.Namespace;
import dev.sio4j.server.ParentNamespace;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.RemoteSocket;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.socketio.parser.msgpack.MsgpackParser;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples of {@code socketio-server/README.md}, run against a real server on 127.0.0.1 with
 * sio4j's Java client, asserting what the README says they do.
 *
 * <p>This class mirrors the README: every {@code java} block there is in this file word for word
 * (lines compared trimmed; the README's ports 3000 and 8080 are 0 here, a free port), which {@link
 * #everyJavaBlockOfTheReadmeIsInThisTest()} checks. Change both together.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExamplesTest {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamplesTest.class);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Path README = Path.of("..", "socketio-server", "README.md");
  private static final Path THIS_SOURCE =
      Path.of("src", "test", "java", "dev", "sio4j", "readme", "ReadmeExamplesTest.java");

  /** Closed after each test, last registered first. */
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @AfterEach
  void cleanUp() throws Exception {
    Exception first = null;
    while (!cleanup.isEmpty()) {
      try {
        cleanup.pop().close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  // ---- README: the record of "Events" and the fallback handler of "Your own pages" -------------

  record ChatMessage(String user, String text) {}

  final class HelloPage extends SimpleChannelInboundHandler<HttpObject> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpRequest request) {
        FullHttpResponse response =
            new DefaultFullHttpResponse(
                request.protocolVersion(),
                HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hello from " + request.uri(), StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        ctx.writeAndFlush(response);
      }
    }
  }

  /** The README's stand-in for a slow permission check (section "Middleware"). */
  static boolean isAllowed(Map<String, String> query) {
    return "yes".equals(query.get("reports"));
  }

  private final List<String> profileThreads = new CopyOnWriteArrayList<>();

  /** The README's stand-in for a blocking call (section "Threading"). */
  String loadProfile(String id) {
    profileThreads.add(Thread.currentThread().getName());
    return "profile of " + id;
  }

  // ---- the README and this file agree ----------------------------------------------------------

  @Test
  void everyJavaBlockOfTheReadmeIsInThisTest() throws IOException {
    String readme = Files.readString(README);
    String source = normalize(Files.readString(THIS_SOURCE));
    Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    List<String> missing = new ArrayList<>();
    int count = 0;
    while (blocks.find()) {
      count++;
      String block = normalize(blocks.group(1).replaceAll("\\b(3000|8080)\\b", "0"));
      if (!source.contains(block)) {
        missing.add(block.strip().lines().findFirst().orElse(""));
      }
    }
    assertTrue(count >= 20, "the README's java blocks were not found: " + count);
    assertEquals(List.of(), missing, "README java blocks (first lines) not in this test");
  }

  /** Lines trimmed, blank lines dropped: indentation differs between README and test. */
  private static String normalize(String text) {
    return text.lines()
        .map(String::trim)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n", "\n", "\n"));
  }

  // ---- Start and stop --------------------------------------------------------------------------

  @Test
  void startAndStop() throws Exception {
    CorsOptions cors =
        CorsOptions.builder().origins("https://app.example").credentials(true).build();
    SocketIoServer io =
        SocketIoServer.builder()
            .port(0) // 0 picks a free port: io.port() tells which
            .options(
                SocketIoOptions.builder()
                    .engine(EngineIoOptions.builder().cors(cors).build())
                    .build())
            .build();
    io.onConnection(socket -> socket.emit("welcome", "hello " + socket.id()));
    io.start().join(); // returns once the port is bound
    cleanup.push(() -> io.close().get(10, TimeUnit.SECONDS));
    int port = io.port();
    List<DisconnectReason> reasons = new CopyOnWriteArrayList<>();
    io.onConnection(socket -> socket.onDisconnect(reasons::add));

    Peer peer = connected(port, "/");
    assertEquals("welcome [\"hello " + peer.id() + "\"]", peer.await("welcome"));

    // The browser client is served under the path.
    HttpResponse<String> bundle = get(port, "/socket.io/socket.io.js", Map.of());
    assertEquals(200, bundle.statusCode());
    assertTrue(
        bundle.headers().firstValue("content-type").orElse("").startsWith("application/javascript"),
        bundle.headers().toString());
    assertTrue(bundle.body().length() > 10_000, "a whole bundle");
    // CORS: the allowed origin is reflected with credentials, another one gets no header.
    String handshake = "/socket.io/?EIO=4&transport=polling";
    HttpResponse<String> allowed = get(port, handshake, Map.of("Origin", "https://app.example"));
    assertEquals(200, allowed.statusCode());
    assertEquals(
        "https://app.example", allowed.headers().firstValue("access-control-allow-origin").get());
    assertEquals("true", allowed.headers().firstValue("access-control-allow-credentials").get());
    HttpResponse<String> other = get(port, handshake, Map.of("Origin", "https://evil.example"));
    assertTrue(other.headers().firstValue("access-control-allow-origin").isEmpty());

    io.close().join(); // every socket leaves with "server shutting down", then the port is released
    assertEquals(List.of(DisconnectReason.SERVER_SHUTTING_DOWN), reasons);
    assertEquals("disconnect transport close", peer.await("disconnect"));
    assertThrows(ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close());
  }

  // ---- Namespaces ------------------------------------------------------------------------------

  @Test
  void namespaces() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    io.onNewNamespace(nsp -> log.info("namespace {} created", nsp.name()));

    Namespace admin = io.of("/admin");
    admin.onConnection(socket -> socket.emit("hello", "welcome to " + socket.namespace().name()));

    ParentNamespace workspaces = io.of(Pattern.compile("/workspace-\\d+"));
    workspaces.onConnection(
        socket -> {
          Namespace workspace = socket.namespace(); // the child, e.g. /workspace-42
          workspace.emit("joined", socket.id()); // reaches that workspace only
        });

    io.of((name, auth) -> name.startsWith("/team-") && auth.path("key").asText().equals("k3y"));

    List<String> created = new CopyOnWriteArrayList<>();
    io.onNewNamespace(nsp -> created.add(nsp.name()));
    int port = io.port();

    assertEquals("hello [\"welcome to /admin\"]", connected(port, "/admin").await("hello"));

    Peer a = connected(port, "/workspace-42");
    assertEquals("joined [\"" + a.id() + "\"]", a.await("joined"));
    Peer seven = connected(port, "/workspace-7");
    assertEquals("joined [\"" + seven.id() + "\"]", seven.await("joined"));
    Peer b = connected(port, "/workspace-42");
    assertEquals("joined [\"" + b.id() + "\"]", a.await("joined"));
    assertEquals("joined [\"" + b.id() + "\"]", b.await("joined"));

    workspaces.emit("maintenance", "in 5 minutes");
    for (Peer p : List.of(a, b, seven)) {
      assertEquals("maintenance [\"in 5 minutes\"]", p.await("maintenance"));
    }
    assertEquals(1, seven.count("joined"), "a child's emit stays in that child");
    assertEquals(
        Set.of("/workspace-42", "/workspace-7"),
        workspaces.children().stream().map(Namespace::name).collect(Collectors.toSet()));

    Peer team = peer(port, "/team-a", SocketOptions.builder().auth(Map.of("key", "k3y")).build());
    team.connectAndAwait();
    Peer wrongKey =
        peer(port, "/team-b", SocketOptions.builder().auth(Map.of("key", "nope")).build());
    wrongKey.socket.connect();
    assertEquals("connect_error Invalid namespace", wrongKey.await("connect_error"));
    Peer unknown = peer(port, "/nobody", SocketOptions.defaults());
    unknown.socket.connect();
    assertEquals("connect_error Invalid namespace", unknown.await("connect_error"));
    assertEquals(List.of("/workspace-42", "/workspace-7", "/team-a"), created);
  }

  // ---- Middleware ------------------------------------------------------------------------------

  @Test
  void connectionMiddleware() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    io.use(
        (socket, next) -> {
          String token = socket.handshake().auth().path("token").asText();
          if (token.equals("s3cret")) {
            socket.data().put("user", "alice"); // kept with the socket, shown by fetchSockets()
            next.proceed();
          } else {
            next.fail("not authorized", Map.of("code", 401)); // the client's connect_error
          }
        });
    io.of("/reports")
        .use(
            (socket, next) ->
                CompletableFuture.supplyAsync(() -> isAllowed(socket.handshake().query()))
                    .thenAccept(
                        allowed -> {
                          if (allowed) {
                            next.proceed();
                          } else {
                            next.fail("no reports for you");
                          }
                        }));
    int port = io.port();

    Peer wrong = peer(port, "/", SocketOptions.builder().auth(Map.of("token", "wrong")).build());
    wrong.socket.connect();
    assertEquals("connect_error not authorized {\"code\":401}", wrong.await("connect_error"));
    Peer right = peer(port, "/", SocketOptions.builder().auth(Map.of("token", "s3cret")).build());
    right.connectAndAwait();
    List<RemoteSocket> sockets = io.fetchSockets().get(10, TimeUnit.SECONDS);
    assertEquals(1, sockets.size());
    assertEquals("alice", sockets.get(0).data().path("user").asText());

    Peer refused = peer(port, "/reports", SocketOptions.defaults());
    refused.socket.connect();
    assertEquals("connect_error no reports for you", refused.await("connect_error"));
    Peer allowed = peer(port, "/reports", SocketOptions.defaults(), b -> b.query("reports", "yes"));
    allowed.connectAndAwait();
  }

  @Test
  void packetMiddleware() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    io.onConnection(
        socket -> {
          socket.use(
              (event, args, next) -> {
                if (event.startsWith("admin:") && !"admin".equals(socket.data().get("user"))) {
                  next.fail("forbidden: " + event); // dropped; the client is not told
                } else {
                  next.proceed();
                }
              });
          socket.onError(error -> log.warn("socket {}: {}", socket.id(), error.getMessage()));
          socket.on("admin:reset", args -> io.emit("reset"));
        });
    List<String> errors = new CopyOnWriteArrayList<>();
    io.onConnection(
        socket -> {
          socket.onError(error -> errors.add(error.getMessage()));
          socket.on("ping", (args, ack) -> ack.send("pong"));
        });

    Peer peer = connected(io.port(), "/");
    peer.socket.emit("admin:reset");
    // Events of one socket are handled in order: the answer comes after admin:reset was handled.
    assertEquals("pong", peer.ask("ping").string(0));
    assertEquals(List.of("forbidden: admin:reset"), errors);
    assertEquals(0, peer.count("reset"), "the listener did not run");
    // An admin passes: the same event now reaches its listener, which broadcasts.
    socketsOf(io).get(0).data().put("user", "admin");
    peer.socket.emit("admin:reset");
    assertEquals("reset []", peer.await("reset"));
    assertEquals(1, errors.size());
  }

  // ---- Events ----------------------------------------------------------------------------------

  @Test
  void events() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    installEvents(io);
    List<Socket> serverSockets = new CopyOnWriteArrayList<>();
    io.onConnection(serverSockets::add);
    int port = io.port();
    Peer a = connected(port, "/");
    Peer b = connected(port, "/");

    a.socket.emit("chat", new ChatMessage("ann", "hi"));
    assertEquals("chat [{\"user\":\"ann\",\"text\":\"hi\"}]", b.await("chat"));
    Arguments renamed = a.ask("rename", "bob");
    assertEquals("[\"ok\",\"bob\"]", renamed.json().toString());
    assertEquals(0, a.count("chat"), "broadcast() leaves the sender out");
    assertEquals(
        "bob",
        socketsOf(io).stream()
            .filter(s -> s.id().equals(a.id()))
            .findFirst()
            .orElseThrow()
            .data()
            .get("name"));

    a.socket.emit("hello");
    a.socket.emit("hello");
    a.ask("rename", "bob");
    assertEquals(1, a.count("hi"), "once: the first hello only");

    Arguments upload = a.ask("upload", new byte[] {1, 2, 3});
    assertEquals(3, upload.get(0, Integer.class));
    assertArrayEquals(new byte[] {1, 2}, upload.bytes(1));

    a.socket.emit("quiet");
    a.ask("rename", "ann");
    // Typed on the client too: what the server broadcast reads back as the record.
    CompletableFuture<ChatMessage> typed = new CompletableFuture<>();
    b.socket.once("chat", args -> typed.complete(args.get(0, ChatMessage.class)));
    a.socket.emit("chat", Map.of("user", "ann", "text", "again"));
    assertEquals(new ChatMessage("ann", "again"), typed.get(10, TimeUnit.SECONDS));

    Socket server = serverSockets.get(0);
    assertThrows(IllegalArgumentException.class, () -> server.emit("disconnect"));
  }

  /** The README's listener block of "Events". */
  private void installEvents(SocketIoServer io) {
    io.onConnection(
        socket -> {
          socket.on(
              "chat",
              args -> { // args -> ...: no acknowledgement
                ChatMessage message = args.get(0, ChatMessage.class); // JSON to a record
                socket.broadcast().emit("chat", message); // and back to JSON, for everyone else
              });
          socket.on(
              "rename",
              (args, ack) -> { // (args, ack) -> ...: may answer
                socket.data().put("name", args.string(0));
                ack.send("ok", args.string(0)); // sends nothing if the client asked for no ack
              });
          socket.once("hello", args -> socket.emit("hi")); // the first "hello" only
          socket.on(
              "upload",
              (args, ack) -> {
                byte[] file = args.bytes(0); // binary arrives as byte[]
                ack.send(file.length, Arrays.copyOf(file, 2)); // and byte[] leaves as binary
              });
          Subscription logging =
              socket.onAny((event, args) -> log.debug("{} <- {}", socket.id(), event));
          socket.onAnyOutgoing((event, args) -> log.debug("{} -> {}", socket.id(), event));
          socket.on("quiet", args -> logging.cancel()); // or offAny(listener), off("chat")...
        });
  }

  // ---- Acknowledgements ------------------------------------------------------------------------

  @Test
  void serverAsksTheClient() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    io.onConnection(
        socket ->
            socket
                .timeout(Duration.ofSeconds(2))
                .emitWithAck("confirm", "delete everything?")
                .whenComplete(
                    (reply, error) -> {
                      if (error == null) {
                        socket.emit("result", reply.get(0, Boolean.class) ? "deleted" : "kept");
                      } else if (error instanceof AckTimeoutException) {
                        socket.emit("result", "no answer within 2 s");
                      } // else SocketDisconnectedException: the socket left before answering
                    }));
    List<Socket> serverSockets = new CopyOnWriteArrayList<>();
    io.onConnection(serverSockets::add);
    int port = io.port();

    Peer yes = peer(port, "/", SocketOptions.defaults());
    yes.socket.on("confirm", (args, ack) -> ack.send(true));
    yes.connectAndAwait();
    assertEquals("result [\"deleted\"]", yes.await("result"));
    Peer silent = connected(port, "/");
    assertEquals("result [\"no answer within 2 s\"]", silent.await("result"));
    for (Socket s : serverSockets) {
      assertEquals(0, s.pendingAcks());
    }

    // Without a timeout, the future fails when the socket leaves.
    Socket server = serverSockets.get(1);
    CompletableFuture<Arguments> never = server.emitWithAck("confirm", "again?");
    silent.socket.disconnect();
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> never.get(10, TimeUnit.SECONDS));
    assertInstanceOf(SocketDisconnectedException.class, failed.getCause());
  }

  @Test
  void broadcastWithAcks() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    io.onConnection(socket -> socket.join("team"));
    int port = io.port();
    Peer ann = peer(port, "/", SocketOptions.defaults());
    ann.socket.on("poll", (args, ack) -> ack.send("yes", "ignored: only the first argument"));
    ann.connectAndAwait();
    Peer bob = peer(port, "/", SocketOptions.defaults());
    bob.socket.on("poll", (args, ack) -> ack.send("no"));
    bob.connectAndAwait();

    List<Arguments> answers = poll(io).get(10, TimeUnit.SECONDS);
    assertEquals(
        Set.of("[\"yes\"]", "[\"no\"]"),
        answers.stream().map(a -> a.json().toString()).collect(Collectors.toSet()));

    connected(port, "/"); // never answers
    ExecutionException late =
        assertThrows(ExecutionException.class, () -> poll(io).get(10, TimeUnit.SECONDS));
    AckTimeoutException timeout = assertInstanceOf(AckTimeoutException.class, late.getCause());
    assertEquals("operation has timed out", timeout.getMessage());
    assertEquals(2, timeout.responses().size());

    assertThrows(IllegalStateException.class, () -> io.to("team").emitWithAck("poll", "lunch?"));
  }

  /** The README's broadcast with acks. */
  private CompletableFuture<List<Arguments>> poll(SocketIoServer io) {
    CompletableFuture<List<Arguments>> votes =
        io.to("team").timeout(Duration.ofSeconds(2)).emitWithAck("poll", "lunch?");
    votes.whenComplete(
        (answers, error) -> {
          if (error == null) {
            answers.forEach(answer -> log.info("vote: {}", answer.string(0))); // one per client
          } else if (error instanceof AckTimeoutException timeout) {
            log.info("{} answers in time", timeout.responses().size());
          }
        });
    return votes;
  }

  // ---- Rooms and broadcasting ------------------------------------------------------------------

  @Test
  void roomsAndBroadcasting() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    installRooms(io);
    int port = io.port();
    Peer a = connected(port, "/");
    Peer b = connected(port, "/");
    Peer c = connected(port, "/");

    a.socket.emit("enter", "sports");
    a.ask("ping");
    b.socket.emit("enter", "sports");
    assertEquals("entered [\"" + b.id() + "\"]", a.await("entered"));
    c.socket.emit("enter", "muted");
    c.ask("ping");
    assertEquals(0, b.count("entered"), "socket.to(room) leaves the sender out");
    assertEquals(
        Set.of("news", "sports", b.id()),
        io.in(b.id()).fetchSockets().get(10, TimeUnit.SECONDS).get(0).rooms());

    io.to("news").emit("headline", "sio4j 1.0"); // the members of news
    io.to("news").to("sports").emit("headline", "news or sports"); // a union, each socket once
    io.to("news").except("muted").emit("headline", "not for the muted");
    io.except("muted").emit("notice", "everyone but the muted");
    io.to("news").volatile_().emit("ticker", 42); // dropped for a client that cannot take it now
    io.compress(false).emit("blob", new byte[1024]); // sent without compression
    io.local().emit("notice", "this node only");
    io.emit("marker");
    for (Peer p : List.of(a, b, c)) {
      p.await("marker");
      assertTrue(p.count("blob") == 1 && p.count("ticker") <= 1, p.lines().toString());
    }
    List<String> expectedA =
        List.of(
            "headline [\"sio4j 1.0\"]",
            "headline [\"news or sports\"]",
            "headline [\"not for the muted\"]",
            "notice [\"everyone but the muted\"]",
            "notice [\"this node only\"]");
    assertEquals(expectedA, a.lines("headline", "notice"));
    assertEquals(expectedA, b.lines("headline", "notice"));
    assertEquals(
        List.of(
            "headline [\"sio4j 1.0\"]",
            "headline [\"news or sports\"]",
            "notice [\"this node only\"]"),
        c.lines("headline", "notice"));

    a.socket.emit("whisper", b.id(), "psst");
    assertEquals("whisper [\"" + a.id() + "\",\"psst\"]", b.await("whisper"));
    b.socket.emit("exit", "sports");
    b.ask("ping");
    assertEquals(
        List.of(a.id()),
        io.in("sports").fetchSockets().get(10, TimeUnit.SECONDS).stream()
            .map(RemoteSocket::id)
            .toList());

    // Every node at once (one node here).
    assertEquals("[\"ok\",\"ann\"]", a.ask("rename", "ann").json().toString());
    Peer late = connected(port, "/");
    late.socket.emit("enter", "late");
    late.ask("ping");
    io.in("news")
        .fetchSockets()
        .thenAccept(
            sockets -> {
              for (RemoteSocket s : sockets) { // this node's sockets and the other nodes'
                s.emit(
                    "roll-call",
                    s.id(),
                    s.rooms().contains("muted"),
                    s.data().path("name").asText());
              }
            });
    io.in("news").socketsJoin("digest"); // every member of news joins digest
    io.in("digest").socketsLeave("news");
    io.in("late").disconnectSockets(true); // true also closes their connections
    assertEquals("roll-call [\"" + a.id() + "\",false,\"ann\"]", a.await("roll-call"));
    assertEquals("roll-call [\"" + c.id() + "\",true,\"\"]", c.await("roll-call"));
    assertEquals("disconnect io server disconnect", late.await("disconnect"));
    assertEquals(Set.of(), ids(io.in("news")));
    assertEquals(Set.of(a.id(), b.id(), c.id()), ids(io.in("digest")));
  }

  /** The README's listeners of "Rooms and broadcasting", with a ping and the rename of "Events". */
  private void installRooms(SocketIoServer io) {
    io.onConnection(
        socket -> {
          socket.join("news"); // also join("a", "b"), join(collection)
          socket.on(
              "enter",
              args -> {
                String room = args.string(0);
                socket.join(room);
                socket.to(room).emit("entered", socket.id()); // the room, but not this socket
              });
          socket.on("exit", args -> socket.leave(args.string(0)));
          socket.on(
              "whisper",
              args -> io.to(args.string(0)).emit("whisper", socket.id(), args.string(1)));
        });
    io.onConnection(
        socket -> {
          socket.on("ping", (args, ack) -> ack.send("pong"));
          socket.on(
              "rename",
              (args, ack) -> {
                socket.data().put("name", args.string(0));
                ack.send("ok", args.string(0));
              });
        });
  }

  @Test
  void serverSideEmitOnOneNode() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    AtomicReference<String> config = new AtomicReference<>("v1");
    io.on("config", args -> config.set(args.string(0))); // sent by another node
    io.on("count", (args, ack) -> ack.send(io.sockets().sockets().size()));
    io.serverSideEmit("config", "v2"); // to the other nodes, never this one
    io.serverSideEmitWithAck("count") // one answer per other node
        .thenAccept(counts -> log.info("{} other nodes answered", counts.size()));

    assertEquals("v1", config.get(), "this node's listeners are not called");
    assertEquals(List.of(), io.serverSideEmitWithAck("count").get(10, TimeUnit.SECONDS));
    assertThrows(IllegalArgumentException.class, () -> io.serverSideEmit("connection"));
  }

  // ---- Disconnection ---------------------------------------------------------------------------

  @Test
  void disconnection() throws Exception {
    SocketIoServer io = started(SocketIoServer.builder().build());
    io.onConnection(
        socket -> {
          socket.join("lobby");
          socket.onDisconnecting(
              reason -> {
                // rooms() is still complete here
                for (String room : socket.rooms()) {
                  socket.to(room).emit("left", socket.id(), reason.text());
                }
              });
          socket.onDisconnect(
              reason -> {
                if (reason.recoverable()) {
                  log.info("{} lost its connection: {}", socket.id(), reason); // it may come back
                }
              });
          socket.on("bye", args -> socket.disconnect()); // this namespace only
          socket.on("kick", args -> socket.disconnect(true)); // the connection, every namespace
        });
    Map<String, DisconnectReason> reasons = Collections.synchronizedMap(new java.util.HashMap<>());
    io.onConnection(socket -> socket.onDisconnect(r -> reasons.put(socket.id(), r)));
    int port = io.port();
    Peer watcher = connected(port, "/");

    Peer leaving = connected(port, "/");
    String leavingId = leaving.id();
    leaving.socket.disconnect();
    assertEquals(
        "left [\"" + leavingId + "\",\"client namespace disconnect\"]", watcher.await("left"));

    Peer bye = connected(port, "/");
    String byeId = bye.id();
    bye.socket.emit("bye");
    assertEquals("disconnect io server disconnect", bye.await("disconnect"));
    assertEquals("left [\"" + byeId + "\",\"server namespace disconnect\"]", watcher.await("left"));

    Peer kicked = connected(port, "/");
    String kickedId = kicked.id();
    ClientSocket other = kicked.client.socket("/admin");
    io.of("/admin");
    CompletableFuture<String> otherGone = new CompletableFuture<>();
    other.onDisconnect(r -> otherGone.complete(r.reason()));
    CompletableFuture<Void> otherIn = new CompletableFuture<>();
    other.onConnect(() -> otherIn.complete(null));
    other.connect();
    otherIn.get(10, TimeUnit.SECONDS);
    kicked.socket.emit("kick");
    assertEquals("disconnect io server disconnect", kicked.await("disconnect"));
    assertEquals("io server disconnect", otherGone.get(10, TimeUnit.SECONDS), "every namespace");
    assertEquals(
        "left [\"" + kickedId + "\",\"server namespace disconnect\"]", watcher.await("left"));
    assertEquals(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT, reasons.get(leavingId));
    assertEquals(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, reasons.get(byeId));
    assertEquals(
        "client namespace disconnect", DisconnectReason.CLIENT_NAMESPACE_DISCONNECT.text());
    assertFalse(DisconnectReason.SERVER_NAMESPACE_DISCONNECT.recoverable());
    assertTrue(DisconnectReason.TRANSPORT_CLOSE.recoverable());
  }

  // ---- Connection state recovery ---------------------------------------------------------------

  @Test
  void connectionStateRecovery() throws Exception {
    SocketIoServer io =
        SocketIoServer.builder()
            .options(
                SocketIoOptions.builder()
                    .connectionStateRecovery(
                        RecoveryOptions.defaults() // 2 minutes, middlewares skipped
                            .maxDisconnectionDuration(Duration.ofMinutes(2)))
                    .build())
            .build();
    io.onConnection(
        socket -> {
          if (socket.recovered()) {
            // same id, rooms and data; the missed events were sent just before this call
            socket.emit("status", "welcome back");
          } else {
            socket.join("news");
            socket.emit("status", "welcome");
          }
        });
    started(io);
    List<Socket> serverSockets = new CopyOnWriteArrayList<>();
    io.onConnection(serverSockets::add);

    Peer peer = connected(io.port(), "/");
    String id = peer.id();
    assertEquals("status [\"welcome\"]", peer.await("status"));
    io.to("news").emit("headline", 1);
    assertEquals("headline [1]", peer.await("headline"));

    // A network drop, seen from the server: a recoverable reason.
    Socket first = serverSockets.get(0);
    CompletableFuture<DisconnectReason> gone = new CompletableFuture<>();
    first.onDisconnect(gone::complete);
    first.conn().close();
    assertEquals(DisconnectReason.FORCED_CLOSE, gone.get(10, TimeUnit.SECONDS));
    assertEquals("disconnect transport close", peer.await("disconnect"));
    // Sent while the client is away (it reconnects only when told, below).
    io.to("news").emit("headline", 2);
    io.to("news").volatile_().emit("ticker", 3);
    io.to(id).emit("direct", "for you"); // a socket's own room

    peer.socket.connect();
    assertEquals("connect", peer.await("connect"));
    assertEquals("status [\"welcome back\"]", peer.await("status"));
    assertTrue(peer.socket.recovered());
    assertEquals(id, peer.id(), "the same socket id");
    List<String> lines = peer.lines();
    int back = lines.lastIndexOf("status [\"welcome back\"]");
    assertEquals(
        List.of("headline [2]", "direct [\"for you\"]"),
        lines.subList(lines.lastIndexOf("connect") + 1, back),
        "the missed events, before the connection listeners: " + lines);
    assertEquals(0, peer.count("ticker"), "volatile emits are not replayed");
    Socket second = serverSockets.get(1);
    assertTrue(second.recovered());
    assertTrue(second.rooms().contains("news"), "rooms restored");
  }

  // ---- Socket.IO 2.x clients (allowEIO3) -------------------------------------------------------

  @Test
  void allowEio3() throws Exception {
    SocketIoServer io =
        SocketIoServer.builder()
            .options(
                SocketIoOptions.builder()
                    .engine(EngineIoOptions.builder().allowEIO3(true).build())
                    .build())
            .build();
    started(io);
    LineLog ev = new LineLog();
    io.onConnection(s -> ev.add("connection:" + s.id() + ":" + s.handshake().auth()));
    // What a socket.io-client 2.x does (the official npm client is driven in socketio-server's
    // LegacyClientInteropTest): an Engine.IO v3 handshake, then it is in "/" at once.
    String base = "/socket.io/?EIO=3&transport=polling&b64=1";
    HttpResponse<String> open = get(io.port(), base, Map.of());
    assertEquals(200, open.statusCode(), open.body());
    Matcher sid = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open.body());
    assertTrue(sid.find(), open.body());
    assertEquals("2:40", get(io.port(), base + "&sid=" + sid.group(1), Map.of()).body());
    assertEquals("connection:" + sid.group(1) + ":{}", ev.await("connection:"));
    // Current clients are served next to it.
    connected(io.port(), "/");
    ev.await("connection:");
  }

  // ---- Parser and adapter ----------------------------------------------------------------------

  @Test
  void msgpackParser() throws Exception {
    SocketIoServer io =
        SocketIoServer.builder()
            .options(SocketIoOptions.builder().parser(MsgpackParser.create()).build())
            .build();
    started(io);
    io.onConnection(
        socket -> socket.on("echo", (args, ack) -> ack.send(args.string(0), args.bytes(1))));
    Peer peer =
        peer(io.port(), "/", SocketOptions.defaults(), b -> b.parser(MsgpackParser.create()));
    peer.connectAndAwait();
    Arguments echo = peer.ask("echo", "hi", new byte[] {7, 8});
    assertEquals("hi", echo.string(0));
    assertArrayEquals(new byte[] {7, 8}, echo.bytes(1));
  }

  // ---- Threading -------------------------------------------------------------------------------

  @Test
  void handlerExecutor() throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(16); // or virtual threads on Java 21
    SocketIoServer io =
        SocketIoServer.builder()
            .options(SocketIoOptions.builder().handlerExecutor(workers).build())
            .build();
    io.onConnection(
        socket ->
            socket.on(
                "profile", (args, ack) -> ack.send(loadProfile(args.string(0))))); // may block
    cleanup.push(workers::shutdownNow);
    started(io);
    Peer peer = connected(io.port(), "/");
    assertEquals("profile of 42", peer.ask("profile", "42").string(0));
    assertEquals(1, profileThreads.size());
    assertTrue(profileThreads.get(0).startsWith("pool-"), profileThreads.toString());
  }

  // ---- Your own pages, your own Netty pipeline -------------------------------------------------

  @Test
  void fallbackServesTheApplicationsPages() throws Exception {
    SocketIoServer io =
        SocketIoServer.builder()
            .port(0)
            .fallback(HelloPage::new) // requests outside /socket.io/ go to a new HelloPage
            .build();
    started(io);
    io.onConnection(socket -> socket.emit("welcome", "same port"));
    int port = io.port();
    HttpResponse<String> page = get(port, "/index.html", Map.of());
    assertEquals(200, page.statusCode());
    assertEquals("hello from /index.html", page.body());
    assertEquals("hello from /again", get(port, "/again", Map.of()).body());
    assertEquals(200, get(port, "/socket.io/socket.io.js", Map.of()).statusCode());
    assertEquals("welcome [\"same port\"]", connected(port, "/").await("welcome"));
  }

  @Test
  void mountedInTheApplicationsPipeline() throws Exception {
    SocketIoServer io = SocketIoServer.builder().build(); // never started: the application binds
    io.onConnection(socket -> socket.emit("welcome", "embedded"));
    EngineIoServer engine = io.engine();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    Channel channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(engine.newHttpHandler()) // Socket.IO's requests stop here
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(new HelloPage()); // the application's own handlers
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    cleanup.push(() -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync());
    cleanup.push(() -> io.close().get(10, TimeUnit.SECONDS));
    cleanup.push(() -> channel.close().sync());
    int port = ((InetSocketAddress) channel.localAddress()).getPort();

    Peer peer = connected(port, "/");
    assertEquals("welcome [\"embedded\"]", peer.await("welcome"));
    assertEquals("hello from /app", get(port, "/app", Map.of()).body());
    // The client bundle is not served in this mode: its URL is Engine.IO's, which refuses it.
    HttpResponse<String> bundle = get(port, "/socket.io/socket.io.js", Map.of());
    assertEquals(400, bundle.statusCode());
    assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", bundle.body());

    channel.close().sync(); // stop accepting first
    io.close().join(); // then close the Socket.IO sessions
    group.shutdownGracefully();
    assertEquals("disconnect transport close", peer.await("disconnect"));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private SocketIoServer started(SocketIoServer io) {
    io.start().join();
    cleanup.push(() -> io.close().get(10, TimeUnit.SECONDS));
    return io;
  }

  private static List<Socket> socketsOf(SocketIoServer io) {
    return new ArrayList<>(io.sockets().sockets().values());
  }

  private static Set<String> ids(dev.sio4j.server.BroadcastOperator target) throws Exception {
    return target.fetchSockets().get(10, TimeUnit.SECONDS).stream()
        .map(RemoteSocket::id)
        .collect(Collectors.toSet());
  }

  private HttpResponse<String> get(int port, String path, Map<String, String> headers)
      throws Exception {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(WAIT);
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private Peer connected(int port, String nsp) throws Exception {
    Peer peer = peer(port, nsp, SocketOptions.defaults());
    peer.connectAndAwait();
    return peer;
  }

  private Peer peer(int port, String nsp, SocketOptions options) {
    return peer(port, nsp, options, b -> {});
  }

  private Peer peer(
      int port, String nsp, SocketOptions options, Consumer<SocketIoClient.Builder> config) {
    SocketIoClient.Builder builder =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + port))
            .autoConnect(false)
            .reconnection(false);
    config.accept(builder);
    SocketIoClient client = builder.build();
    cleanup.push(() -> client.close().get(10, TimeUnit.SECONDS));
    return new Peer(client, client.socket(nsp, options));
  }

  private static void assertArrayEquals(byte[] expected, byte[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
  }

  /**
   * A Java client's socket that records what it receives, one line each: {@code event [args]},
   * {@code connect}, {@code disconnect <reason>}, {@code connect_error <message> <data>}.
   */
  private static final class Peer {
    final SocketIoClient client;
    final ClientSocket socket;
    private final AwaitingLog<String> lines = new AwaitingLog<>();

    Peer(SocketIoClient client, ClientSocket socket) {
      this.client = client;
      this.socket = socket;
      socket.onAny((event, args) -> add(event + " " + args.json()));
      socket.onConnect(() -> add("connect"));
      socket.onDisconnect(reason -> add("disconnect " + reason.reason()));
      socket.onConnectError(
          e -> add("connect_error " + e.getMessage() + e.data().map(d -> " " + d).orElse("")));
    }

    void connectAndAwait() {
      socket.connect();
      await("connect");
    }

    String id() {
      return socket.id().orElseThrow();
    }

    /** Emits with an ack and waits for the answer. */
    Arguments ask(String event, Object... args) throws Exception {
      return socket.timeout(WAIT).emitWithAck(event, args).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private void add(String line) {
      lines.add(line);
    }

    /** The first line not yet awaited that is {@code key} or starts with {@code key + " "}. */
    String await(String key) {
      return lines.await(l -> matches(l, key), WAIT, "'" + key + "'");
    }

    private static boolean matches(String line, String key) {
      return line.equals(key) || line.startsWith(key + " ");
    }

    List<String> lines() {
      return lines.entries();
    }

    /** The lines of these events, in arrival order. */
    List<String> lines(String... events) {
      return lines().stream()
          .filter(l -> Arrays.stream(events).anyMatch(e -> matches(l, e)))
          .toList();
    }

    long count(String event) {
      return lines().stream().filter(l -> matches(l, event)).count();
    }
  }
}
