package dev.sio4j.admin;

import java.time.Clock;
import java.time.Duration;

/**
 * Where the Admin UI's login sessions are kept: after a successful login the server hands the UI a
 * session id, which the UI sends instead of the password when it reconnects (a page reload), as the
 * reference's {@code store} option does. A cluster whose admin connections may land on any node
 * shares one store between its nodes (implement this over the cluster's database); the default,
 * {@link #inMemory()}, is per node.
 *
 * <p>Thread-safety: implementations must be thread-safe. The methods are called on the Admin UI's
 * authentication threads, never on an event loop, so they may block briefly (a database round
 * trip).
 */
public interface AdminSessionStore {
  /** Whether this session id was saved and has not expired. */
  boolean exists(String sessionId);

  /** Saves a new session id. */
  void save(String sessionId);

  /** A store in this process's memory: 10,000 sessions at most, each valid for 24 hours. */
  static AdminSessionStore inMemory() {
    return new InMemoryAdminSessionStore(10_000, Duration.ofHours(24), Clock.systemUTC());
  }

  /**
   * A store in this process's memory holding at most {@code maxSessions} (the oldest is forgotten
   * first), each valid for {@code ttl}.
   */
  static AdminSessionStore inMemory(int maxSessions, Duration ttl) {
    return new InMemoryAdminSessionStore(maxSessions, ttl, Clock.systemUTC());
  }
}
