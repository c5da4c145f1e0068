package dev.sio4j.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The default session store: sessions expire, and the store never holds more than its bound. */
class InMemoryAdminSessionStoreTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aSessionExistsUntilItExpires() {
    ManualClock clock = new ManualClock();
    InMemoryAdminSessionStore store =
        new InMemoryAdminSessionStore(10, Duration.ofMinutes(5), clock);
    assertFalse(store.exists("a"));
    store.save("a");
    assertTrue(store.exists("a"));
    clock.now = clock.now.plus(Duration.ofMinutes(5).minusMillis(1));
    assertTrue(store.exists("a"));
    clock.now = clock.now.plusMillis(1);
    assertFalse(store.exists("a"));
  }

  @Test
  void theOldestSessionIsForgottenWhenFull() {
    InMemoryAdminSessionStore store =
        new InMemoryAdminSessionStore(2, Duration.ofHours(1), new ManualClock());
    store.save("a");
    store.save("b");
    store.save("c");
    assertFalse(store.exists("a"));
    assertTrue(store.exists("b"));
    assertTrue(store.exists("c"));
  }

  @Test
  void boundsMustBePositive() {
    assertThrows(
        IllegalArgumentException.class, () -> AdminSessionStore.inMemory(0, Duration.ofHours(1)));
    assertThrows(
        IllegalArgumentException.class, () -> AdminSessionStore.inMemory(1, Duration.ZERO));
  }
}
