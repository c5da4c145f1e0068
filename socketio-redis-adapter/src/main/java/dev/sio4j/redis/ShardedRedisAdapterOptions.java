package dev.sio4j.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of the {@link ShardedRedisAdapter}, with the defaults of {@code
 * @socket.io/redis-adapter} 8.3.0's {@code createShardedAdapter}: channel prefix {@code
 * "socket.io"}, subscription mode {@link SubscriptionMode#DYNAMIC}; and the time other nodes have to
 * answer a request ({@code requestsTimeout}, 5 s, the reference's fixed value).
 *
 * <p>Thread-safety: immutable.
 */
public final class ShardedRedisAdapterOptions {
  private static final ShardedRedisAdapterOptions DEFAULTS = builder().build();

  /**
   * Which channels a namespace uses, as the reference's {@code subscriptionMode}.
   *
   * <p>Thread-safety: immutable.
   */
  public enum SubscriptionMode {
    /**
     * Two channels per namespace ({@code <prefix>#<nsp>#} and this node's answers): every node gets
     * every broadcast. Suits dynamic namespaces.
     */
    STATIC,
    /**
     * Also one channel per public room ({@code <prefix>#<nsp>#<room>#}, rooms that are not a socket
     * id), subscribed while the room has members on the node: a broadcast to one room reaches only
     * the nodes that host it. The default.
     */
    DYNAMIC,
    /** Like {@link #DYNAMIC}, private rooms (socket ids) included: suits much 1:1 messaging. */
    DYNAMIC_PRIVATE
  }

  private final String channelPrefix;
  private final SubscriptionMode subscriptionMode;
  private final Duration requestsTimeout;

  private ShardedRedisAdapterOptions(Builder b) {
    this.channelPrefix = b.channelPrefix;
    this.subscriptionMode = b.subscriptionMode;
    this.requestsTimeout = b.requestsTimeout;
  }

  /** The reference's defaults. */
  public static ShardedRedisAdapterOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .channelPrefix(channelPrefix)
        .subscriptionMode(subscriptionMode)
        .requestsTimeout(requestsTimeout);
  }

  public String channelPrefix() {
    return channelPrefix;
  }

  public SubscriptionMode subscriptionMode() {
    return subscriptionMode;
  }

  public Duration requestsTimeout() {
    return requestsTimeout;
  }

  @Override
  public String toString() {
    return "ShardedRedisAdapterOptions{channelPrefix="
        + channelPrefix
        + ", subscriptionMode="
        + subscriptionMode
        + ", requestsTimeout="
        + requestsTimeout
        + "}";
  }

  /**
   * Builds {@link ShardedRedisAdapterOptions}; starts from the defaults.
   *
   * <p>Thread-safety: not thread-safe; use from one thread.
   */
  public static final class Builder {
    private String channelPrefix = "socket.io";
    private SubscriptionMode subscriptionMode = SubscriptionMode.DYNAMIC;
    private Duration requestsTimeout = Duration.ofSeconds(5);

    private Builder() {}

    public Builder channelPrefix(String channelPrefix) {
      if (Objects.requireNonNull(channelPrefix, "channelPrefix").isEmpty()) {
        throw new IllegalArgumentException("channelPrefix is empty");
      }
      this.channelPrefix = channelPrefix;
      return this;
    }

    public Builder subscriptionMode(SubscriptionMode subscriptionMode) {
      this.subscriptionMode = Objects.requireNonNull(subscriptionMode, "subscriptionMode");
      return this;
    }

    public Builder requestsTimeout(Duration requestsTimeout) {
      if (Objects.requireNonNull(requestsTimeout, "requestsTimeout").toMillis() < 1) {
        throw new IllegalArgumentException("requestsTimeout must be at least 1 ms");
      }
      this.requestsTimeout = requestsTimeout;
      return this;
    }

    public ShardedRedisAdapterOptions build() {
      return new ShardedRedisAdapterOptions(this);
    }
  }
}
