package dev.sio4j.cluster;

import dev.sio4j.adapter.AdapterFactory;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.adapter.ClusterAdapter;
import dev.sio4j.adapter.ClusterAdapterWithHeartbeat;
import dev.sio4j.adapter.ClusterMessage;
import dev.sio4j.adapter.ClusterResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A message bus inside the JVM for cluster tests: every published message goes, through one bus
 * thread (so in publish order, as a real bus delivers one publisher's messages), to every adapter
 * subscribed, the publisher and other namespaces' adapters included (they must ignore them);
 * replies go to the adapters of the requesting server only. Like a pub/sub channel, {@link
 * #subscribers(String)} counts the servers that have the namespace.
 *
 * <p>A node can be made deaf ({@link #deafen(String)}): it receives nothing any more, so it never
 * answers, while it still publishes (its heartbeats too) — a node that stops answering.
 *
 * <p>Thread-safety: thread-safe.
 */
final class InProcessBus implements AutoCloseable {
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "in-process-bus");
            t.setDaemon(true);
            return t;
          });
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private final Set<String> deaf = ConcurrentHashMap.newKeySet();

  /** Every message published, in order, for assertions on what went over the wire. */
  final List<ClusterMessage> published = new CopyOnWriteArrayList<>();

  /** Adapters over this bus, with the requests timeout given. */
  AdapterFactory adapters(Duration requestsTimeout) {
    return host -> new BusAdapter(host, requestsTimeout);
  }

  /** Heartbeat adapters over this bus. */
  AdapterFactory heartbeatAdapters(Duration requestsTimeout, Duration interval, Duration timeout) {
    return host -> new HeartbeatBusAdapter(host, requestsTimeout, interval, timeout);
  }

  /** The node with this server id receives nothing from now on. */
  void deafen(String serverId) {
    deaf.add(serverId);
  }

  /** How many servers have an adapter for the namespace (a channel's subscriber count). */
  int subscribers(String nsp) {
    Set<String> uids = ConcurrentHashMap.newKeySet();
    for (Member m : members) {
      if (m.namespace().equals(nsp)) {
        uids.add(m.serverId());
      }
    }
    return uids.size();
  }

  /**
   * Waits until every message published so far has been handed to its receivers (whose local work
   * is then queued on their sockets' event loops, ahead of anything sent later).
   */
  void drain() {
    CompletableFuture.runAsync(() -> {}, thread).orTimeout(10, TimeUnit.SECONDS).join();
  }

  private CompletionStage<Void> publish(ClusterMessage message) {
    published.add(message);
    return hop(
        () -> {
          for (Member m : members) {
            if (!deaf.contains(m.serverId())) {
              m.receive(message);
            }
          }
        });
  }

  private CompletionStage<Void> publishResponse(String to, ClusterResponse response) {
    return hop(
        () -> {
          for (Member m : members) {
            if (m.serverId().equals(to) && !deaf.contains(to)) {
              m.receive(response);
            }
          }
        });
  }

  private CompletionStage<Void> hop(Runnable delivery) {
    try {
      return CompletableFuture.runAsync(delivery, thread);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Member {
    String serverId();

    String namespace();

    void receive(ClusterMessage message);
  }

  /** A {@link ClusterAdapter} whose bus is this one; the server count is the subscriber count. */
  private final class BusAdapter extends ClusterAdapter implements Member {
    private final AdapterHost host;

    BusAdapter(AdapterHost host, Duration requestsTimeout) {
      super(host, requestsTimeout);
      this.host = host;
    }

    @Override
    public void init() {
      super.init();
      members.add(this);
    }

    @Override
    public CompletableFuture<Void> close() {
      members.remove(this);
      return super.close();
    }

    @Override
    protected CompletionStage<Void> publish(ClusterMessage message) {
      return InProcessBus.this.publish(message);
    }

    @Override
    protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse r) {
      return InProcessBus.this.publishResponse(requesterUid, r);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
      return CompletableFuture.completedFuture(subscribers(host.name()));
    }

    @Override
    public String serverId() {
      return host.serverId();
    }

    @Override
    public String namespace() {
      return host.name();
    }

    @Override
    public void receive(ClusterMessage message) {
      onMessage(message);
    }
  }

  /** A {@link ClusterAdapterWithHeartbeat} over this bus: only publish and publishResponse. */
  private final class HeartbeatBusAdapter extends ClusterAdapterWithHeartbeat implements Member {
    private final AdapterHost host;

    HeartbeatBusAdapter(
        AdapterHost host, Duration requestsTimeout, Duration interval, Duration timeout) {
      super(host, requestsTimeout, interval, timeout);
      this.host = host;
    }

    @Override
    public void init() {
      // Subscribed before the initial heartbeat goes out, so the answers reach it.
      members.add(this);
      super.init();
    }

    @Override
    public CompletableFuture<Void> close() {
      CompletableFuture<Void> closed = super.close();
      members.remove(this);
      return closed;
    }

    @Override
    protected CompletionStage<Void> publish(ClusterMessage message) {
      return InProcessBus.this.publish(message);
    }

    @Override
    protected CompletionStage<Void> publishResponse(String requesterUid, ClusterResponse r) {
      return InProcessBus.this.publishResponse(requesterUid, r);
    }

    @Override
    public String serverId() {
      return host.serverId();
    }

    @Override
    public String namespace() {
      return host.name();
    }

    @Override
    public void receive(ClusterMessage message) {
      onMessage(message);
    }
  }
}
