package dev.sio4j.common.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The flags a {@link FlagEmitter} carries to its socket.
 *
 * <p>Not part of the public API. Thread-safety: immutable.
 */
public final class EmitFlags {
  /** Not volatile, compressed, no ack timeout. */
  public static final EmitFlags DEFAULT = new EmitFlags(false, true, null);

  private final boolean volatile_;
  private final boolean compress;
  private final Duration timeout;

  private EmitFlags(boolean volatile_, boolean compress, Duration timeout) {
    this.volatile_ = volatile_;
    this.compress = compress;
    this.timeout = timeout;
  }

  public boolean isVolatile() {
    return volatile_;
  }

  public boolean compress() {
    return compress;
  }

  /** The ack timeout, if any. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public EmitFlags withVolatile(boolean v) {
    return new EmitFlags(v, compress, timeout);
  }

  public EmitFlags withCompress(boolean c) {
    return new EmitFlags(volatile_, c, timeout);
  }

  /**
   * @throws IllegalArgumentException if {@code t} is negative
   */
  public EmitFlags withTimeout(Duration t) {
    Objects.requireNonNull(t, "timeout");
    if (t.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + t);
    }
    return new EmitFlags(volatile_, compress, t);
  }

  @Override
  public String toString() {
    return "EmitFlags[volatile="
        + volatile_
        + ", compress="
        + compress
        + ", timeout="
        + timeout
        + "]";
  }
}
