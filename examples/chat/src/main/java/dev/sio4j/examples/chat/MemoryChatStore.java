package dev.sio4j.examples.chat;

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
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The chat's memory on one node: a restart forgets everything (the pages reconnect and re-join by
 * themselves).
 *
 * <p>Thread-safety: thread-safe. Sockets live on different event loops, so every method takes the
 * instance lock; each holds it for a few map operations only. Every future it answers is complete.
 */
final class MemoryChatStore implements ChatStore {
  /** A nickname is reserved for a connecting socket for this long even before it connects. */
  private static final long RESERVATION_NANOS = 10_000_000_000L;

  private final Predicate<String> connected;
  private final Map<String, Owner> nicknames = new HashMap<>();
  private final Map<String, Deque<ChatMessage>> rooms = new LinkedHashMap<>();
  private final MessageIds ids = new MessageIds();

  /**
   * @param connected whether the socket with this id is connected to this server
   */
  MemoryChatStore(Predicate<String> connected) {
    this.connected = connected;
    rooms.put(DEFAULT_ROOM, new ArrayDeque<>());
  }

  /** Who holds a nickname: the socket and the secret of the page that picked it. */
  private record Owner(String nick, String socketId, String token, long since) {}

  @Override
  public synchronized CompletableFuture<Reservation> reserve(
      String nick, String token, String socketId) {
    String key = key(nick);
    Owner owner = nicknames.get(key);
    Owner mine = new Owner(nick, socketId, token, System.nanoTime());
    if (owner != null && !owner.socketId().equals(socketId) && alive(owner)) {
      if (token.isEmpty() || !token.equals(owner.token())) {
        return CompletableFuture.completedFuture(Reservation.TAKEN);
      }
      nicknames.put(key, mine);
      return CompletableFuture.completedFuture(Reservation.takenOver(owner.socketId()));
    }
    nicknames.put(key, mine);
    return CompletableFuture.completedFuture(Reservation.OK);
  }

  private boolean alive(Owner owner) {
    return connected.test(owner.socketId())
        || System.nanoTime() - owner.since() < RESERVATION_NANOS;
  }

  @Override
  public synchronized CompletableFuture<Void> release(String nick, String socketId) {
    Owner owner = nicknames.get(key(nick));
    if (owner != null && owner.socketId().equals(socketId)) {
      nicknames.remove(key(nick));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Optional<Holder>> owner(String nick) {
    Owner owner = nicknames.get(key(nick));
    return CompletableFuture.completedFuture(
        owner != null && connected.test(owner.socketId())
            ? Optional.of(new Holder(owner.nick(), owner.socketId()))
            : Optional.empty());
  }

  @Override
  public synchronized CompletableFuture<Boolean> ensureRoom(String room) {
    if (rooms.containsKey(room)) {
      return CompletableFuture.completedFuture(true);
    }
    if (rooms.size() >= MAX_ROOMS) {
      return CompletableFuture.completedFuture(false);
    }
    rooms.put(room, new ArrayDeque<>());
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized CompletableFuture<List<String>> roomNames() {
    return CompletableFuture.completedFuture(List.copyOf(rooms.keySet()));
  }

  @Override
  public synchronized CompletableFuture<List<ChatMessage>> history(String room) {
    Deque<ChatMessage> h = rooms.get(room);
    return CompletableFuture.completedFuture(h == null ? List.of() : new ArrayList<>(h));
  }

  @Override
  public synchronized CompletableFuture<ChatMessage> post(String room, String from, String text) {
    Deque<ChatMessage> h = Objects.requireNonNull(rooms.get(room), room);
    ChatMessage m = new ChatMessage(ids.next(), room, from, "", text, System.currentTimeMillis());
    h.addLast(m);
    while (h.size() > HISTORY) {
      h.removeFirst();
    }
    return CompletableFuture.completedFuture(m);
  }

  @Override
  public ChatMessage privateMessage(String from, String to, String text) {
    return new ChatMessage(ids.next(), "", from, to, text, System.currentTimeMillis());
  }

  @Override
  public void close() {}

  private static String key(String nick) {
    return nick.toLowerCase(Locale.ROOT);
  }
}
