package dev.sio4j.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link AdminSessionStore#inMemory()}: session ids with their expiry, in insertion order, bounded.
 *
 * <p>Thread-safety: thread-safe (one lock; logins are rare).
 */
final class InMemoryAdminSessionStore implements AdminSessionStore {
  private final int maxSessions;
  private final long ttlMillis;
  private final Clock clock;
  private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

  InMemoryAdminSessionStore(int maxSessions, Duration ttl, Clock clock) {
    if (maxSessions < 1 || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("maxSessions must be >= 1 and ttl positive");
    }
    this.maxSessions = maxSessions;
    this.ttlMillis = ttl.toMillis();
    this.clock = clock;
  }

  @Override
  public synchronized boolean exists(String sessionId) {
    Long expiry = expiries.get(sessionId);
    if (expiry == null) {
      return false;
    }
    if (expiry <= clock.millis()) {
      expiries.remove(sessionId);
      return false;
    }
    return true;
  }

  @Override
  public synchronized void save(String sessionId) {
    long now = clock.millis();
    // Entries are in expiry order (same ttl for all): drop the expired ones at the head.
    Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator();
    while (it.hasNext() && it.next().getValue() <= now) {
      it.remove();
    }
    while (expiries.size() >= maxSessions) {
      Iterator<String> oldest = expiries.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    expiries.put(sessionId, now + ttlMillis);
  }
}
