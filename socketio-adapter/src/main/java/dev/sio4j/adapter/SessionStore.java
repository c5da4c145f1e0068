package dev.sio4j.adapter;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where connection state recovery keeps the sessions of sockets that disconnected for a recoverable
 * reason, and finds the packets they missed. An adapter that supports recovery offers one through
 * {@link Adapter#sessionStore()}; it is also the party that tags each broadcast event with an
 * offset (appended as the event's last argument, the reference's wire format), since the offset
 * must identify a position in whatever log {@link #restore} reads.
 *
 * <p>Thread-safety: implementations must be thread-safe: sockets on different event loops
 * disconnect and come back concurrently.
 */
public interface SessionStore {
  /**
   * Keeps a disconnected socket's id, private id, rooms and data ({@link
   * RecoverySession#missedPackets()} is empty here) until it is restored or expires.
   */
  void persist(RecoverySession session);

  /**
   * The session of {@code pid} with the event packets broadcast after {@code offset} that its rooms
   * would have received, each an argument array with its own offset last; empty when the session is
   * unknown or expired or the offset no longer in the log. A session is restored at most once.
   *
   * <p>The server puts the socket back in the session's rooms when it accepts it. An implementation
   * whose log and deliveries can race (the {@link InMemorySessionStore}) may join them itself
   * before completing, atomically with reading the log, so that no broadcast falls between the
   * replay and the return to the rooms; joining twice is harmless.
   */
  CompletableFuture<Optional<RecoverySession>> restore(String pid, String offset);
}
