package dev.sio4j.examples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.Ack;
import dev.sio4j.examples.chat.Validation.Invalid;
import dev.sio4j.server.DisconnectReason;
import dev.sio4j.server.Middleware;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The chat example: a Socket.IO server (in-memory adapter) and the web page it serves on the same
 * port.
 *
 * <p>Usage: {@code java -jar sio4j-chat.jar [--port 3000] [--host 127.0.0.1]}; prints a line with
 * {@code READY} and the page's URL once listening, stops on SIGTERM / Ctrl-C.
 *
 * <p>Protocol (all from the page, each with an acknowledgement {@code {ok, ...}} or {@code {ok:
 * false, error}}):
 *
 * <ul>
 *   <li>handshake {@code auth: {nick, token}}: the nickname, checked by middleware (refusals reach
 *       the page as {@code connect_error} with {@code data.code}); the token is a per-tab secret
 *       that lets the same tab take its nickname back after a reconnection;
 *   <li>{@code join {room}} answers the room's last {@value ChatState#HISTORY} messages and its
 *       members; {@code leave {room}};
 *   <li>{@code message {room, text}} answers the stored message (the page's "delivered" tick); the
 *       others in the room receive {@code message};
 *   <li>{@code typing {room, typing}} is relayed as a volatile {@code typing} event;
 *   <li>{@code private {to, text}} reaches one user as {@code private}.
 * </ul>
 *
 * <p>The server also sends {@code system} lines (joins and leaves), {@code members} of a room,
 * {@code rooms} (every room with its member count) and {@code error {code, message, event}} for
 * input it refuses: too long, malformed, unknown room or user, or too fast (a token bucket per
 * socket).
 *
 * <p>Thread-safety: thread-safe. Each socket's handlers run on its event loop; the shared {@link
 * ChatState} is synchronized.
 */
public final class ChatServer implements AutoCloseable {
  static final int MAX_ROOMS_PER_USER = 20;
  private static final int MAX_TOKEN = 64;

  private final SocketIoServer io;
  private final ChatState state = new ChatState();
  private final String host;

  private ChatServer(String host, int port) {
    this.host = host;
    SocketIoOptions.Builder options = SocketIoOptions.builder();
    // Connection state recovery: a page back within 2 minutes keeps its socket, rooms and
    // nickname, and gets the broadcasts it missed (messages, private messages, system lines).
    options.connectionStateRecovery(RecoveryOptions.defaults());
    this.io =
        SocketIoServer.builder()
            .host(host)
            .port(port)
            .options(options.build())
            .fallback(StaticFiles::new)
            .build();
    io.use(this::authenticate);
    io.onConnection(this::onConnection);
  }

