package dev.sio4j.micrometer;

import dev.sio4j.adapter.MessageType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.server.DisconnectReason;
import dev.sio4j.server.spi.SocketIoObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Turns the server's observer calls into meters. Per-namespace meters live in one {@link
 * NamespaceMeters} made at the namespace's first report, so that a report costs a map lookup and a
 * counter increment.
 *
 * <p>Thread-safety: thread-safe (concurrent maps, Micrometer's thread-safe meters, atomic gauges).
 */
final class MetricsObserver implements SocketIoObserver {
  static final String CONNECTIONS = "socketio.engine.connections";
  static final String UPGRADES = "socketio.engine.upgrades";
  static final String SOCKETS = "socketio.sockets.connected";
  static final String CONNECT_ERRORS = "socketio.connect.errors";
  static final String DISCONNECTS = "socketio.disconnects";
  static final String EVENTS_RECEIVED = "socketio.events.received";
  static final String EVENTS_SENT = "socketio.events.sent";
  static final String BYTES_RECEIVED = "socketio.events.received.bytes";
  static final String BYTES_SENT = "socketio.events.sent.bytes";
  static final String BROADCAST_DELIVERIES = "socketio.broadcast.deliveries";
  static final String ACKS_PENDING = "socketio.acks.pending";
  static final String ACK_TIMEOUTS = "socketio.acks.timeouts";
  static final String RECOVERY_ATTEMPTS = "socketio.recovery.attempts";
  static final String RECOVERY_SUCCESSES = "socketio.recovery.successes";
  static final String CLUSTER_REQUESTS = "socketio.cluster.requests";
  static final String CLUSTER_TIMEOUTS = "socketio.cluster.requests.timeouts";

  /** The {@code namespace} tag of a connect error for a namespace that does not exist. */
  static final String UNKNOWN_NAMESPACE = "unknown";

  private final MeterRegistry registry;
  private final Tags tags;
  private final boolean eventNameTag;
  private final UnaryOperator<String> namespaceTag;
  private final Map<String, NamespaceMeters> byName = new ConcurrentHashMap<>();
  private final Map<String, NamespaceMeters> byTag = new ConcurrentHashMap<>();
  private final Map<TransportType, AtomicLong> connections = new EnumMap<>(TransportType.class);
  private final Counter upgrades;
  private final Counter invalidNamespace;

  MetricsObserver(
      MeterRegistry registry, Tags tags, boolean eventNameTag, UnaryOperator<String> namespaceTag) {
    this.registry = registry;
    this.tags = tags;
    this.eventNameTag = eventNameTag;
    this.namespaceTag = namespaceTag;
    for (TransportType t : TransportType.values()) {
      AtomicLong open = new AtomicLong();
      connections.put(t, open);
      Gauge.builder(CONNECTIONS, open, AtomicLong::get)
          .description("Engine.IO connections open, by current transport")
          .baseUnit(BaseUnits.CONNECTIONS)
          .tags(tags)
          .tag("transport", t.wireName())
          .strongReference(true)
          .register(registry);
    }
    this.upgrades =
        Counter.builder(UPGRADES)
            .description("Engine.IO connections upgraded from polling to WebSocket")
            .tags(tags)
            .tag("transport", TransportType.WEBSOCKET.wireName())
            .register(registry);
    this.invalidNamespace = connectErrors(UNKNOWN_NAMESPACE, "invalid namespace");
  }

  private Counter connectErrors(String namespace, String reason) {
    return Counter.builder(CONNECT_ERRORS)
        .description("CONNECT packets answered with CONNECT_ERROR")
        .tags(tags)
        .tag("namespace", namespace)
        .tag("reason", reason)
        .register(registry);
  }

  private NamespaceMeters meters(String namespace) {
    NamespaceMeters m = byName.get(namespace);
    return m != null ? m : byName.computeIfAbsent(namespace, this::create);
  }

  private NamespaceMeters create(String namespace) {
    String tag = namespaceTag.apply(namespace);
    return byTag.computeIfAbsent(tag, t -> new NamespaceMeters(t));
  }

  // ---- engine ---------------------------------------------------------------------------------

  @Override
  public void connectionOpened(TransportType transport) {
    connections.get(transport).incrementAndGet();
  }

  @Override
  public void connectionUpgraded(TransportType from, TransportType to) {
    connections.get(from).decrementAndGet();
    connections.get(to).incrementAndGet();
    upgrades.increment();
  }

  @Override
  public void connectionClosed(TransportType transport, CloseReason reason) {
    connections.get(transport).decrementAndGet();
  }

  // ---- sockets --------------------------------------------------------------------------------

  @Override
  public void socketConnected(String namespace) {
    meters(namespace).sockets.incrementAndGet();
  }

  @Override
  public void socketDisconnected(String namespace, DisconnectReason reason) {
    NamespaceMeters m = meters(namespace);
    m.sockets.decrementAndGet();
    m.disconnects[reason.ordinal()].increment();
  }

  @Override
  public void connectRefused(String namespace, boolean knownNamespace) {
    if (knownNamespace) {
      meters(namespace).middlewareErrors.increment();
    } else {
      invalidNamespace.increment();
    }
  }

  @Override
  public void recoveryAttempted(String namespace) {
    meters(namespace).recoveryAttempts.increment();
  }

  @Override
  public void recoverySucceeded(String namespace) {
    meters(namespace).recoverySuccesses.increment();
  }

  // ---- events ---------------------------------------------------------------------------------

  @Override
  public void eventReceived(String namespace, String event, int bytes) {
    meters(namespace).forEvent(event).received(bytes);
  }

  @Override
  public void eventSent(String namespace, String event, int bytes, boolean broadcast) {
    NamespaceMeters m = meters(namespace);
    m.forEvent(event).sent(bytes);
    if (broadcast) {
      m.broadcastDeliveries.increment();
    }
  }

  // ---- acks -----------------------------------------------------------------------------------

  @Override
  public void ackRequested(String namespace) {
    meters(namespace).acksPending.incrementAndGet();
  }

  @Override
  public void ackAnswered(String namespace) {
    meters(namespace).acksPending.decrementAndGet();
  }

  @Override
  public void ackTimedOut(String namespace) {
    NamespaceMeters m = meters(namespace);
    m.acksPending.decrementAndGet();
    m.ackTimeouts.increment();
  }

  @Override
  public void acksAbandoned(String namespace, int count) {
    if (count > 0) {
      meters(namespace).acksPending.addAndGet(-count);
    }
  }

  // ---- cluster --------------------------------------------------------------------------------

  @Override
  public void clusterRequestSent(String namespace, MessageType type) {
    meters(namespace).cluster(type)[0].increment();
  }

  @Override
  public void clusterRequestTimedOut(String namespace, MessageType type) {
    meters(namespace).cluster(type)[1].increment();
  }

  /** The meters of one {@code namespace} tag value. */
  private final class NamespaceMeters {
    final String tag;
    final AtomicLong sockets = new AtomicLong();
    final AtomicLong acksPending = new AtomicLong();
    final Counter[] disconnects = new Counter[DisconnectReason.values().length];
    final Counter middlewareErrors;
    final Counter recoveryAttempts;
    final Counter recoverySuccesses;
    final Counter broadcastDeliveries;
    final Counter ackTimeouts;
    final EventMeters all;
    final Map<String, EventMeters> byEvent = new ConcurrentHashMap<>();
    final Map<MessageType, Counter[]> cluster = new ConcurrentHashMap<>();

    NamespaceMeters(String tag) {
      this.tag = tag;
      Tags ns = tags.and("namespace", tag);
      Gauge.builder(SOCKETS, sockets, AtomicLong::get)
          .description("Sockets connected to the namespace")
          .tags(ns)
          .strongReference(true)
          .register(registry);
      Gauge.builder(ACKS_PENDING, acksPending, AtomicLong::get)
          .description("Acknowledgements the server waits for from clients")
          .tags(ns)
          .strongReference(true)
          .register(registry);
      for (DisconnectReason r : DisconnectReason.values()) {
        disconnects[r.ordinal()] =
            Counter.builder(DISCONNECTS)
                .description("Sockets that left the namespace, by reason")
                .tags(ns)
                .tag("reason", r.text())
                .register(registry);
      }
      middlewareErrors = connectErrors(tag, "middleware");
      recoveryAttempts =
          Counter.builder(RECOVERY_ATTEMPTS)
              .description("Clients that asked to recover their session")
              .tags(ns)
              .register(registry);
      recoverySuccesses =
          Counter.builder(RECOVERY_SUCCESSES)
              .description("Sessions recovered")
              .tags(ns)
              .register(registry);
      broadcastDeliveries =
          Counter.builder(BROADCAST_DELIVERIES)
              .description("Sockets reached by broadcasts")
              .tags(ns)
              .register(registry);
      ackTimeouts =
          Counter.builder(ACK_TIMEOUTS)
              .description("Acknowledgements not answered in time")
              .tags(ns)
              .register(registry);
      all = eventNameTag ? null : new EventMeters(ns);
    }

    /** The meters counting {@code event}: its own with the event-name tag, else the namespace's. */
    EventMeters forEvent(String event) {
      if (all != null) {
        return all;
      }
      EventMeters m = byEvent.get(event);
      return m != null
          ? m
          : byEvent.computeIfAbsent(
              event, e -> new EventMeters(tags.and("namespace", tag, "event", e)));
    }

    Counter[] cluster(MessageType type) {
      Counter[] c = cluster.get(type);
      return c != null
          ? c
          : cluster.computeIfAbsent(
              type,
              t -> {
                Tags ct = tags.and("namespace", tag, "type", t.name().toLowerCase(Locale.ROOT));
                return new Counter[] {
                  Counter.builder(CLUSTER_REQUESTS)
                      .description("Requests sent to the other nodes of the cluster")
                      .tags(ct)
                      .register(registry),
                  Counter.builder(CLUSTER_TIMEOUTS)
                      .description("Cluster requests not answered by every node in time")
                      .tags(ct)
                      .register(registry)
                };
              });
    }
  }

  /** The event and byte counters of one tag set. */
  private final class EventMeters {
    final Counter received;
    final Counter sent;
    final Counter bytesReceived;
    final Counter bytesSent;

    EventMeters(Tags t) {
      received =
          Counter.builder(EVENTS_RECEIVED)
              .description("Events received from clients")
              .tags(t)
              .register(registry);
      sent =
          Counter.builder(EVENTS_SENT)
              .description("Events written to sockets (one per socket a broadcast reaches)")
              .tags(t)
              .register(registry);
      bytesReceived =
          Counter.builder(BYTES_RECEIVED)
              .description("Size of the events received, as encoded by the parser")
              .baseUnit(BaseUnits.BYTES)
              .tags(t)
              .register(registry);
      bytesSent =
          Counter.builder(BYTES_SENT)
              .description("Size of the events sent, as encoded by the parser")
              .baseUnit(BaseUnits.BYTES)
              .tags(t)
              .register(registry);
    }

    void received(int bytes) {
      received.increment();
      bytesReceived.increment(bytes);
    }

    void sent(int bytes) {
      sent.increment();
      bytesSent.increment(bytes);
    }
  }
}
