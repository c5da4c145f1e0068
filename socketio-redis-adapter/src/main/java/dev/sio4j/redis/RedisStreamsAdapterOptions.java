package dev.sio4j.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of the {@link RedisStreamsAdapter}, with the defaults of {@code
 * @socket.io/redis-streams-adapter} 0.3.1 so that sio4j and Node nodes share a cluster without
 * configuration:
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>what</th></tr>
 *   <tr><td>{@code streamName}</td><td>{@code "socket.io"}</td><td>the stream, or the prefix of the
 *       streams ({@code <name>-<i>}) when {@code streamCount > 1}</td></tr>
 *   <tr><td>{@code streamCount}</td><td>1</td><td>streams to spread namespaces over (a namespace
 *       always uses the same one, so its messages stay ordered); one reading connection each</td></tr>
 *   <tr><td>{@code channelPrefix}</td><td>{@code "socket.io"}</td><td>the pub/sub channels of the
 *       messages that are not kept in the stream: {@code <prefix>#<nsp>#}, and answers on
 *       {@code <prefix>#<nsp>#<uid>#}</td></tr>
 *   <tr><td>{@code useShardedPubSub}</td><td>false</td><td>SPUBLISH/SSUBSCRIBE (Redis 7) instead of
 *       PUBLISH/SUBSCRIBE</td></tr>
 *   <tr><td>{@code maxLen}</td><td>10,000</td><td>{@code XADD MAXLEN ~}: roughly how many entries
 *       the stream keeps, which bounds how far back a client can recover</td></tr>
 *   <tr><td>{@code readCount}</td><td>100</td><td>entries per {@code XREAD}</td></tr>
 *   <tr><td>{@code blockTime}</td><td>5 s</td><td>how long an {@code XREAD} waits for entries</td></tr>
 *   <tr><td>{@code sessionKeyPrefix}</td><td>{@code "sio:session:"}</td><td>the keys of the
 *       sessions kept for connection state recovery</td></tr>
 *   <tr><td>{@code onlyPlaintext}</td><td>false</td><td>skip the search for binary values: the
 *       stream gets JSON only (binary arguments would arrive as objects)</td></tr>
 *   <tr><td>{@code requestsTimeout}</td><td>5 s</td><td>how long fetchSockets and
 *       serverSideEmitWithAck wait for the other nodes, and the bound of every Redis command the
 *       adapter waits for</td></tr>
 * </table>
 *
 * <p>The reference also accepts heartbeat options; its 0.3 adapter has no heartbeat (it counts
 * nodes with {@code PUBSUB NUMSUB}), so neither does this one.
 *
 * <p>Thread-safety: immutable.
 */
public final class RedisStreamsAdapterOptions {
  private static final RedisStreamsAdapterOptions DEFAULTS = builder().build();

  private final String streamName;
  private final int streamCount;
  private final String channelPrefix;
  private final boolean useShardedPubSub;
  private final long maxLen;
  private final int readCount;
  private final Duration blockTime;
  private final String sessionKeyPrefix;
  private final boolean onlyPlaintext;
  private final Duration requestsTimeout;

  private RedisStreamsAdapterOptions(Builder b) {
    this.streamName = b.streamName;
    this.streamCount = b.streamCount;
    this.channelPrefix = b.channelPrefix;
    this.useShardedPubSub = b.useShardedPubSub;
    this.maxLen = b.maxLen;
    this.readCount = b.readCount;
    this.blockTime = b.blockTime;
    this.sessionKeyPrefix = b.sessionKeyPrefix;
    this.onlyPlaintext = b.onlyPlaintext;
    this.requestsTimeout = b.requestsTimeout;
  }

  /** The reference's defaults. */
  public static RedisStreamsAdapterOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.streamName = streamName;
    b.streamCount = streamCount;
    b.channelPrefix = channelPrefix;
    b.useShardedPubSub = useShardedPubSub;
    b.maxLen = maxLen;
    b.readCount = readCount;
    b.blockTime = blockTime;
    b.sessionKeyPrefix = sessionKeyPrefix;
    b.onlyPlaintext = onlyPlaintext;
    b.requestsTimeout = requestsTimeout;
    return b;
  }

  public String streamName() {
    return streamName;
  }

  public int streamCount() {
    return streamCount;
  }

  public String channelPrefix() {
    return channelPrefix;
  }

  public boolean useShardedPubSub() {
    return useShardedPubSub;
  }

  public long maxLen() {
    return maxLen;
  }

  public int readCount() {
    return readCount;
  }

  public Duration blockTime() {
    return blockTime;
  }

  public String sessionKeyPrefix() {
    return sessionKeyPrefix;
  }

  public boolean onlyPlaintext() {
    return onlyPlaintext;
  }

  public Duration requestsTimeout() {
    return requestsTimeout;
  }

  /**
   * The stream of a namespace: {@code streamName}, or {@code streamName-i} with {@code i} the
   * namespace's hash modulo {@code streamCount}, the hash being the reference's (Java's {@code
   * String.hashCode} over UTF-16 units; a negative remainder is kept, as in JavaScript).
   */
  public String streamOf(String namespace) {
    if (streamCount == 1) {
      return streamName;
    }
    return streamName + "-" + (namespace.hashCode() % streamCount);
  }

  @Override
  public String toString() {
    return "RedisStreamsAdapterOptions{streamName="
        + streamName
        + ", streamCount="
        + streamCount
        + ", channelPrefix="
        + channelPrefix
        + ", useShardedPubSub="
        + useShardedPubSub
        + ", maxLen="
        + maxLen
        + ", readCount="
        + readCount
        + ", blockTime="
        + blockTime
        + ", sessionKeyPrefix="
        + sessionKeyPrefix
        + ", onlyPlaintext="
        + onlyPlaintext
        + ", requestsTimeout="
        + requestsTimeout
        + "}";
  }

  /**
   * Builds {@link RedisStreamsAdapterOptions}; starts from the defaults.
   *
   * <p>Thread-safety: not thread-safe; use from one thread.
   */
  public static final class Builder {
    private String streamName = "socket.io";
    private int streamCount = 1;
    private String channelPrefix = "socket.io";
    private boolean useShardedPubSub;
    private long maxLen = 10_000;
    private int readCount = 100;
    private Duration blockTime = Duration.ofSeconds(5);
    private String sessionKeyPrefix = "sio:session:";
    private boolean onlyPlaintext;
    private Duration requestsTimeout = Duration.ofSeconds(5);

    private Builder() {}

    public Builder streamName(String streamName) {
      this.streamName = nonEmpty(streamName, "streamName");
      return this;
    }

    /** At least 1. */
    public Builder streamCount(int streamCount) {
      if (streamCount < 1) {
        throw new IllegalArgumentException("streamCount < 1: " + streamCount);
      }
      this.streamCount = streamCount;
      return this;
    }

    public Builder channelPrefix(String channelPrefix) {
      this.channelPrefix = nonEmpty(channelPrefix, "channelPrefix");
      return this;
    }

    public Builder useShardedPubSub(boolean useShardedPubSub) {
      this.useShardedPubSub = useShardedPubSub;
      return this;
    }

    /** At least 1. */
    public Builder maxLen(long maxLen) {
      if (maxLen < 1) {
        throw new IllegalArgumentException("maxLen < 1: " + maxLen);
      }
      this.maxLen = maxLen;
      return this;
    }

    /** At least 1. */
    public Builder readCount(int readCount) {
      if (readCount < 1) {
        throw new IllegalArgumentException("readCount < 1: " + readCount);
      }
      this.readCount = readCount;
      return this;
    }

    /** At least 1 ms: a zero would block for ever. */
    public Builder blockTime(Duration blockTime) {
      this.blockTime = positive(blockTime, "blockTime");
      return this;
    }

    public Builder sessionKeyPrefix(String sessionKeyPrefix) {
      this.sessionKeyPrefix = Objects.requireNonNull(sessionKeyPrefix, "sessionKeyPrefix");
      return this;
    }

    public Builder onlyPlaintext(boolean onlyPlaintext) {
      this.onlyPlaintext = onlyPlaintext;
      return this;
    }

    public Builder requestsTimeout(Duration requestsTimeout) {
      this.requestsTimeout = positive(requestsTimeout, "requestsTimeout");
      return this;
    }

    public RedisStreamsAdapterOptions build() {
      return new RedisStreamsAdapterOptions(this);
    }

    private static String nonEmpty(String value, String name) {
      if (Objects.requireNonNull(value, name).isEmpty()) {
        throw new IllegalArgumentException(name + " is empty");
      }
      return value;
    }

    private static Duration positive(Duration d, String name) {
      if (Objects.requireNonNull(d, name).toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms: " + d);
      }
      return d;
    }
  }
}
