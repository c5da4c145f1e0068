package dev.sio4j.adapter;

import dev.sio4j.adapter.ClusterMessage.AdapterClose;
import dev.sio4j.adapter.ClusterMessage.Heartbeat;
import dev.sio4j.adapter.ClusterMessage.InitialHeartbeat;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClusterAdapter} that knows the other nodes from their messages (the reference's {@code
 * ClusterAdapterWithHeartbeat}, what the Redis Streams and Postgres adapters use): a subclass
 * implements only {@link #publish} and {@link #publishResponse}.
 *
 * <ul>
 *   <li>{@link #init()} publishes {@code INITIAL_HEARTBEAT}; every node answers {@code HEARTBEAT};
 *   <li>a node publishes {@code HEARTBEAT} when it published nothing for {@code heartbeatInterval}
 *       (5 s by default);
 *   <li>a node not heard from for {@code heartbeatTimeout} (10 s by default) is considered gone, as
 *       is one that publishes {@code ADAPTER_CLOSE} ({@link #close()});
 *   <li>{@link #serverCount()} is 1 plus the nodes alive;
 *   <li>requests wait for the nodes alive when they started, by id: one that goes away meanwhile no
 *       longer counts (the request completes with what it has when it was the last one missing); at
 *       the timeout they fail with {@code timeout reached: missing N responses}.
 * </ul>
 *
 * <p>Unlike the reference, which counts a sender before looking at its namespace, a node counts for
 * a namespace only once it sent a message for that namespace: a node where the namespace does not
 * exist would never answer its requests.
 *
 * <p>Thread-safety: thread-safe; timers run on the server's timer thread.
 */
public abstract class ClusterAdapterWithHeartbeat extends ClusterAdapter {
  /** The reference's default heartbeat interval, 5 seconds. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  /** The reference's default heartbeat timeout, 10 seconds. */
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ClusterAdapterWithHeartbeat.class);
  private static final long MAX_CLEANUP_PERIOD_MILLIS = 1000;

  private final long intervalNanos;
  private final long timeoutNanos;
  private final Map<String, Long> nodes = new ConcurrentHashMap<>();
  private final Object timerLock = new Object();
  private volatile long lastPublish = System.nanoTime();
  private ScheduledFuture<?> heartbeatTimer;
  private ScheduledFuture<?> cleanupTimer;
  private boolean closed;

  /** With the reference's defaults: requests 5 s, heartbeat every 5 s, node gone after 10 s. */
  protected ClusterAdapterWithHeartbeat(AdapterHost host) {
    this(host, DEFAULT_REQUESTS_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_TIMEOUT);
  }

  protected ClusterAdapterWithHeartbeat(
      AdapterHost host,
      Duration requestsTimeout,
      Duration heartbeatInterval,
      Duration heartbeatTimeout) {
    super(host, requestsTimeout);
    this.intervalNanos = positive(heartbeatInterval, "heartbeatInterval").toNanos();
    this.timeoutNanos = positive(heartbeatTimeout, "heartbeatTimeout").toNanos();
  }

  private static Duration positive(Duration d, String name) {
    if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  /** Announces this node and starts the heartbeat and the check for nodes gone silent. */
  @Override
  public void init() {
    super.init();
    send(new InitialHeartbeat(uid(), host().name()));
    long cleanupMillis = Math.max(1, Math.min(MAX_CLEANUP_PERIOD_MILLIS, timeoutNanos / 2_000_000));
    synchronized (timerLock) {
      if (closed) {
        return;
      }
      try {
        scheduleHeartbeat(intervalNanos);
        cleanupTimer =
            host()
                .scheduler()
                .scheduleWithFixedDelay(
                    this::removeSilentNodes, cleanupMillis, cleanupMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("[{}] scheduler stopped, no heartbeat", uid());
      }
    }
  }

  /** Tells the other nodes this one is gone, stops the timers, fails pending requests. */
  @Override
  public CompletableFuture<Void> close() {
    synchronized (timerLock) {
      if (!closed) {
        closed = true;
        if (heartbeatTimer != null) {
          heartbeatTimer.cancel(false);
        }
        if (cleanupTimer != null) {
          cleanupTimer.cancel(false);
        }
        send(new AdapterClose(uid(), host().name()));
      }
    }
    return super.close();
  }

  @Override
  void receive(ClusterMessage message, Optional<String> offset) {
    if (message.uid().equals(uid()) || !message.nsp().equals(host().name())) {
      return;
    }
    if (!message.uid().equals(ClusterMessage.EMITTER_UID)) {
      nodes.put(message.uid(), System.nanoTime());
    }
    switch (message.type()) {
      case INITIAL_HEARTBEAT -> send(new Heartbeat(uid(), host().name()));
      case HEARTBEAT -> {}
      case ADAPTER_CLOSE -> removeNode(message.uid());
      default -> handle(message, offset);
    }
  }

  /** 1 plus the other nodes heard from within the heartbeat timeout. */
  @Override
  public CompletableFuture<Integer> serverCount() {
    return CompletableFuture.completedFuture(1 + nodes.size());
  }

  /** The ids of the other nodes alive, as this node knows them. */
  protected final Set<String> nodes() {
    return Set.copyOf(nodes.keySet());
  }

  @Override
  CompletableFuture<Responders> expectedResponders() {
    return CompletableFuture.completedFuture(Responders.of(Set.copyOf(nodes.keySet())));
  }

  @Override
  void beforePublish() {
    lastPublish = System.nanoTime();
  }

  /** Publishes a heartbeat when nothing else was published for an interval. */
  private void heartbeat() {
    long idle = System.nanoTime() - lastPublish;
    if (idle >= intervalNanos) {
      send(new Heartbeat(uid(), host().name()));
      idle = 0;
    }
    synchronized (timerLock) {
      if (!closed) {
        try {
          scheduleHeartbeat(intervalNanos - idle);
        } catch (RejectedExecutionException e) {
          log.debug("[{}] scheduler stopped, heartbeat ends", uid());
        }
      }
    }
  }

  private void scheduleHeartbeat(long delayNanos) {
    heartbeatTimer =
        host().scheduler().schedule(this::heartbeat, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
  }

  private void removeSilentNodes() {
    long now = System.nanoTime();
    for (Map.Entry<String, Long> e : nodes.entrySet()) {
      if (now - e.getValue() > timeoutNanos) {
        log.debug("[{}] node {} seems down", uid(), e.getKey());
        removeNode(e.getKey());
      }
    }
  }

  private void removeNode(String nodeUid) {
    nodes.remove(nodeUid);
    nodeGone(nodeUid);
  }
}
