package dev.sio4j.micrometer;

import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.server.spi.SocketIoObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The Micrometer meters of one sio4j server (the list is in the {@linkplain dev.sio4j.micrometer
 * package documentation}).
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder().port(3000).build();
 * SocketIoMetrics.bind(io, registry);            // before io.start()
 *
 * // or with options: common tags, the event name as a tag, bounded namespace tags
 * SocketIoMetrics metrics =
 *     SocketIoMetrics.builder(registry)
 *         .tags(Tags.of("app", "chat"))
 *         .namespaceTag(name -> name.startsWith("/room-") ? "/room-*" : name)
 *         .build();
 * SocketIoOptions options = SocketIoOptions.builder().observer(metrics.observer()).build();
 * }</pre>
 *
 * <p>The meters are fed by the server's {@link SocketIoObserver} hooks as things happen: the gauges
 * count from the moment the observer is registered, which is why it must be before the server
 * starts. Counters are made once per namespace (and per event name when that tag is on) and kept,
 * so the hot path does one map lookup and a counter increment, never a registry lookup.
 *
 * <p>Thread-safety: thread-safe; the observer may be called from every event loop at once.
 */
public final class SocketIoMetrics {
  private final MetricsObserver observer;

  private SocketIoMetrics(Builder b) {
    this.observer = new MetricsObserver(b.registry, b.tags, b.eventNameTag, b.namespaceTag);
  }

  /**
   * Meters with default options for {@code server} in {@code registry}: the one call an application
   * or an auto-configuration needs. Call it before {@link SocketIoServer#start()}.
   *
   * @throws IllegalStateException if the server was already started
   */
  public static SocketIoMetrics bind(SocketIoServer server, MeterRegistry registry) {
    return builder(registry).build().bindTo(server);
  }

  /** Meters in {@code registry}, with the options of the builder. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /**
   * The observer to register with {@link SocketIoOptions.Builder#observer} (or {@link
   * SocketIoServer#addObserver}); one server per instance, or the gauges add up several servers.
   */
  public SocketIoObserver observer() {
    return observer;
  }

  /**
   * Registers {@link #observer()} with {@code server}, before it starts.
   *
   * @throws IllegalStateException if the server was already started
   */
  public SocketIoMetrics bindTo(SocketIoServer server) {
    server.addObserver(observer);
    return this;
  }

  /** Builder of {@link SocketIoMetrics}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private Tags tags = Tags.empty();
    private boolean eventNameTag;
    private UnaryOperator<String> namespaceTag = UnaryOperator.identity();

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Tags added to every meter (e.g. the application's name). */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(tags);
      return this;
    }

    /** Tags added to every meter, as key-value pairs. */
    public Builder tags(String... keyValues) {
      this.tags = this.tags.and(keyValues);
      return this;
    }

    /**
     * Adds an {@code event} tag (the event's name) to the event counters. Off by default: event
     * names come from clients and applications, and each one makes new time series; turn it on only
     * for a server whose events are a small fixed set.
     */
    public Builder eventNameTag(boolean on) {
      this.eventNameTag = on;
      return this;
    }

    /**
     * Maps a namespace's name to the value of its {@code namespace} tag, computed once per name: to
     * bound the tags of dynamic namespaces ({@code /room-17}, {@code /room-18}... to {@code
     * /room-*}). Names mapped to one value share their meters. Default: the name itself.
     */
    public Builder namespaceTag(UnaryOperator<String> mapping) {
      this.namespaceTag = Objects.requireNonNull(mapping, "mapping");
      return this;
    }

    public SocketIoMetrics build() {
      return new SocketIoMetrics(this);
    }
  }
}
