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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The in-memory adapter with connection state recovery: keeps the sessions of sockets that
 * disconnected for a recoverable reason, and a log of the event packets broadcast meanwhile, each
 * tagged with an offset appended as its last argument (the reference's wire format).
 *
 * <p>Memory: one log entry per broadcast event (not per recipient): the event's JSON tree (shared
 * with the packet that was sent, so no copy), its targeting and two longs — about 100 bytes plus
 * the arguments. Entries older than {@code maxDisconnectionDuration} are purged, and the log never
 * holds more than {@code maxPackets} entries (oldest dropped first: a client whose offset fell out
 * of the log gets a fresh session, as when it expired). Expired sessions are purged too. Purging
 * happens as a side effect of broadcasts and persists, so no timer thread is needed.
 *
 * <p>Thread-safety: thread-safe. Logging a broadcast, delivering it, and restoring a session (which
 * joins the session's rooms) happen under one lock, so a recovering socket misses no packet between
 * the replay and its return to its rooms.
 */
public class SessionAwareAdapter extends InMemoryAdapter {
  private final long maxDisconnectionMillis;
  private final int maxPackets;
  private final LongSupplier clock;
  private final Object lock = new Object();
  private final Map<String, Persisted> sessions = new HashMap<>();
  private final ArrayDeque<LoggedPacket> packets = new ArrayDeque<>();
  private long nextSeq;

  public SessionAwareAdapter(AdapterHost nsp, Duration maxDisconnectionDuration, int maxPackets) {
    this(nsp, maxDisconnectionDuration, maxPackets, System::currentTimeMillis);
  }

  SessionAwareAdapter(
      AdapterHost nsp, Duration maxDisconnectionDuration, int maxPackets, LongSupplier clock) {
    super(nsp);
    this.maxDisconnectionMillis = maxDisconnectionDuration.toMillis();
    this.maxPackets = maxPackets;
    this.clock = clock;
    this.nextSeq = clock.getAsLong() * 1000;
  }

  @Override
  public void broadcast(SioPacket packet, BroadcastOptions options) {
    boolean persist =
        packet.type() == SioPacketType.EVENT
            && !packet.hasAckId()
            && !options.flags().isVolatile()
            && packet.data().isPresent();
    if (!persist) {
      super.broadcast(packet, options);
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
      SioPacket withOffset = SioPacket.event(packet.namespace(), data);
      packets.add(new LoggedPacket(seq, now, data, options));
      while (packets.size() > maxPackets) {
        packets.removeFirst();
      }
      super.broadcast(withOffset, options);
    }
  }

  @Override
  public void persistSession(RecoverySession session) {
    synchronized (lock) {
      long now = clock.getAsLong();
      purge(now);
      sessions.put(session.pid(), new Persisted(session, now));
    }
  }

  @Override
  public CompletableFuture<Optional<RecoverySession>> restoreSession(String pid, String offset) {
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
        } else if (found && shouldInclude(persisted.session.rooms(), p.options)) {
          missed.add(p.data);
        }
      }
      if (!found) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      RecoverySession s = persisted.session;
      // Back in its rooms before the lock is released: the next broadcast reaches it directly.
      addAll(s.sid(), s.rooms());
      return CompletableFuture.completedFuture(
          Optional.of(new RecoverySession(s.sid(), s.pid(), s.rooms(), s.data(), missed)));
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

  private static boolean shouldInclude(Set<String> sessionRooms, BroadcastOptions options) {
    boolean included = options.rooms().isEmpty();
    if (!included) {
      for (String room : sessionRooms) {
        if (options.rooms().contains(room)) {
          included = true;
          break;
        }
      }
    }
    if (!included) {
      return false;
    }
    for (String room : sessionRooms) {
      if (options.except().contains(room)) {
        return false;
      }
    }
    return true;
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

  private static final class LoggedPacket {
    final long seq;
    final long emittedAt;
    final ArrayNode data;
    final BroadcastOptions options;

    LoggedPacket(long seq, long emittedAt, ArrayNode data, BroadcastOptions options) {
      this.seq = seq;
      this.emittedAt = emittedAt;
      this.data = data;
      this.options = options;
    }
  }

  private static final class Persisted {
    final RecoverySession session;
    final long disconnectedAt;

    Persisted(RecoverySession session, long disconnectedAt) {
      this.session = session;
      this.disconnectedAt = disconnectedAt;
    }
  }
}
