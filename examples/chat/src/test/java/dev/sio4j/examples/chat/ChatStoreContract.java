package dev.sio4j.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.examples.chat.ChatStore.Holder;
import dev.sio4j.examples.chat.ChatStore.Outcome;
import dev.sio4j.examples.chat.ChatStore.Reservation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link ChatStore} does, whatever it keeps its state in: run against the in-memory
 * store and the Redis one by the subclasses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ChatStoreContract {
  /** The socket ids the store is told are connected here. */
  protected final Set<String> connected = ConcurrentHashMap.newKeySet();

  protected ChatStore store;

  /** A new, empty store that asks {@link #connected} whether a socket is connected. */
  protected abstract ChatStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  protected static <T> T get(CompletableFuture<T> future) {
    return Await.join(future);
  }

  protected Reservation reserve(String nick, String token, String socketId) {
    Reservation r = get(store.reserve(nick, token, socketId));
    if (r.outcome() != Outcome.TAKEN) {
      connected.add(socketId);
    }
    return r;
  }

  @Test
  void aNicknameIsHeldCaseInsensitivelyAndTakenOverOnlyWithItsToken() {
    assertEquals(Reservation.OK, reserve("Alice", "tab-1", "s1"));
    assertEquals(Optional.of(new Holder("Alice", "s1")), get(store.owner("alice")));

    assertEquals(Reservation.TAKEN, reserve("ALICE", "tab-2", "s2"));
    assertEquals(Reservation.TAKEN, reserve("alice", "", "s2"));
    // The same tab (same token) on a new connection takes it over from its old one.
    assertEquals(Reservation.takenOver("s1"), reserve("alice", "tab-1", "s3"));
    assertEquals(Optional.of(new Holder("alice", "s3")), get(store.owner("Alice")));

    // The old connection's release does not free what the new one holds.
    get(store.release("alice", "s1"));
    assertEquals(Optional.of(new Holder("alice", "s3")), get(store.owner("alice")));
    get(store.release("alice", "s3"));
    connected.remove("s3");
    assertEquals(Optional.empty(), get(store.owner("alice")));
    assertEquals(Reservation.OK, reserve("alice", "tab-2", "s4"));
  }

  @Test
  void withoutATokenANicknameIsNeverTakenOver() {
    assertEquals(Reservation.OK, reserve("bob", "", "s1"));
    assertEquals(Reservation.TAKEN, reserve("bob", "", "s2"));
    // Reserving again for the same socket (a recovered one) keeps it.
    assertEquals(Reservation.OK, reserve("bob", "", "s1"));
  }

  @Test
  void roomsAreCreatedOnceInOrderUpToTheLimit() {
    assertEquals(List.of(ChatStore.DEFAULT_ROOM), get(store.roomNames()));
    assertTrue(get(store.ensureRoom("random")));
    assertTrue(get(store.ensureRoom("random")));
    List<String> expected = new ArrayList<>(List.of(ChatStore.DEFAULT_ROOM, "random"));
    for (int i = expected.size(); i < ChatStore.MAX_ROOMS; i++) {
      assertTrue(get(store.ensureRoom("room-" + i)), "room " + i);
      expected.add("room-" + i);
    }
    assertFalse(get(store.ensureRoom("one-too-many")));
    assertTrue(get(store.ensureRoom("random")), "an existing room is still there");
    assertEquals(expected, get(store.roomNames()));
  }

  @Test
  void historyKeepsTheLastMessagesOfEachRoomInOrder() {
    assertEquals(List.of(), get(store.history("random")));
    get(store.ensureRoom("random"));
    Set<String> ids = new HashSet<>();
    for (int i = 1; i <= ChatStore.HISTORY + 5; i++) {
      ChatMessage m = get(store.post("random", "alice", "line " + i));
      assertEquals("random", m.room());
      assertEquals("alice", m.from());
      assertEquals("", m.to());
      assertTrue(ids.add(m.id()), "unique id " + m.id());
    }
    get(store.post(ChatStore.DEFAULT_ROOM, "bob", "elsewhere"));

    List<ChatMessage> history = get(store.history("random"));
    assertEquals(ChatStore.HISTORY, history.size());
    assertEquals("line 6", history.get(0).text());
    assertEquals("line " + (ChatStore.HISTORY + 5), history.get(history.size() - 1).text());
    assertEquals(
        List.of("elsewhere"),
        get(store.history(ChatStore.DEFAULT_ROOM)).stream().map(ChatMessage::text).toList());
  }

  @Test
  void privateMessagesGetIdsButAreNotKept() {
    ChatMessage m = store.privateMessage("alice", "bob", "psst");
    assertEquals("", m.room());
    assertEquals("bob", m.to());
    assertTrue(m.time() > 0);
    assertEquals(List.of(), get(store.history(ChatStore.DEFAULT_ROOM)));
  }
}
