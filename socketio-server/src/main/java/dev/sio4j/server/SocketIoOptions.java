package dev.sio4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.adapter.AdapterFactory;
import dev.sio4j.adapter.InMemoryAdapter;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.server.spi.SocketIoObserver;
import dev.sio4j.socketio.parser.SioDecoder;
import dev.sio4j.socketio.parser.SioParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The options of a Socket.IO server, with the reference's defaults, and the Engine.IO options below
 * it (whose path is this server's {@link #path()}).
 *
 * <p>Thread-safety: immutable.
 */
public final class SocketIoOptions {
  private final String path;
  private final boolean serveClient;
  private final Duration connectTimeout;
  private final AdapterFactory adapter;
  private final boolean cleanupEmptyChildNamespaces;
  private final EngineIoOptions engine;
  private final ObjectMapper mapper;
  private final int maxAttachments;
  private final SioParser explicitParser;
  private final SioParser parser;
  private final Executor handlerExecutor;
  private final RecoveryOptions recovery;
  private final AdapterFactory explicitAdapter;
  private final List<SocketIoObserver> observers;

  private SocketIoOptions(Builder b) {
    this.observers = List.copyOf(b.observers);
    this.explicitAdapter = b.adapter;
    this.path = b.path;
    this.serveClient = b.serveClient;
    this.connectTimeout = b.connectTimeout;
    this.recovery = b.recovery;
    if (b.adapter != null) {
      this.adapter = b.adapter;
    } else if (b.recovery != null) {
      RecoveryOptions r = b.recovery;
      this.adapter =
          host -> new InMemoryAdapter(host, r.maxDisconnectionDuration(), r.maxPackets());
    } else {
      this.adapter = InMemoryAdapter::new;
    }
    this.cleanupEmptyChildNamespaces = b.cleanupEmptyChildNamespaces;
    this.engine = b.engine.toBuilder().path(b.path).build();
    this.mapper = b.mapper;
    this.maxAttachments = b.maxAttachments;
    this.explicitParser = b.parser;
    this.parser = b.parser != null ? b.parser : SioParser.json(b.mapper, b.maxAttachments);
    this.handlerExecutor = b.handlerExecutor;
  }

  public static SocketIoOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.path = path;
    b.serveClient = serveClient;
    b.connectTimeout = connectTimeout;
    b.adapter = explicitAdapter;
    b.cleanupEmptyChildNamespaces = cleanupEmptyChildNamespaces;
    b.engine = engine;
    b.mapper = mapper;
    b.maxAttachments = maxAttachments;
    b.parser = explicitParser;
    b.handlerExecutor = handlerExecutor;
    b.recovery = recovery;
    b.observers.addAll(observers);
    return b;
  }

  /** The path (default {@code /socket.io}); Engine.IO serves {@code <path>/}. */
  public String path() {
    return path;
  }

  /** Serve the official browser client at {@code <path>/socket.io.js} and friends. */
  public boolean serveClient() {
    return serveClient;
  }

  /** A connection that joins no namespace in this time is closed (default 45 s). */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  public AdapterFactory adapter() {
    return adapter;
  }

  public boolean cleanupEmptyChildNamespaces() {
    return cleanupEmptyChildNamespaces;
  }

  public EngineIoOptions engine() {
    return engine;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * The most binary attachments one packet may announce (default 10, as the reference); applies to
   * the default JSON parser.
   */
  public int maxAttachments() {
    return maxAttachments;
  }

  /**
   * The parser of every connection: the one set with {@link Builder#parser}, else the JSON parser
   * made of {@link #mapper()} and {@link #maxAttachments()}.
   */
  public SioParser parser() {
    return parser;
  }

  /** Where event handlers run when they may block; empty: on the socket's event loop. */
  public Optional<Executor> handlerExecutor() {
    return Optional.ofNullable(handlerExecutor);
  }

  /** Connection state recovery, when enabled. */
  public Optional<RecoveryOptions> connectionStateRecovery() {
    return Optional.ofNullable(recovery);
  }

  /** The observers the server reports to (metrics), in registration order. */
  public List<SocketIoObserver> observers() {
    return observers;
  }

  /** Builder of {@link SocketIoOptions}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private String path = "/socket.io";
    private boolean serveClient = true;
    private Duration connectTimeout = Duration.ofSeconds(45);
    private AdapterFactory adapter;
    private RecoveryOptions recovery;
    private boolean cleanupEmptyChildNamespaces;
    private EngineIoOptions engine = EngineIoOptions.defaults();
    private ObjectMapper mapper = new ObjectMapper();
    private int maxAttachments = SioDecoder.DEFAULT_MAX_ATTACHMENTS;
    private SioParser parser;
    private Executor handlerExecutor;
    private final List<SocketIoObserver> observers = new ArrayList<>();

    private Builder() {}

    /**
     * Adds an observer of the server's activity, e.g. {@code SocketIoMetrics.observer()} from
     * {@code socketio-micrometer}; several may be added, each hears everything.
     */
    public Builder observer(SocketIoObserver observer) {
      this.observers.add(Objects.requireNonNull(observer));
      return this;
    }

    public Builder path(String path) {
      Objects.requireNonNull(path);
      String p = path.startsWith("/") ? path : "/" + path;
      this.path = p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
      return this;
    }

    public Builder serveClient(boolean serveClient) {
      this.serveClient = serveClient;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout);
      return this;
    }

    /**
     * Turns on connection state recovery. Unless an adapter is set, namespaces then use an {@link
     * InMemoryAdapter} with a session store; a custom adapter must offer its own {@link
     * dev.sio4j.adapter.Adapter#sessionStore() session store}, or recovery never succeeds (clients
     * get a new session, as with the reference's cluster adapters).
     */
    public Builder connectionStateRecovery(RecoveryOptions recovery) {
      this.recovery = recovery;
      return this;
    }

    /**
     * The adapter of every namespace (default: in memory), for instance a cluster adapter: {@code
     * host -> new MyBusAdapter(host, bus)}.
     */
    public Builder adapter(AdapterFactory adapter) {
      this.adapter = Objects.requireNonNull(adapter);
      return this;
    }

    public Builder cleanupEmptyChildNamespaces(boolean cleanup) {
      this.cleanupEmptyChildNamespaces = cleanup;
      return this;
    }

    /** The Engine.IO options (their path is replaced by this server's path). */
    public Builder engine(EngineIoOptions engine) {
      this.engine = Objects.requireNonNull(engine);
      return this;
    }

    /** The JSON mapper for event arguments. */
    public Builder mapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper);
      return this;
    }

    /** The attachment limit of the default JSON parser (ignored when a parser is set). */
    public Builder maxAttachments(int maxAttachments) {
      this.maxAttachments = maxAttachments;
      return this;
    }

    /**
     * The wire format, e.g. {@code MsgpackParser.create()} from {@code socketio-parser-msgpack};
     * clients must use the same. Default: the JSON parser, made of {@link #mapper} and {@link
     * #maxAttachments}.
     */
    public Builder parser(SioParser parser) {
      this.parser = Objects.requireNonNull(parser);
      return this;
    }

    /**
     * Runs the socket listeners on this executor instead of the event loop, one at a time per
     * socket in arrival order: for handlers that block (JDBC, HTTP calls). A virtual-thread
     * executor fits. Event listeners (catch-all ones and packet middlewares included), error
     * listeners and the {@code disconnecting} and {@code disconnect} listeners share each socket's
     * queue, so the handlers of every event received before a disconnection run, then the
     * disconnect listeners. Those handlers may run after the socket left: their emits and acks are
     * then dropped. Connection middlewares, connection listeners, outgoing catch-all listeners and
     * {@code emitWithAck} completions stay on the event loop. Server-side event listeners (other
     * nodes' {@code serverSideEmit}) run on this executor too, as they arrive.
     */
    public Builder handlerExecutor(Executor executor) {
      this.handlerExecutor = executor;
      return this;
    }

    public SocketIoOptions build() {
      return new SocketIoOptions(this);
    }
  }
}
