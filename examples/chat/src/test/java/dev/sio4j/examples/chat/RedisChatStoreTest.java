package dev.sio4j.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.examples.chat.ChatStore.Holder;
import dev.sio4j.examples.chat.ChatStore.Reservation;
import dev.sio4j.interop.RedisServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis store against a real {@code redis-server}: the contract, and what makes it the memory
 * of a cluster — two stores (two nodes) on one Redis see the same nicknames, rooms and history;
 * every key is under the prefix; nicknames expire unless their node renews them.
 */
class RedisChatStoreTest extends ChatStoreContract {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static RedisServer redis;

  private String prefix;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected ChatStore newStore() {
    // A prefix per test: each starts with an empty chat on the shared server.
    prefix = "chat-test-" + PREFIXES.incrementAndGet();
    return RedisChatStore.connect(redis.uri(), prefix, connected::contains);
  }

  @Test
  void twoNodesOnOneRedisAreOneChat() {
    try (ChatStore other = RedisChatStore.connect(redis.uri(), prefix, id -> false)) {
      assertEquals(Reservation.OK, reserve("alice", "tab-1", "s1"));
      assertEquals(Reservation.TAKEN, get(other.reserve("Alice", "tab-2", "s2")));
      assertEquals(Optional.of(new Holder("alice", "s1")), get(other.owner("ALICE")));

      get(store.ensureRoom("random"));
      ChatMessage m = get(store.post("random", "alice", "hello from node one"));
      assertEquals(List.of(ChatStore.DEFAULT_ROOM, "random"), get(other.roomNames()));
      assertEquals(List.of(m), get(other.history("random")));
      ChatMessage reply = get(other.post("random", "bob", "and from node two"));
      assertEquals(List.of(m, reply), get(store.history("random")));
    }
    try (ChatStore elsewhere = RedisChatStore.connect(redis.uri(), prefix + "-x", id -> false)) {
      assertEquals(List.of(ChatStore.DEFAULT_ROOM), get(elsewhere.roomNames()));
      assertEquals(Optional.empty(), get(elsewhere.owner("alice")));
    }
  }

  @Test
  void keysLiveUnderThePrefixAndNicknamesExpire() {
    reserve("dora", "", "s1");
    get(store.ensureRoom("random"));
    get(store.post("random", "dora", "hi"));
    @SuppressWarnings("unchecked")
    List<Object> keys = (List<Object>) redis.command("KEYS", prefix + "*");
    assertEquals(3, keys.size(), keys.toString());
    assertTrue(keys.contains(prefix + ":nick:dora"), keys.toString());
    assertTrue(keys.contains(prefix + ":rooms"), keys.toString());
    assertTrue(keys.contains(prefix + ":history:random"), keys.toString());

    long ttl = (Long) redis.command("PTTL", prefix + ":nick:dora");
    assertTrue(ttl > 0 && ttl <= RedisChatStore.NICK_TTL.toMillis(), "ttl " + ttl);
    // A node that died renews nothing: once the key expired, the nickname is free again.
    redis.command("PEXPIRE", prefix + ":nick:dora", "1");
    dev.sio4j.engineio.testing.Await.until(
        () -> redis.command("EXISTS", prefix + ":nick:dora").equals(0L), "the nickname expired");
    assertEquals(Optional.empty(), get(store.owner("dora")));
    assertEquals(Reservation.OK, reserve("Dora", "", "s2"));
  }

  @Test
  void aRoomKeepsNoMoreThanItsHistoryInRedis() {
    for (int i = 0; i < ChatStore.HISTORY + 10; i++) {
      get(store.post(ChatStore.DEFAULT_ROOM, "fay", "line " + i));
    }
    assertEquals(
        (long) ChatStore.HISTORY,
        redis.command("LLEN", prefix + ":history:" + ChatStore.DEFAULT_ROOM));
  }

  @Test
  void aForeignValueInTheHistoryIsSkipped() {
    get(store.post(ChatStore.DEFAULT_ROOM, "eve", "real"));
    redis.command("RPUSH", prefix + ":history:" + ChatStore.DEFAULT_ROOM, "not json");
    assertEquals(
        List.of("real"),
        get(store.history(ChatStore.DEFAULT_ROOM)).stream().map(ChatMessage::text).toList());
  }
}
