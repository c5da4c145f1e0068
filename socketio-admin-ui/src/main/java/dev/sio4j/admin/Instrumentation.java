package dev.sio4j.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.RoomListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.Subscription;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.server.BroadcastOperator;
import dev.sio4j.server.ConnectionObserver;
import dev.sio4j.server.Middleware;
import dev.sio4j.server.Namespace;
import dev.sio4j.server.RemoteSocket;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * A server instrumented for the Admin UI (see {@link AdminUi#instrument}): the admin namespace with
 * its authentication and command handlers, the periodic {@code server_stats}, and in development
 * mode the listeners that report sockets, rooms and events to the UI as they happen.
 *
 * <p>What goes to the UI is emitted to the admin namespace through its adapter, as the reference
 * does, so that in a cluster the admin sockets of every node receive every node's reports.
 *
 * <p>Thread-safety: thread-safe. Reports are emitted from the threads the server calls listeners on
 * (event loops, the adapter's threads); the stats run on a thread of their own ({@code
 * sio4j-admin-stats}), password checks on a small bounded pool ({@code sio4j-admin-auth}) so that
 * bcrypt never runs on an event loop. {@link #close()} stops both.
 */
public final class Instrumentation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Instrumentation.class);
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String INVALID_CREDENTIALS = "invalid credentials";

  /** The key of the data the reference keeps on each socket: {clientId, transport}. */
  private static final String META = "_admin";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final AdminUi config;
  private final SocketIoServer server;
  private final Namespace admin;
  private final ObjectMapper mapper;
  private final List<String> features;
  private final boolean development;
  private final EventBuffer events = new EventBuffer();
  private final Set<String> pollingConnections = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<Socket>> socketsByConnection = new ConcurrentHashMap<>();
  private final Set<Namespace> instrumented = ConcurrentHashMap.newKeySet();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService statsTimer;
  private final ThreadPoolExecutor authPool;
  private final ObjectNode baseStats;
  private volatile boolean closed;

  Instrumentation(AdminUi config, SocketIoServer server) {
    this.config = config;
    this.server = server;
    this.mapper = server.options().mapper();
    this.development = config.mode() == AdminUi.Mode.DEVELOPMENT;
    this.features = features(config);
    this.statsTimer = new ScheduledThreadPoolExecutor(1, daemon("sio4j-admin-stats"));
    this.authPool =
        new ThreadPoolExecutor(
            2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), daemon("sio4j-admin-auth"));
    authPool.allowCoreThreadTimeOut(true);
    String hostname = hostname();
    long pid = ProcessHandle.current().pid();
    this.baseStats = JsonNodeFactory.instance.objectNode();
    baseStats.put("serverId", config.serverId().orElse(hostname + "#" + pid));
    baseStats.put("hostname", hostname);
    baseStats.put("pid", pid);

    this.admin = server.of(config.namespaceName());
    initAuthentication();
    admin.onConnection(this::onAdminConnection);
    subscriptions.add(server.observeConnections(new EngineListener()));
    if (development) {
      // Listener first, then the namespaces there already: one created meanwhile is seen by both,
      // and the set keeps it instrumented once.
      server.onNewNamespace(this::instrumentNamespace);
      for (Namespace nsp : server.namespaces()) {
        instrumentNamespace(nsp);
      }
    }
    config
        .uiPath()
        .ifPresent(path -> subscriptions.add(server.serveStatic(path, UiFiles.INSTANCE)));
    long every = config.statsInterval().toMillis();
    statsTimer.scheduleAtFixedRate(this::emitStats, 0, every, TimeUnit.MILLISECONDS);
    log.debug(
        "Admin UI on namespace {}: mode {}, features {}", admin.name(), config.mode(), features);
  }

  /** The admin namespace the UI connects to. */
  public Namespace namespace() {
    return admin;
  }

  /** What the UI is told it may do ({@code config.supportedFeatures}). */
  public List<String> supportedFeatures() {
    return features;
  }

  /**
   * Stops the stats, the UI's route and the observers; the listeners already on namespaces and
   * sockets fall silent. The admin namespace and its connected sockets stay (disconnect them with
   * {@code namespace().disconnectSockets(true)} if needed).
   */
  @Override
  public void close() {
    closed = true;
    subscriptions.forEach(Subscription::cancel);
    statsTimer.shutdownNow();
    authPool.shutdownNow();
  }

  // ---- configuration ---------------------------------------------------------------------------

  private static List<String> features(AdminUi config) {
    List<String> f = new ArrayList<>();
    if (!config.readonly()) {
      f.addAll(List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"));
    }
    f.add("AGGREGATED_EVENTS");
    if (config.mode() == AdminUi.Mode.DEVELOPMENT) {
      f.add("ALL_EVENTS");
    }
    return List.copyOf(f);
  }

  // ---- authentication --------------------------------------------------------------------------

  private void initAuthentication() {
    Optional<String> user = config.username();
    if (user.isEmpty()) {
      log.warn(
          "Admin UI: namespace {} is open to anyone who reaches the server (no auth configured)",
          admin.name());
      return;
    }
    byte[] expectedUser = user.get().getBytes(StandardCharsets.UTF_8);
    String hash = config.passwordHash().orElseThrow();
    admin.use(
        (socket, next) -> {
          JsonNode auth = socket.handshake().auth();
          try {
            authPool.execute(() -> authenticate(socket, auth, expectedUser, hash, next));
          } catch (RejectedExecutionException e) {
            // Too many logins at once (or closed): refusing is cheaper than queueing bcrypt work.
            next.fail(INVALID_CREDENTIALS);
          }
        });
  }

  private void authenticate(
      Socket socket, JsonNode auth, byte[] expectedUser, String hash, Middleware.Next next) {
    try {
      JsonNode sessionId = auth.path("sessionId");
      if (sessionId.isTextual() && config.sessionStore().exists(sessionId.textValue())) {
        next.proceed();
        return;
      }
      JsonNode username = auth.path("username");
      JsonNode password = auth.path("password");
      if (username.isTextual()
          && password.isTextual()
          && MessageDigest.isEqual(
              expectedUser, username.textValue().getBytes(StandardCharsets.UTF_8))
          && BCrypt.checkpw(password.textValue(), hash)) {
        String id = randomId();
        config.sessionStore().save(id);
        meta(socket).put("session", id);
        next.proceed();
        return;
      }
    } catch (RuntimeException e) {
      log.warn("Admin UI: authentication of socket {} failed", socket.id(), e);
    }
    next.fail(INVALID_CREDENTIALS);
  }

  private static String randomId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  // ---- the admin namespace ---------------------------------------------------------------------

  private void onAdminConnection(Socket socket) {
    Object session = meta(socket).remove("session");
    if (session != null) {
      socket.emit("session", session);
    }
    if (!config.readonly()) {
      registerCommands(socket);
    }
    ObjectNode cfg = JsonNodeFactory.instance.objectNode();
    ArrayNode list = cfg.putArray("supportedFeatures");
    features.forEach(list::add);
    socket.emit("config", cfg);
    if (development) {
      fetchAllSockets()
          .whenComplete(
              (all, e) -> {
                if (e != null) {
                  log.debug("Admin UI: fetching the sockets failed", e);
                } else {
                  socket.emit("all_sockets", all);
                }
              });
    }
  }

  private void registerCommands(Socket socket) {
    socket.on(
        "emit",
        args ->
            command(
                args,
                "emit",
                op -> {
                  String event = args.string(2);
                  Object[] rest = new Object[Math.max(0, args.size() - 3)];
                  for (int i = 0; i < rest.length; i++) {
                    rest[i] = args.json(i + 3);
                  }
                  op.emit(event, rest);
                }));
    socket.on("join", args -> command(args, "join", op -> op.socketsJoin(args.string(1))));
    socket.on("leave", args -> command(args, "leave", op -> op.socketsLeave(args.string(1))));
    socket.on(
        "_disconnect",
        args -> command(args, "_disconnect", op -> op.disconnectSockets(args.json(1).asBoolean())));
  }

  /**
   * Runs a command on the sockets of a namespace ({@code args[0]}), narrowed to a room when the UI
   * gives one ({@code args[2]}, a socket's id for one socket). Only namespaces that exist: the UI
   * must not be able to create them.
   */
  private void command(Arguments args, String name, Consumer<BroadcastOperator> action) {
    try {
      if (args.size() < 2 || !args.json(0).isTextual()) {
        return;
      }
      Optional<Namespace> nsp = namespace(args.json(0).textValue());
      if (nsp.isEmpty()) {
        return;
      }
      String filter = null;
      int filterIndex = name.equals("emit") ? 1 : 2;
      if (args.size() > filterIndex && args.json(filterIndex).isTextual()) {
        filter = args.json(filterIndex).textValue();
      }
      BroadcastOperator op =
          filter == null || filter.isEmpty() ? nsp.get().except() : nsp.get().in(filter);
      action.accept(op);
    } catch (RuntimeException e) {
      log.debug("Admin UI: command {} {} failed", name, args, e);
    }
  }

  private Optional<Namespace> namespace(String name) {
    for (Namespace n : server.namespaces()) {
      if (n.name().equals(name)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  private CompletableFuture<ArrayNode> fetchAllSockets() {
    List<CompletableFuture<List<ObjectNode>>> parts = new ArrayList<>();
    for (Namespace nsp : server.namespaces()) {
      parts.add(
          nsp.fetchSockets()
              .thenApply(
                  sockets -> {
                    List<ObjectNode> out = new ArrayList<>(sockets.size());
                    for (RemoteSocket s : sockets) {
                      out.add(serialize(s.id(), nsp.name(), s.handshake(), s.rooms(), s.data()));
                    }
                    return out;
                  })
              .exceptionally(
                  e -> {
                    log.debug("Admin UI: fetchSockets of {} failed", nsp.name(), e);
                    return List.of();
                  }));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            v -> {
              ArrayNode all = JsonNodeFactory.instance.arrayNode();
              parts.forEach(p -> all.addAll(p.join()));
              return all;
            });
  }

  // ---- stats -----------------------------------------------------------------------------------

  private void emitStats() {
    if (closed) {
      return;
    }
    try {
      admin.emit("server_stats", stats());
    } catch (RuntimeException e) {
      // The timer must keep going: a failed emit (a closing adapter) is retried next time.
      log.debug("Admin UI: server_stats failed", e);
    }
  }

  ObjectNode stats() {
    ObjectNode stats = baseStats.deepCopy();
    stats.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    stats.put("clientsCount", server.engine().clientsCount());
    stats.put("pollingClientsCount", pollingConnections.size());
    stats.set("aggregatedEvents", events.drain());
    ArrayNode namespaces = stats.putArray("namespaces");
    for (Namespace nsp : server.namespaces()) {
      namespaces.addObject().put("name", nsp.name()).put("socketsCount", nsp.sockets().size());
    }
    return stats;
  }

  /** Counts the engine's events for {@code aggregatedEvents}; tracks polling connections. */
  private final class EngineListener implements ConnectionObserver {
    @Override
    public void onOpen(EngineIoSocket conn, TransportType transport) {
      events.push("rawConnection", 1);
      if (transport == TransportType.POLLING) {
        pollingConnections.add(conn.id());
      }
    }

    @Override
    public void onUpgrade(EngineIoSocket conn, TransportType transport) {
      pollingConnections.remove(conn.id());
      if (!development || closed) {
        return;
      }
      Set<Socket> sockets = socketsByConnection.get(conn.id());
      if (sockets == null) {
        return;
      }
      for (Socket s : sockets) {
        meta(s).put("transport", transport.wireName());
        ObjectNode update = JsonNodeFactory.instance.objectNode();
        update.put("id", s.id()).put("nsp", s.namespace().name());
        update.put("transport", transport.wireName());
        admin.emit("socket_updated", update);
      }
    }

    @Override
    public void onClose(EngineIoSocket conn, CloseReason reason) {
      pollingConnections.remove(conn.id());
      socketsByConnection.remove(conn.id());
      events.push("rawDisconnection", reason.text(), 1);
    }

    @Override
    public void onMessageIn(EngineIoSocket conn, int bytes) {
      events.push("packetsIn", 1);
      events.push("bytesIn", bytes);
    }

    @Override
    public void onMessageOut(EngineIoSocket conn, int bytes) {
      events.push("packetsOut", 1);
      events.push("bytesOut", bytes);
    }
  }

  // ---- development mode: sockets, rooms and events as they happen ------------------------------

  private void instrumentNamespace(Namespace nsp) {
    if (closed || !instrumented.add(nsp)) {
      return;
    }
    nsp.prependConnection(socket -> onSocketConnected(nsp, socket));
    String name = nsp.name();
    nsp.adapter()
        .addListener(
            new RoomListener() {
              @Override
              public void onJoinRoom(String room, String socketId) {
                if (!closed) {
                  admin.emit("room_joined", name, room, socketId, now());
                }
              }

              @Override
              public void onLeaveRoom(String room, String socketId) {
                if (!closed) {
                  admin.emit("room_left", name, room, socketId, now());
                }
              }
            });
  }

  private void onSocketConnected(Namespace nsp, Socket socket) {
    if (closed) {
      return;
    }
    EngineIoSocket conn = socket.conn();
    Map<String, Object> meta = meta(socket);
    String clientId = conn.id();
    // As the reference: a prefix only, the whole id would let a reader act as the client.
    meta.put("clientId", clientId.substring(0, Math.min(12, clientId.length())));
    meta.put("transport", conn.transport().wireName());
    socketsByConnection.computeIfAbsent(conn.id(), k -> ConcurrentHashMap.newKeySet()).add(socket);
    admin.emit("socket_connected", serializeLocal(nsp, socket), now());
    if (nsp != admin) {
      socket.onAny(
          (event, args) -> {
            if (!closed) {
              admin.emit("event_received", nsp.name(), socket.id(), eventArray(event, args), now());
            }
          });
      socket.onAnyOutgoing(
          (event, args) -> {
            if (!closed) {
              admin.emit("event_sent", nsp.name(), socket.id(), eventArray(event, args), now());
            }
          });
    }
    socket.onDisconnect(
        reason -> {
          Set<Socket> same = socketsByConnection.get(conn.id());
          if (same != null) {
            same.remove(socket);
          }
          if (!closed) {
            admin.emit("socket_disconnected", nsp.name(), socket.id(), reason.text(), now());
          }
        });
  }

  private static ArrayNode eventArray(String event, Arguments args) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode(args.size() + 1);
    a.add(event);
    for (int i = 0; i < args.size(); i++) {
      a.add(args.json(i));
    }
    return a;
  }

  /** The socket's {@code _admin} data, created if needed (a thread-safe map). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> meta(Socket socket) {
    Object m =
        socket
            .data()
            .compute(
                META, (k, v) -> v instanceof ConcurrentHashMap ? v : new ConcurrentHashMap<>());
    return (Map<String, Object>) m;
  }

  private ObjectNode serializeLocal(Namespace nsp, Socket socket) {
    JsonNode data;
    try {
      data = mapper.valueToTree(socket.data());
    } catch (IllegalArgumentException e) {
      data = JsonNodeFactory.instance.objectNode();
    }
    return serialize(socket.id(), nsp.name(), socket.handshake().toJson(), socket.rooms(), data);
  }

  /** A socket as the UI reads it (the reference's {@code serialize}). */
  static ObjectNode serialize(
      String id, String nsp, JsonNode handshake, Collection<String> rooms, JsonNode data) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", id);
    JsonNode meta = data.path(META);
    if (meta.path("clientId").isTextual()) {
      o.set("clientId", meta.get("clientId"));
    }
    if (meta.path("transport").isTextual()) {
      o.set("transport", meta.get("transport"));
    }
    o.put("nsp", nsp);
    ObjectNode d = data.isObject() ? ((ObjectNode) data).deepCopy() : o.objectNode();
    d.remove(META);
    o.set("data", d);
    ObjectNode hs = o.putObject("handshake");
    JsonNode headers = handshake.path("headers");
    String address = handshake.path("address").asText("");
    for (String h : new String[] {"x-forwarded-for", "cf-connecting-ip"}) {
      if (headers.path(h).isTextual() && !headers.path(h).textValue().isEmpty()) {
        address = headers.path(h).textValue();
      }
    }
    hs.put("address", address);
    hs.set("headers", headers.isObject() ? headers : o.objectNode());
    hs.set("query", handshake.path("query").isObject() ? handshake.get("query") : o.objectNode());
    for (String field : new String[] {"issued", "secure", "time", "url", "xdomain"}) {
      if (handshake.hasNonNull(field)) {
        hs.set(field, handshake.get(field));
      }
    }
    // Never the auth: the admin sockets' own would carry the password.
    ArrayNode r = o.putArray("rooms");
    rooms.forEach(r::add);
    return o;
  }

  private static String now() {
    return ISO_MILLIS.format(Instant.now());
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "localhost";
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
