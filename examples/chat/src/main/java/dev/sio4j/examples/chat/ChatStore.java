package dev.sio4j.examples.chat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the chat remembers: who holds which nickname, which rooms exist and their last messages. One
 * node keeps it in memory ({@link MemoryChatStore}); the nodes of a cluster share it in Redis
 * ({@link RedisChatStore}), so that every node knows the same nicknames, rooms and history.
 *
 * <p>Every operation answers a future, so that a store on the network never blocks the event loop
 * that calls it; the in-memory store's futures are complete at once.
 *
 * <p>Thread-safety: implementations are thread-safe; their futures may complete on any thread.
 */
interface ChatStore extends AutoCloseable {
  /** Messages a room keeps. */
  int HISTORY = 50;

  /** Rooms a chat (a node, or a whole cluster) holds at most. */
  int MAX_ROOMS = 100;

  /** The room every page joins first; it always exists. */
  String DEFAULT_ROOM = "general";

  /** The outcome of {@link #reserve}. */
  enum Outcome {
    /** The nickname was free. */
    OK,
    /** Another page holds it. */
    TAKEN,
    /** The same page (same token) held it on a connection not yet known to be dead: replaced. */
    TAKEN_OVER
  }

  /**
   * What {@link #reserve} decided.
   *
   * @param previous with {@link Outcome#TAKEN_OVER}, the socket that held the nickname until now
   */
  record Reservation(Outcome outcome, Optional<String> previous) {
    static final Reservation OK = new Reservation(Outcome.OK, Optional.empty());
    static final Reservation TAKEN = new Reservation(Outcome.TAKEN, Optional.empty());

    static Reservation takenOver(String previous) {
      return new Reservation(Outcome.TAKEN_OVER, Optional.of(previous));
    }
  }

  /** Who holds a nickname: the nickname as its owner spelled it, and the owner's socket id. */
  record Holder(String nick, String socketId) {}

  /**
   * Reserves {@code nick} (case-insensitively) for the socket {@code socketId}. A page that
   * reconnects before the server noticed its old connection dropped (a ping timeout takes a while)
   * proves it is the same page with its token, and takes its nickname over instead of being told it
   * is taken; the caller then disconnects the previous socket.
   */
  CompletableFuture<Reservation> reserve(String nick, String token, String socketId);

  /** Frees the nickname if {@code socketId} still holds it. */
  CompletableFuture<Void> release(String nick, String socketId);

  /** The connected socket holding a nickname. */
  CompletableFuture<Optional<Holder>> owner(String nick);

  /** Creates the room if needed; false when the chat already has {@link #MAX_ROOMS}. */
  CompletableFuture<Boolean> ensureRoom(String room);

  /** Every room, in the order they were created. */
  CompletableFuture<List<String>> roomNames();

  /** The last {@link #HISTORY} messages of a room, oldest first. */
  CompletableFuture<List<ChatMessage>> history(String room);

  /** Records a message in a room (which must exist) and answers it with its id and time. */
  CompletableFuture<ChatMessage> post(String room, String from, String text);

  /** A private message with its id and time; not kept. */
  ChatMessage privateMessage(String from, String to, String text);

  /** Releases what the store holds (connections, timers); never throws. */
  @Override
  void close();
}
