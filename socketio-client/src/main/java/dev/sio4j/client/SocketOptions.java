package dev.sio4j.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Immutable per-namespace options of a {@link ClientSocket}, built with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code auth}: the CONNECT payload, a value (any object the mapper turns into a JSON object)
 *       or a {@link Supplier} called on the event thread before every (re)connection, so a token
 *       can be refreshed. It must not block.
 *   <li>{@code authAsync}: a {@link Supplier} of a {@link CompletionStage} of the CONNECT payload,
 *       called on the event thread before every (re)connection; the CONNECT goes out once the stage
 *       completes (on any thread). A stage that fails, or is not complete after {@code authTimeout}
 *       (default 10 s), fails this connection attempt with a {@code connect_error}; a result that
 *       arrives later is ignored. The socket stays active: it tries again on the next reconnection,
 *       or at once on {@link ClientSocket#connect()}.
 *   <li>{@code ackTimeout}: default timeout for acknowledgements when {@code timeout()} is not
 *       used.
 *   <li>{@code retries}: if above 0, non-volatile emits go through a queue, one at a time, each
 *       expecting an ack from the server and re-sent up to {@code retries} more times when the ack
 *       times out (at-least-once delivery).
 *   <li>{@code sendBufferSize} (default 1000) and {@code sendBufferOverflow} (default {@link
 *       BufferOverflow#DROP_NEWEST}): bound of the buffer holding emits made while disconnected.
 *       The reference client's buffer is unbounded.
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class SocketOptions {
  private static final SocketOptions DEFAULTS = builder().build();

  private final Object auth;
  private final Supplier<?> authSupplier;
  private final Supplier<? extends CompletionStage<?>> authAsync;
  private final Duration authTimeout;
  private final Duration ackTimeout;
  private final int retries;
  private final int sendBufferSize;
  private final BufferOverflow sendBufferOverflow;

  private SocketOptions(Builder b) {
    this.auth = b.auth;
    this.authSupplier = b.authSupplier;
    this.authAsync = b.authAsync;
    this.authTimeout = b.authTimeout;
    this.ackTimeout = b.ackTimeout;
    this.retries = b.retries;
    this.sendBufferSize = b.sendBufferSize;
    this.sendBufferOverflow = b.sendBufferOverflow;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static SocketOptions defaults() {
    return DEFAULTS;
  }

  /** A static auth value, if one was set. */
  public Optional<Object> auth() {
    return Optional.ofNullable(auth);
  }

  /** The auth supplier, if one was set. */
  public Optional<Supplier<?>> authSupplier() {
    return Optional.ofNullable(authSupplier);
  }

  /** The asynchronous auth supplier, if one was set. */
  public Optional<Supplier<? extends CompletionStage<?>>> authAsync() {
    return Optional.ofNullable(authAsync);
  }

  /** How long the CONNECT waits for the stage of {@link #authAsync()} (default 10 s). */
  public Duration authTimeout() {
    return authTimeout;
  }

  public Optional<Duration> ackTimeout() {
    return Optional.ofNullable(ackTimeout);
  }

  public int retries() {
    return retries;
  }

  public int sendBufferSize() {
    return sendBufferSize;
  }

  public BufferOverflow sendBufferOverflow() {
    return sendBufferOverflow;
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.auth = auth;
    b.authSupplier = authSupplier;
    b.authAsync = authAsync;
    b.authTimeout = authTimeout;
    b.ackTimeout = ackTimeout;
    b.retries = retries;
    b.sendBufferSize = sendBufferSize;
    b.sendBufferOverflow = sendBufferOverflow;
    return b;
  }

  /**
   * Builds {@link SocketOptions}.
   *
   * <p>Thread-safety: not thread-safe.
   */
  public static final class Builder {
    private Object auth;
    private Supplier<?> authSupplier;
    private Supplier<? extends CompletionStage<?>> authAsync;
    private Duration authTimeout = Duration.ofSeconds(10);
    private Duration ackTimeout;
    private int retries;
    private int sendBufferSize = 1000;
    private BufferOverflow sendBufferOverflow = BufferOverflow.DROP_NEWEST;

    private Builder() {}

    /** A fixed auth payload (a Map, a record, a JsonNode object...). */
    public Builder auth(Object auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      this.authSupplier = null;
      this.authAsync = null;
      return this;
    }

    /** An auth payload computed before every (re)connection, on the event thread. */
    public Builder auth(Supplier<?> supplier) {
      this.authSupplier = Objects.requireNonNull(supplier, "supplier");
      this.auth = null;
      this.authAsync = null;
      return this;
    }

    /**
     * An auth payload fetched asynchronously before every (re)connection (e.g. a token from an
     * identity provider): the supplier is called on the event thread and must not block; the
     * CONNECT is sent when its stage completes. Replaces {@link #auth(Object)} and {@link
     * #auth(Supplier)}.
     */
    public Builder authAsync(Supplier<? extends CompletionStage<?>> supplier) {
      this.authAsync = Objects.requireNonNull(supplier, "supplier");
      this.auth = null;
      this.authSupplier = null;
      return this;
    }

    /** Bound on the wait for the stage of {@link #authAsync(Supplier)}; default 10 s. */
    public Builder authTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("authTimeout must be positive");
      }
      this.authTimeout = timeout;
      return this;
    }

    public Builder ackTimeout(Duration ackTimeout) {
      if (ackTimeout.isNegative()) {
        throw new IllegalArgumentException("ackTimeout must not be negative");
      }
      this.ackTimeout = ackTimeout;
      return this;
    }

    public Builder retries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0");
      }
      this.retries = retries;
      return this;
    }

    public Builder sendBufferSize(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("sendBufferSize must be >= 0");
      }
      this.sendBufferSize = size;
      return this;
    }

    public Builder sendBufferOverflow(BufferOverflow policy) {
      this.sendBufferOverflow = Objects.requireNonNull(policy);
      return this;
    }

    public SocketOptions build() {
      return new SocketOptions(this);
    }
  }
}
