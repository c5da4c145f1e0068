package dev.sio4j.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of the classic Redis adapter ({@link RedisAdapter}), with the defaults of the Node
 * adapter ({@code @socket.io/redis-adapter} {@code createAdapter}): key {@code socket.io}, requests
 * timeout 5 seconds, replies on the common response channel.
 *
 * <pre>{@code
 * RedisAdapterOptions options =
 *     RedisAdapterOptions.builder().key("chat").requestsTimeout(Duration.ofSeconds(2)).build();
 * }</pre>
 *
 * <p>Every node of a cluster must use the same {@code key}; {@code
 * publishOnSpecificResponseChannel} may differ between nodes (each node listens on both response
 * channels).
 *
 * <p>Thread-safety: immutable.
 */
public final class RedisAdapterOptions {
  private static final RedisAdapterOptions DEFAULTS = builder().build();

  private final String key;
  private final Duration requestsTimeout;
  private final boolean publishOnSpecificResponseChannel;

  private RedisAdapterOptions(Builder b) {
    this.key = b.key;
    this.requestsTimeout = b.requestsTimeout;
    this.publishOnSpecificResponseChannel = b.publishOnSpecificResponseChannel;
  }

  /** The Node adapter's defaults. */
  public static RedisAdapterOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    return new Builder()
        .key(key)
        .requestsTimeout(requestsTimeout)
        .publishOnSpecificResponseChannel(publishOnSpecificResponseChannel);
  }

  /** The prefix of every channel ({@code <key>#<nsp>#...}); {@code socket.io} by default. */
  public String key() {
    return key;
  }

  /**
   * How long {@code fetchSockets} (without its own timeout), {@code serverSideEmitWithAck} and
   * {@code allRooms} wait for the other nodes; 5 seconds by default.
   */
  public Duration requestsTimeout() {
    return requestsTimeout;
  }

  /**
   * Whether replies go to the requesting node's own channel {@code <key>-response#<nsp>#<uid>#}
   * rather than the common {@code <key>-response#<nsp>#} (false by default, as the Node adapter:
   * true spares the other nodes decoding replies that are not theirs).
   */
  public boolean publishOnSpecificResponseChannel() {
    return publishOnSpecificResponseChannel;
  }

  @Override
  public String toString() {
    return "RedisAdapterOptions{key="
        + key
        + ", requestsTimeout="
        + requestsTimeout
        + ", publishOnSpecificResponseChannel="
        + publishOnSpecificResponseChannel
        + "}";
  }

  /**
   * Builds {@link RedisAdapterOptions}.
   *
   * <p>Thread-safety: not thread-safe; use from one thread.
   */
  public static final class Builder {
    private String key = "socket.io";
    private Duration requestsTimeout = Duration.ofSeconds(5);
    private boolean publishOnSpecificResponseChannel;

    private Builder() {}

    /**
     * @throws IllegalArgumentException if empty
     */
    public Builder key(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("key must not be empty");
      }
      this.key = key;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not positive
     */
    public Builder requestsTimeout(Duration requestsTimeout) {
      Objects.requireNonNull(requestsTimeout, "requestsTimeout");
      if (requestsTimeout.isNegative() || requestsTimeout.isZero()) {
        throw new IllegalArgumentException("requestsTimeout must be positive: " + requestsTimeout);
      }
      this.requestsTimeout = requestsTimeout;
      return this;
    }

    public Builder publishOnSpecificResponseChannel(boolean publishOnSpecificResponseChannel) {
      this.publishOnSpecificResponseChannel = publishOnSpecificResponseChannel;
      return this;
    }

    public RedisAdapterOptions build() {
      return new RedisAdapterOptions(this);
    }
  }
}
