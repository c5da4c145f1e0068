package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The session store of a single node (the reference's {@code SessionAwareAdapter}): sessions of
 * sockets that disconnected for a recoverable reason, and a log of the event packets broadcast
 * meanwhile, each tagged with an offset appended as its last argument.
 *
 * <p>Memory: one log entry per broadcast event (not per recipient): the event's JSON tree (shared
 * with the packet that was sent, so no copy), its targeting and two longs, about 100 bytes plus the
 * arguments. Entries older than {@code maxDisconnectionDuration} are purged, and the log never
 * holds more than {@code maxPackets} entries (oldest dropped first: a client whose offset fell out
 * of the log gets a fresh session, as when it expired). Expired sessions are purged too: as a side
 * effect of broadcasts and persists, and by {@link #purgeExpired()}, which the {@link
 * InMemoryAdapter} runs every 60 seconds (as the reference) so that an idle namespace frees them.
 *
 * <p>Thread-safety: thread-safe. Logging a broadcast and delivering it ({@link #logAndDeliver}),
 * and restoring a session and joining its rooms ({@link #restore}) happen under one lock, so a
 * recovering socket misses no packet between the replay and its return to its rooms.
 */
public final class InMemorySessionStore implements SessionStore {
  private final LocalRooms rooms;
  private final long maxDisconnectionMillis;
  private final int maxPackets;
  private final LongSupplier clock;
  private final Object lock = new Object();
  private final Map<String, Persisted> sessions = new HashMap<>();
  private final ArrayDeque<LoggedPacket> packets = new ArrayDeque<>();
  private long nextSeq;

  /**
   * A store whose restored sessions rejoin {@code rooms}.
   *
   * @param maxPackets the most packets kept in the log
   */
  public InMemorySessionStore(LocalRooms rooms, Duration maxDisconnectionDuration, int maxPackets) {
    this(rooms, maxDisconnectionDuration, maxPackets, System::currentTimeMillis);
  }

  InMemorySessionStore(
      LocalRooms rooms, Duration maxDisconnectionDuration, int maxPackets, LongSupplier clock) {
    if (maxPackets < 1) {
      throw new IllegalArgumentException("maxPackets < 1: " + maxPackets);
    }
    this.rooms = rooms;
    this.maxDisconnectionMillis = maxDisconnectionDuration.toMillis();
    this.maxPackets = maxPackets;
    this.clock = clock;
    this.nextSeq = clock.getAsLong() * 1000;
  }

  /**
   * Whether a broadcast is logged (and gets an offset): an event without ack id, with data, not
   * volatile, as the reference decides.
   */
  public static boolean isLogged(SioPacket packet, BroadcastOptions options) {
    return packet.type() == SioPacketType.EVENT
        && !packet.hasAckId()
        && !options.flags().isVolatile()
        && packet.data().isPresent();
  }

  /**
   * Logs a broadcast event (see {@link #isLogged}) and hands it, with its offset appended, to
   * {@code deliver}, under the store's lock; a packet that is not logged goes to {@code deliver}
   * unchanged, without the lock.
   */
  public void logAndDeliver(
      SioPacket packet, BroadcastOptions options, Consumer<SioPacket> deliver) {
    if (!isLogged(packet, options)) {
      deliver.accept(packet);
      return;
    }
    synchronized (lock) {
      long now = clock.getAsLong();
      purge(now);
      long seq = nextSeq++;
      // A shallow copy: the arguments are shared with the caller's packet, only the array grows.
      ArrayNode data = JsonNodeFactory.instance.arrayNode();
      data.addAll((ArrayNode) packet.data().get());
      data.add(offsetOf(seq));
      packets.add(new LoggedPacket(seq, now, data, options));
      while (packets.size() > maxPackets) {
        packets.removeFirst();
      }
      deliver.accept(SioPacket.event(packet.namespace(), data));
    }
  }

  @Override
  public void persist(RecoverySession session) {
    synchronized (lock) {
      long now = clock.getAsLong();
      purge(now);
      sessions.put(session.pid(), new Persisted(session, now));
    }
  }

  @Override
  public CompletableFuture<Optional<RecoverySession>> restore(String pid, String offset) {
    synchronized (lock) {
      long now = clock.getAsLong();
      Persisted persisted = sessions.remove(pid);
      if (persisted == null || persisted.disconnectedAt + maxDisconnectionMillis < now) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      long seq = seqOf(offset);
      boolean found = false;
      List<ArrayNode> missed = new ArrayList<>();
      for (LoggedPacket p : packets) {
        if (p.seq == seq) {
          found = true;
        } else if (found && LocalRooms.matches(persisted.session.rooms(), p.options)) {
          missed.add(p.data);
        }
      }
      if (!found) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      RecoverySession s = persisted.session;
      // Back in its rooms before the lock is released: the next broadcast reaches it directly.
      rooms.addAll(s.sid(), s.rooms());
      return CompletableFuture.completedFuture(
          Optional.of(new RecoverySession(s.sid(), s.pid(), s.rooms(), s.data(), missed)));
    }
  }

  /** Drops the sessions and logged packets older than {@code maxDisconnectionDuration}. */
  public void purgeExpired() {
    synchronized (lock) {
      purge(clock.getAsLong());
    }
  }

  /** The number of packets in the log, for tests and metrics. */
  public int loggedPackets() {
    synchronized (lock) {
      return packets.size();
    }
  }

  /** The number of sessions waiting to be recovered, for tests and metrics. */
  public int persistedSessions() {
    synchronized (lock) {
      return sessions.size();
    }
  }

  private void purge(long now) {
    long threshold = now - maxDisconnectionMillis;
    while (!packets.isEmpty() && packets.peekFirst().emittedAt < threshold) {
      packets.removeFirst();
    }
    Iterator<Persisted> it = sessions.values().iterator();
    while (it.hasNext()) {
      if (it.next().disconnectedAt < threshold) {
        it.remove();
      }
    }
  }

  static String offsetOf(long seq) {
    return Long.toString(seq, 36);
  }

  static long seqOf(String offset) {
    try {
      return Long.parseLong(offset, 36);
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  private record LoggedPacket(long seq, long emittedAt, ArrayNode data, BroadcastOptions options) {}

  private record Persisted(RecoverySession session, long disconnectedAt) {}
}
