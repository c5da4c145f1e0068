package dev.sio4j.examples.chat;

import dev.sio4j.server.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the chat remembers: who holds which nickname, which rooms exist and their last messages. In
 * memory only, so a restart forgets everything (the pages reconnect and re-join by themselves).
 *
 * <p>Thread-safety: thread-safe. Sockets live on different event loops, so every method takes the
 * instance lock; each holds it for a few map operations only.
 */
final class ChatState {
  static final int HISTORY = 50;
  static final int MAX_ROOMS = 100;
  static final String DEFAULT_ROOM = "general";

  /** A nickname is reserved for a connecting socket for this long even before it connects. */
  private static final long RESERVATION_NANOS = 10_000_000_000L;

  private final Map<String, Owner> nicknames = new HashMap<>();
  private final Map<String, Deque<ChatMessage>> rooms = new LinkedHashMap<>();
  // Ids stay unique across restarts, since pages drop a message whose id they already show.
  private final String boot = Long.toString(System.currentTimeMillis(), 36);
  private long nextId;

  ChatState() {
    rooms.put(DEFAULT_ROOM, new ArrayDeque<>());
  }

  /** Who holds a nickname: the socket and the secret of the page that picked it. */
  private record Owner(Socket socket, String token, long since) {}

  /** The outcome of {@link #reserve}. */
  enum Reservation {
    /** The nickname was free. */
    OK,
    /** Another page holds it. */
    TAKEN,
    /** The same page (same token) held it on a connection not yet known to be dead: replaced. */
    TAKEN_OVER
  }

  /**
   * Reserves {@code nick} for {@code socket}. A page that reconnects before the server noticed its
   * old connection dropped (a ping timeout takes a while) proves it is the same page with its
   * token, and takes its nickname over instead of being told it is taken.
   *
   * @return the outcome; with {@code TAKEN_OVER}, {@code previous} receives the old socket
   */
  synchronized Reservation reserve(String nick, String token, Socket socket, Socket[] previous) {
    String key = key(nick);
    Owner owner = nicknames.get(key);
    if (owner != null && owner.socket() != socket && alive(owner)) {
      if (token.isEmpty() || !token.equals(owner.token())) {
        return Reservation.TAKEN;
      }
      previous[0] = owner.socket();
      nicknames.put(key, new Owner(socket, token, System.nanoTime()));
      return Reservation.TAKEN_OVER;
    }
    nicknames.put(key, new Owner(socket, token, System.nanoTime()));
    return Reservation.OK;
  }

  private static boolean alive(Owner owner) {
    return owner.socket().connected() || System.nanoTime() - owner.since() < RESERVATION_NANOS;
  }

  /** Frees the nickname if {@code socket} still holds it. */
  synchronized void release(String nick, Socket socket) {
    Owner owner = nicknames.get(key(nick));
    if (owner != null && owner.socket() == socket) {
      nicknames.remove(key(nick));
    }
  }

  /** The connected socket holding a nickname. */
  synchronized Optional<Socket> owner(String nick) {
    Owner owner = nicknames.get(key(nick));
    return owner != null && owner.socket().connected()
        ? Optional.of(owner.socket())
        : Optional.empty();
  }

  /** Creates the room if needed; false when the server already has {@link #MAX_ROOMS}. */
  synchronized boolean ensureRoom(String room) {
    if (rooms.containsKey(room)) {
      return true;
    }
    if (rooms.size() >= MAX_ROOMS) {
      return false;
    }
    rooms.put(room, new ArrayDeque<>());
    return true;
  }

  synchronized List<String> roomNames() {
    return List.copyOf(rooms.keySet());
  }

  /** The last {@link #HISTORY} messages of a room, oldest first. */
  synchronized List<ChatMessage> history(String room) {
    Deque<ChatMessage> h = rooms.get(room);
    return h == null ? List.of() : new ArrayList<>(h);
  }

  /** Records a message in a room (which must exist) and returns it with its id and time. */
  synchronized ChatMessage post(String room, String from, String text) {
    Deque<ChatMessage> h = Objects.requireNonNull(rooms.get(room), room);
    ChatMessage m = new ChatMessage(newId(), room, from, "", text, System.currentTimeMillis());
    h.addLast(m);
    while (h.size() > HISTORY) {
      h.removeFirst();
    }
    return m;
  }

  /** A private message; not kept. */
  synchronized ChatMessage privateMessage(String from, String to, String text) {
    return new ChatMessage(newId(), "", from, to, text, System.currentTimeMillis());
  }

  private String newId() {
    return boot + "-" + ++nextId;
  }

  private static String key(String nick) {
    return nick.toLowerCase(Locale.ROOT);
  }
}
