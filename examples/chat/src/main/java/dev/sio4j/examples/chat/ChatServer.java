package dev.sio4j.examples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.Ack;
import dev.sio4j.examples.chat.ChatStore.Holder;
import dev.sio4j.examples.chat.Validation.Invalid;
import dev.sio4j.server.DisconnectReason;
import dev.sio4j.server.Middleware;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.RemoteSocket;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat example: a Socket.IO server and the web page it serves on the same port; alone (in
 * memory) or as one node of a cluster on Redis.
 *
 * <p>Usage: {@code java -jar sio4j-chat.jar [--port 3000] [--host 127.0.0.1] [--redis
 * redis://127.0.0.1:6379 [--adapter redis-streams|redis|redis-sharded|memory] [--redis-prefix
 * sio4j-chat]]}; prints a line with {@code READY} and the page's URL once listening, stops on
 * SIGTERM / Ctrl-C. With {@code --redis}, nicknames, rooms and history live in Redis ({@link
 * RedisChatStore}) and the nodes are joined by a Redis adapter (streams by default, so that a page
 * whose node went away recovers its session on another one): the nodes behind one load balancer are
 * one chat.
 *
 * <p>Protocol (all from the page, each with an acknowledgement {@code {ok, ...}} or {@code {ok:
 * false, error}}):
 *
 * <ul>
 *   <li>handshake {@code auth: {nick, token}}: the nickname, checked by middleware (refusals reach
 *       the page as {@code connect_error} with {@code data.code}); the token is a per-tab secret
 *       that lets the same tab take its nickname back after a reconnection;
 *   <li>{@code join {room}} answers the room's last {@value ChatStore#HISTORY} messages and its
 *       members; {@code leave {room}};
 *   <li>{@code message {room, text}} answers the stored message (the page's "delivered" tick); the
 *       others in the room receive {@code message};
 *   <li>{@code typing {room, typing}} is relayed as a volatile {@code typing} event;
 *   <li>{@code private {to, text}} reaches one user as {@code private}.
 * </ul>
 *
 * <p>The server also sends {@code system} lines (joins and leaves, to the others in the room),
 * {@code members} of a room, {@code rooms} (every room with its member count) and {@code error
 * {code, message, event}} for input it refuses: too long, malformed, unknown room or user, or too
 * fast (a token bucket per socket). Members and counts come from {@code fetchSockets()}, so they
 * span every node. A server that shuts down says nothing to the rooms: its users did not leave,
 * their pages reconnect (to another node, in a cluster).
 *
 * <p>Thread-safety: thread-safe. Each socket's handlers run on its event loop and never block: the
 * {@link ChatStore} answers futures, which may complete on the store's threads, where the handlers
 * continue (emits, joins and acks are thread-safe).
 */
public final class ChatServer implements AutoCloseable {
  static final int MAX_ROOMS_PER_USER = 20;
  private static final int MAX_TOKEN = 64;
  private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
  private static final String LETTUCE_IO_URING = "io.lettuce.core.iouring";

  private final SocketIoServer io;
  private final ChatStore store;
  private final ClusterAdapters adapters;
  private final String host;

  /** Set before the server disconnects everyone: those disconnections are not people leaving. */
  private volatile boolean closing;

  /**
   * How a chat server runs.
   *
   * @param redis the Redis the nodes share; empty for a chat in memory
   * @param adapter the adapter's name, see {@link ClusterAdapters}
   * @param redisPrefix the prefix of the chat's Redis keys
   */
  record Settings(
      String host, int port, Optional<String> redis, String adapter, String redisPrefix) {
    static final String USAGE =
        "usage: java -jar sio4j-chat.jar [--port 3000] [--host 127.0.0.1]"
            + " [--redis redis://127.0.0.1:6379 [--adapter redis-streams|redis|redis-sharded|memory]"
            + " [--redis-prefix sio4j-chat]]";

    /** One node in memory. */
    static Settings inMemory(String host, int port) {
      return new Settings(host, port, Optional.empty(), "memory", "sio4j-chat");
    }

    /**
     * The settings of a command line.
     *
     * @throws IllegalArgumentException with {@link #USAGE} for a command line it does not take
     */
    static Settings parse(String... args) {
      int port = 3000;
      String host = "127.0.0.1";
      String redis = null;
      String adapter = null;
      String prefix = "sio4j-chat";
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        if (value == null) {
          throw new IllegalArgumentException(USAGE);
        }
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
          case "--redis":
            redis = value;
            break;
          case "--adapter":
            adapter = value;
            break;
          case "--redis-prefix":
            prefix = value;
            break;
          default:
            throw new IllegalArgumentException(USAGE);
        }
        i++;
      }
      if (adapter == null) {
        adapter = redis == null ? "memory" : "redis-streams";
      }
      if (!ClusterAdapters.KINDS.contains(adapter)) {
        throw new IllegalArgumentException("unknown adapter " + adapter + "\n" + USAGE);
      }
      if (redis == null && !adapter.equals("memory")) {
        throw new IllegalArgumentException("--adapter " + adapter + " needs --redis\n" + USAGE);
      }
      return new Settings(host, port, Optional.ofNullable(redis), adapter, prefix);
    }
  }

  private ChatServer(Settings settings) {
    this.host = settings.host();
    SocketIoOptions.Builder options = SocketIoOptions.builder();
    // Connection state recovery: a page back within 2 minutes keeps its socket, rooms and
    // nickname, and gets the broadcasts it missed (messages, private messages, system lines). In a
    // cluster it takes an adapter with a shared session store (streams) to recover on another node.
    options.connectionStateRecovery(RecoveryOptions.defaults());
    this.adapters = new ClusterAdapters();
    try {
      if (settings.redis().isPresent()) {
        options.adapter(adapters.forName(settings.adapter(), List.of(settings.redis().get())));
        this.store =
            adapters.closeAtEnd(
                RedisChatStore.connect(
                    settings.redis().get(), settings.redisPrefix(), this::connectedHere));
      } else {
        this.store = new MemoryChatStore(this::connectedHere);
      }
    } catch (RuntimeException e) {
      adapters.close();
      throw e;
    }
    this.io =
        SocketIoServer.builder()
            .host(settings.host())
            .port(settings.port())
            .options(options.build())
            .fallback(StaticFiles::new)
            .build();
    io.use(this::authenticate);
    io.onConnection(this::onConnection);
  }

  /** Starts a chat server in memory and waits until it listens; port 0 picks a free one. */
  public static ChatServer start(String host, int port) {
    return start(Settings.inMemory(host, port));
  }

  /** Starts a chat server and waits until it listens. */
  static ChatServer start(Settings settings) {
    ChatServer server = new ChatServer(settings);
    try {
      server.io.start().join();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The port it listens on. */
  public int port() {
    return io.port();
  }

  /** The page's address. */
  public URI url() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/");
  }

  /**
   * Disconnects every page (without telling the rooms that anyone left: the pages reconnect),
   * releases the port, then the store and the adapter's connections; waits up to 10 seconds.
   */
  @Override
  public void close() {
    closing = true;
    try {
      io.close().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("chat server did not stop cleanly", e);
    } finally {
      adapters.close();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    // Netty's io_uring transport is on the class path (the server runs on it where the kernel
    // allows). Lettuce, finding both it and epoll, would warn at startup that it picked epoll: pick
    // epoll for it up front, unless the command line decided.
    if (System.getProperty(LETTUCE_IO_URING) == null) {
      System.setProperty(LETTUCE_IO_URING, "false");
    }
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ChatServer server;
    try {
      server = start(settings);
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
                  server.close();
                  stopped.countDown();
                },
                "chat-shutdown"));
    String cluster =
        settings.redis().map(r -> ", " + settings.adapter() + " adapter on " + r).orElse("");
    System.out.println(
        "READY chat on " + server.url() + " (listening on " + settings.host() + cluster + ")");
    System.out.flush();
    stopped.await();
  }

  private boolean connectedHere(String socketId) {
    Socket s = io.sockets().sockets().get(socketId);
    return s != null && s.connected();
  }

  // ---- handshake -----------------------------------------------------------------------------

  private void authenticate(Socket socket, Middleware.Next next) {
    JsonNode auth = socket.handshake().auth();
    String nick;
    try {
      nick = Validation.nickname(auth.get("nick"));
    } catch (Invalid e) {
      next.fail(e.getMessage(), Map.of("code", e.code()));
      return;
    }
    socket.data().put("nick", nick);
    store
        .reserve(nick, token(auth), socket.id())
        .whenComplete(
            (reservation, error) -> {
              if (error != null) {
                log.warn("reserving the nickname of socket {} failed", socket.id(), error);
                next.fail(
                    "The chat cannot check nicknames right now; try again.",
                    Map.of("code", "UNAVAILABLE"));
                return;
              }
              switch (reservation.outcome()) {
                case TAKEN:
                  next.fail(
                      "The nickname \u201c" + nick + "\u201d is taken; pick another one.",
                      Map.of("code", "NICK_TAKEN"));
                  return;
                case TAKEN_OVER:
                  // Its old connection, on this node or another one.
                  reservation.previous().ifPresent(old -> io.in(old).disconnectSockets(true));
                  break;
                default:
                  break;
              }
              next.proceed();
            });
  }

  private static String token(JsonNode auth) {
    String token = auth.path("token").asText("");
    return token.length() > MAX_TOKEN ? "" : token;
  }

  // ---- a connected page ----------------------------------------------------------------------

  private void onConnection(Socket socket) {
    Object known = socket.data().get("nick");
    // A socket restored by connection state recovery skipped the middleware: its data came back.
    String nick = known instanceof String ? (String) known : null;
    if (nick == null) {
      // Only a recovered session whose data lost its nickname gets here: it must log in again.
      log.debug("socket {} has no nickname: disconnecting it", socket.id());
      socket.disconnect(true);
      return;
    }
    if (socket.recovered()) {
      // The middleware was skipped: hold the nickname again, tell the rooms the user is back.
      Set<String> rooms = chatRooms(socket);
      store
          .reserve(nick, token(socket.handshake().auth()), socket.id())
          .whenComplete((r, error) -> logFailure(socket, "recovery", error));
      for (String room : rooms) {
        socket.to(room).emit("system", systemLine(room, "join", nick, nick + " is back"));
      }
      announce(rooms, presence());
    }
    RateLimiter events = new RateLimiter(20, 5);
    RateLimiter typing = new RateLimiter(10, 3);
    List<String> roomsAtDisconnect = new ArrayList<>();

    socket.emit("welcome", Map.of("nick", nick, "id", socket.id()));
    presence()
        .thenCombine(store.roomNames(), (presence, names) -> presence.roomList(names))
        .whenComplete(
            (list, error) -> {
              if (error == null) {
                socket.emit("rooms", list);
              } else {
                logFailure(socket, "rooms", error);
              }
            });

    guard(socket, "join", events, (data, ack) -> join(socket, nick, data, ack));
    guard(socket, "leave", events, (data, ack) -> leave(socket, nick, data, ack));
    guard(socket, "message", events, (data, ack) -> message(socket, nick, data, ack));
    guard(socket, "private", events, (data, ack) -> privateMessage(socket, nick, data, ack));
    guard(socket, "typing", typing, (data, ack) -> typing(socket, nick, data));

    socket.onDisconnecting(reason -> roomsAtDisconnect.addAll(chatRooms(socket)));
    socket.onDisconnect(reason -> onDisconnect(socket, nick, reason, roomsAtDisconnect));
  }

  private CompletableFuture<?> join(Socket socket, String nick, JsonNode data, Ack ack) {
    String room = Validation.room(Validation.object(data).get("room"));
    Set<String> mine = chatRooms(socket);
    boolean joining = !mine.contains(room);
    CompletableFuture<Void> joined = CompletableFuture.completedFuture(null);
    if (joining) {
      if (mine.size() >= MAX_ROOMS_PER_USER) {
        throw new Invalid(
            "TOO_MANY_ROOMS", "You are in " + MAX_ROOMS_PER_USER + " rooms; leave one first.");
      }
      joined =
          store
              .ensureRoom(room)
              .thenAccept(
                  created -> {
                    if (!created) {
                      throw new Invalid("TOO_MANY_ROOMS", "This chat has no room for more rooms.");
                    }
                    socket.join(room);
                    // The others only: the page learns it joined from the answer (and would show
                    // its own join notice when it joins again after a reconnection).
                    socket
                        .to(room)
                        .emit("system", systemLine(room, "join", nick, nick + " joined #" + room));
                  });
    }
    return joined.thenCompose(
        v -> {
          CompletableFuture<Presence> presence = presence();
          if (joining) {
            announce(List.of(room), presence);
          }
          return presence.thenCombine(
              store.history(room),
              (p, history) -> {
                Map<String, Object> answer = ok();
                answer.put("room", room);
                answer.put("history", history);
                answer.put("members", p.members(room));
                ack.send(answer);
                return null;
              });
        });
  }

  private CompletableFuture<?> leave(Socket socket, String nick, JsonNode data, Ack ack) {
    String room = Validation.room(Validation.object(data).get("room"));
    if (!chatRooms(socket).contains(room)) {
      throw new Invalid("NOT_IN_ROOM", "You are not in #" + room + ".");
    }
    socket.leave(room);
    system(room, "leave", nick, nick + " left #" + room);
    announce(List.of(room), presence());
    Map<String, Object> answer = ok();
    answer.put("room", room);
    ack.send(answer);
    return null;
  }

  private CompletableFuture<?> message(Socket socket, String nick, JsonNode data, Ack ack) {
    JsonNode o = Validation.object(data);
    String room = Validation.room(o.get("room"));
    String text = Validation.text(o.get("text"));
    if (!chatRooms(socket).contains(room)) {
      throw new Invalid("NOT_IN_ROOM", "Join #" + room + " before writing there.");
    }
    return store
        .post(room, nick, text)
        .thenAccept(
            m -> {
              socket.to(room).emit("message", m);
              Map<String, Object> answer = ok();
              answer.put("message", m);
              ack.send(answer);
            });
  }

  private CompletableFuture<?> privateMessage(Socket socket, String nick, JsonNode data, Ack ack) {
    JsonNode o = Validation.object(data);
    String to = Validation.nickname(o.get("to"));
    String text = Validation.text(o.get("text"));
    return store
        .owner(to)
        .thenAccept(
            owner -> {
              Holder target =
                  owner.orElseThrow(() -> new Invalid("NO_SUCH_USER", to + " is not online."));
              if (target.socketId().equals(socket.id())) {
                throw new Invalid("NO_SUCH_USER", "Talking to yourself? Pick someone else.");
              }
              ChatMessage m = store.privateMessage(nick, target.nick(), text);
              // Through the target's own room rather than an emit on its socket: a broadcast
              // reaches it on any node, and is what connection state recovery replays after a
              // short disconnection.
              io.to(target.socketId()).emit("private", m);
              Map<String, Object> answer = ok();
              answer.put("message", m);
              ack.send(answer);
            });
  }

  private CompletableFuture<?> typing(Socket socket, String nick, JsonNode data) {
    JsonNode o = Validation.object(data);
    String room = Validation.room(o.get("room"));
    if (chatRooms(socket).contains(room)) {
      boolean typing = o.path("typing").asBoolean(false);
      socket
          .to(room)
          .volatile_()
          .emit("typing", Map.of("room", room, "nick", nick, "typing", typing));
    }
    return null;
  }

  private void onDisconnect(
      Socket socket, String nick, DisconnectReason reason, List<String> rooms) {
    store.release(nick, socket.id()).whenComplete((v, error) -> logFailure(socket, "leave", error));
    if (closing || reason == DisconnectReason.SERVER_SHUTTING_DOWN) {
      // The server goes away, not the user: the page reconnects (to another node in a cluster),
      // and a "went offline" line would be wrong for everyone still connected.
      return;
    }
    for (String room : rooms) {
      // Not to the socket itself, whose room list connection state recovery may bring back.
      io.to(room)
          .except(socket.id())
          .emit("system", systemLine(room, "leave", nick, nick + " went offline"));
    }
    announce(rooms, presence());
  }

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * A handler that is rate limited and answers refused input with an {@code error} event. It
   * answers a future when its work goes on after the store answers, or null when it is done.
   */
  @FunctionalInterface
  private interface Handler {
    CompletableFuture<?> handle(JsonNode data, Ack ack);
  }

  private void guard(Socket socket, String event, RateLimiter limiter, Handler handler) {
    socket.on(
        event,
        (args, ack) -> {
          CompletableFuture<?> done;
          try {
            if (!limiter.tryAcquire()) {
              if (event.equals("typing")) {
                return; // typing notices are best effort: drop them silently
              }
              throw new Invalid("RATE_LIMITED", "You are sending too fast; wait a moment.");
            }
            done = handler.handle(args.isEmpty() ? null : args.json(0), ack);
          } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
          }
          if (done != null) {
            done.whenComplete(
                (v, error) -> {
                  if (error != null) {
                    failed(socket, event, ack, error);
                  }
                });
          }
        });
  }

  private static void failed(Socket socket, String event, Ack ack, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof Invalid) {
      refuse(socket, event, ack, (Invalid) cause);
      return;
    }
    log.warn(
        "chat handler failed: namespace {}, event {}, socket {}",
        socket.namespace().name(),
        event,
        socket.id(),
        cause);
    refuse(socket, event, ack, new Invalid("SERVER_ERROR", "Something went wrong."));
  }

  private static void logFailure(Socket socket, String what, Throwable error) {
    if (error != null) {
      log.warn("chat store failed ({}) for socket {}", what, socket.id(), error);
    }
  }

  private static void refuse(Socket socket, String event, Ack ack, Invalid e) {
    socket.emit("error", Map.of("code", e.code(), "message", e.getMessage(), "event", event));
    ack.send(Map.of("ok", false, "code", e.code(), "error", e.getMessage()));
  }

  private static Map<String, Object> ok() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", true);
    return m;
  }

  /** The chat rooms a socket is in (without its own room). */
  private static Set<String> chatRooms(Socket socket) {
    Set<String> rooms = new TreeSet<>(socket.rooms());
    rooms.remove(socket.id());
    return rooms;
  }

  private void system(String room, String kind, String nick, String text) {
    io.to(room).emit("system", systemLine(room, kind, nick, text));
  }

  private static Map<String, Object> systemLine(
      String room, String kind, String nick, String text) {
    return Map.of(
        "room", room, "kind", kind, "nick", nick, "text", text, "time", System.currentTimeMillis());
  }

  /** Who is in which room, on every node: room to nicknames (case-insensitive order). */
  private record Presence(Map<String, List<String>> rooms) {
    List<String> members(String room) {
      return rooms.getOrDefault(room, List.of());
    }

    List<Map<String, Object>> roomList(List<String> names) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (String room : names) {
        list.add(Map.of("name", room, "users", members(room).size()));
      }
      return list;
    }
  }

  private CompletableFuture<Presence> presence() {
    return io.fetchSockets()
        .thenApply(
            sockets -> {
              Map<String, List<String>> rooms = new HashMap<>();
              for (RemoteSocket s : sockets) {
                JsonNode nick = s.data().get("nick");
                if (nick == null || !nick.isTextual()) {
                  continue;
                }
                for (String room : s.rooms()) {
                  if (!room.equals(s.id())) {
                    rooms.computeIfAbsent(room, r -> new ArrayList<>()).add(nick.textValue());
                  }
                }
              }
              rooms.values().forEach(nicks -> nicks.sort(String.CASE_INSENSITIVE_ORDER));
              return new Presence(rooms);
            });
  }

  /** Membership of rooms changed: their members and the room list go to those concerned. */
  private void announce(Collection<String> rooms, CompletableFuture<Presence> presence) {
    presence
        .thenCombine(
            store.roomNames(),
            (p, names) -> {
              for (String room : rooms) {
                io.to(room).emit("members", Map.of("room", room, "users", p.members(room)));
              }
              io.emit("rooms", p.roomList(names));
              return null;
            })
        .whenComplete(
            (v, error) -> {
              if (error != null) {
                log.warn("announcing the members of {} failed", rooms, error);
              }
            });
  }
}
