package dev.sio4j.redis.emitter;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * The options of a {@link RedisEmitter}, with the defaults of {@code @socket.io/redis-emitter}: key
 * {@code socket.io} (it must be the key of the cluster's adapters).
 *
 * <p>Thread-safety: immutable (the mapper is shared; do not reconfigure it after building).
 */
public final class RedisEmitterOptions {
  private static final RedisEmitterOptions DEFAULTS = builder().build();

  private final String key;
  private final ObjectMapper mapper;

  private RedisEmitterOptions(Builder b) {
    this.key = b.key;
    this.mapper = b.mapper;
  }

  /** Key {@code socket.io}, a default mapper. */
  public static RedisEmitterOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().key(key).mapper(mapper);
  }

  /** The prefix of the channels, the adapters' {@code key}; {@code socket.io} by default. */
  public String key() {
    return key;
  }

  /**
   * The mapper turning event arguments into JSON ({@code byte[]} and {@code ByteBuffer} travel as
   * binary).
   */
  public ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public String toString() {
    return "RedisEmitterOptions{key=" + key + "}";
  }

  /**
   * Builds {@link RedisEmitterOptions}.
   *
   * <p>Thread-safety: not thread-safe; use from one thread.
   */
  public static final class Builder {
    private String key = "socket.io";
    private ObjectMapper mapper = new ObjectMapper();

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

    public Builder mapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    public RedisEmitterOptions build() {
      return new RedisEmitterOptions(this);
    }
  }
}
