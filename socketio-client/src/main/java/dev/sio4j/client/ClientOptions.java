package dev.sio4j.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.engineio.client.EngineIoClientOptions;
import dev.sio4j.socketio.parser.SioDecoder;
import dev.sio4j.socketio.parser.SioParser;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Optional;

/**
 * Immutable configuration of a {@link SocketIoClient}, made by {@link SocketIoClient.Builder}.
 * Defaults are the reference client's (REFERENCE §3.2): reconnection on, unlimited attempts, delay
 * 1 s doubling up to 5 s with randomization factor 0.5, open timeout 20 s, auto-connect, path
 * {@code /socket.io/}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ClientOptions {
  private final EngineIoClientOptions engine;
  private final EventLoopGroup eventLoopGroup;
  private final boolean reconnection;
  private final int reconnectionAttempts;
  private final Duration reconnectionDelay;
  private final Duration reconnectionDelayMax;
  private final double randomizationFactor;
  private final Duration timeout;
  private final boolean autoConnect;
  private final ObjectMapper mapper;
  private final SioParser parser;
  private final boolean multiplex;
  private final boolean forceNew;

  ClientOptions(SocketIoClient.Builder b, EngineIoClientOptions engine) {
    this.engine = engine;
    this.eventLoopGroup = b.eventLoopGroup;
    this.reconnection = b.reconnection;
    this.reconnectionAttempts = b.reconnectionAttempts;
    this.reconnectionDelay = b.reconnectionDelay;
    this.reconnectionDelayMax = b.reconnectionDelayMax;
    this.randomizationFactor = b.randomizationFactor;
    this.timeout = b.timeout;
    this.autoConnect = b.autoConnect;
    this.mapper = b.mapper;
    this.parser =
        b.parser != null ? b.parser : SioParser.json(b.mapper, SioDecoder.DEFAULT_MAX_ATTACHMENTS);
    this.multiplex = b.multiplex;
    this.forceNew = b.forceNew;
  }

  /** Whether {@link SocketIo#socket} may share a cached client between namespaces. */
  public boolean multiplex() {
    return multiplex;
  }

  /** Whether {@link SocketIo#socket} always creates a new client. */
  public boolean forceNew() {
    return forceNew;
  }

  /** The Engine.IO options (URI, path, transports, query, headers, TLS...). */
  public EngineIoClientOptions engine() {
    return engine;
  }

  /** The shared event loop group, if one was given. */
  public Optional<EventLoopGroup> eventLoopGroup() {
    return Optional.ofNullable(eventLoopGroup);
  }

  public boolean reconnection() {
    return reconnection;
  }

  /** Attempts before giving up; {@link Integer#MAX_VALUE} means no limit. */
  public int reconnectionAttempts() {
    return reconnectionAttempts;
  }

  public Duration reconnectionDelay() {
    return reconnectionDelay;
  }

  public Duration reconnectionDelayMax() {
    return reconnectionDelayMax;
  }

  public double randomizationFactor() {
    return randomizationFactor;
  }

  /** Bound on opening the Engine.IO connection; empty when disabled. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public boolean autoConnect() {
    return autoConnect;
  }

  /** The mapper converting emitted values to JSON and received JSON to values. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** The parser: the one set on the builder, else the JSON parser with {@link #mapper()}. */
  public SioParser parser() {
    return parser;
  }
}