  /** Starts a chat server and waits until it listens; port 0 picks a free one. */
  public static ChatServer start(String host, int port) {
    ChatServer server = new ChatServer(host, port);
    server.io.start().join();
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

  /** Disconnects every page and releases the port; waits up to 10 seconds. */
  @Override
  public void close() {
    try {
      io.close().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("chat server did not stop cleanly", e);
    }
  }

  public static void main(String[] args) throws InterruptedException {
    int port = 3000;
    String host = "127.0.0.1";
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--host") && i + 1 < args.length) {
        host = args[++i];
      } else {
        System.err.println("usage: java -jar sio4j-chat.jar [--port 3000] [--host 127.0.0.1]");
        System.exit(2);
      }
    }
    ChatServer server = start(host, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "chat-shutdown"));
    System.out.println("READY chat on " + server.url() + " (listening on " + host + ")");
    System.out.flush();
    stopped.await();
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
    String token = token(auth);
    Socket[] previous = new Socket[1];
    switch (state.reserve(nick, token, socket, previous)) {
      case TAKEN:
        next.fail(
            "The nickname \u201c" + nick + "\u201d is taken; pick another one.",
            Map.of("code", "NICK_TAKEN"));
        return;
      case TAKEN_OVER:
        previous[0].disconnect(true);
        break;
      default:
        break;
    }
    socket.data().put("nick", nick);
    next.proceed();
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
      socket.disconnect(true);
      return;
    }
    if (socket.recovered()) {
      // The middleware was skipped: hold the nickname again, tell the rooms the user is back.
      state.reserve(nick, token(socket.handshake().auth()), socket, new Socket[1]);
      for (String room : chatRooms(socket)) {
        system(room, "join", nick, nick + " is back");
        roomsChanged(room);
      }
    }
    RateLimiter events = new RateLimiter(20, 5);
    RateLimiter typing = new RateLimiter(10, 3);
    List<String> roomsAtDisconnect = new ArrayList<>();

    socket.emit("welcome", Map.of("nick", nick, "id", socket.id()));
    socket.emit("rooms", roomList());

    guard(socket, "join", events, (data, ack) -> join(socket, nick, data, ack));
    guard(socket, "leave", events, (data, ack) -> leave(socket, nick, data, ack));
    guard(socket, "message", events, (data, ack) -> message(socket, nick, data, ack));
    guard(socket, "private", events, (data, ack) -> privateMessage(socket, nick, data, ack));
    guard(socket, "typing", typing, (data, ack) -> typing(socket, nick, data));

    socket.onDisconnecting(reason -> roomsAtDisconnect.addAll(chatRooms(socket)));
    socket.onDisconnect(reason -> onDisconnect(socket, nick, reason, roomsAtDisconnect));
  }

  private void join(Socket socket, String nick, JsonNode data, Ack ack) {
    String room = Validation.room(Validation.object(data).get("room"));
    Set<String> mine = chatRooms(socket);
    if (!mine.contains(room)) {
      if (mine.size() >= MAX_ROOMS_PER_USER) {
        throw new Invalid(
            "TOO_MANY_ROOMS", "You are in " + MAX_ROOMS_PER_USER + " rooms; leave one first.");
      }
      if (!state.ensureRoom(room)) {
        throw new Invalid("TOO_MANY_ROOMS", "This server has no room for more rooms.");
      }
      socket.join(room);
      system(room, "join", nick, nick + " joined #" + room);
      roomsChanged(room);
    }
    Map<String, Object> answer = ok();
    answer.put("room", room);
    answer.put("history", state.history(room));
    answer.put("members", members(room));
    ack.send(answer);
  }

  private void leave(Socket socket, String nick, JsonNode data, Ack ack) {
    String room = Validation.room(Validation.object(data).get("room"));
    if (!chatRooms(socket).contains(room)) {
      throw new Invalid("NOT_IN_ROOM", "You are not in #" + room + ".");
    }
    socket.leave(room);
    system(room, "leave", nick, nick + " left #" + room);
    roomsChanged(room);
    Map<String, Object> answer = ok();
    answer.put("room", room);
    ack.send(answer);
  }

  private void message(Socket socket, String nick, JsonNode data, Ack ack) {
    JsonNode o = Validation.object(data);
    String room = Validation.room(o.get("room"));
    String text = Validation.text(o.get("text"));
    if (!chatRooms(socket).contains(room)) {
      throw new Invalid("NOT_IN_ROOM", "Join #" + room + " before writing there.");
    }
    ChatMessage m = state.post(room, nick, text);
    socket.to(room).emit("message", m);
    Map<String, Object> answer = ok();
    answer.put("message", m);
    ack.send(answer);
  }

  private void privateMessage(Socket socket, String nick, JsonNode data, Ack ack) {
    JsonNode o = Validation.object(data);
    String to = Validation.nickname(o.get("to"));
    String text = Validation.text(o.get("text"));
    Socket target =
        state.owner(to).orElseThrow(() -> new Invalid("NO_SUCH_USER", to + " is not online."));
    if (target == socket) {
      throw new Invalid("NO_SUCH_USER", "Talking to yourself? Pick someone else.");
    }
    String canonical = (String) target.data().get("nick");
    ChatMessage m = state.privateMessage(nick, canonical, text);
    // Through the target's own room rather than target.emit: a broadcast is what connection state
    // recovery replays after a short disconnection.
    io.to(target.id()).emit("private", m);
    Map<String, Object> answer = ok();
    answer.put("message", m);
    ack.send(answer);
  }

  private void typing(Socket socket, String nick, JsonNode data) {
    JsonNode o = Validation.object(data);
    String room = Validation.room(o.get("room"));
    if (chatRooms(socket).contains(room)) {
      boolean typing = o.path("typing").asBoolean(false);
      socket
          .to(room)
          .volatile_()
          .emit("typing", Map.of("room", room, "nick", nick, "typing", typing));
    }
  }

  private void onDisconnect(
      Socket socket, String nick, DisconnectReason reason, List<String> rooms) {
    state.release(nick, socket);
    for (String room : rooms) {
      // Not to the socket itself, whose room list connection state recovery may bring back.
      io.to(room)
          .except(socket.id())
          .emit("system", systemLine(room, "leave", nick, nick + " went offline"));
      roomsChanged(room);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A handler that is rate limited and answers refused input with an {@code error} event. */
  @FunctionalInterface
  private interface Handler {
    void handle(JsonNode data, Ack ack);
  }

  private void guard(Socket socket, String event, RateLimiter limiter, Handler handler) {
    socket.on(
        event,
        (args, ack) -> {
          try {
            if (!limiter.tryAcquire()) {
              if (event.equals("typing")) {
                return; // typing notices are best effort: drop them silently
              }
              throw new Invalid("RATE_LIMITED", "You are sending too fast; wait a moment.");
            }
            handler.handle(args.isEmpty() ? null : args.json(0), ack);
          } catch (Invalid e) {
            refuse(socket, event, ack, e);
          } catch (RuntimeException e) {
            refuse(socket, event, ack, new Invalid("SERVER_ERROR", "Something went wrong."));
            throw e;
          }
        });
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

  /** Membership of a room changed: its members and the room list go to those concerned. */
  private void roomsChanged(String room) {
    io.to(room).emit("members", Map.of("room", room, "users", members(room)));
    io.emit("rooms", roomList());
  }

  private List<String> members(String room) {
    List<String> nicks = new ArrayList<>();
    Map<String, Socket> sockets = io.sockets().sockets();
    for (String id : io.sockets().adapter().sockets(Set.of(room))) {
      Socket s = sockets.get(id);
      if (s != null && s.data().get("nick") instanceof String) {
        nicks.add((String) s.data().get("nick"));
      }
    }
    nicks.sort(String.CASE_INSENSITIVE_ORDER);
    return nicks;
  }

  private List<Map<String, Object>> roomList() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (String room : state.roomNames()) {
      list.add(Map.of("name", room, "users", io.sockets().adapter().sockets(Set.of(room)).size()));
    }
    return list;
  }
}
