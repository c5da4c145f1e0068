package dev.sio4j.adapter;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The flags of a broadcast, as the reference's {@code BroadcastFlags}: {@code volatile} (drop for a
 * client whose transport is not ready), {@code compress}, {@code local} (this node only), {@code
 * broadcast}, and an ack {@code timeout}. Exactly what a cluster adapter puts on the wire.
 *
 * <p>Thread-safety: immutable.
 */
public final class BroadcastFlags {
  public static final BroadcastFlags DEFAULT = new BroadcastFlags(false, true, false, false, null);

  private final boolean volatile_;
  private final boolean compress;
  private final boolean local;
  private final boolean broadcast;
  private final Duration timeout;

  private BroadcastFlags(
      boolean volatile_, boolean compress, boolean local, boolean broadcast, Duration timeout) {
    this.volatile_ = volatile_;
    this.compress = compress;
    this.local = local;
    this.broadcast = broadcast;
    this.timeout = timeout;
  }

  public boolean isVolatile() {
    return volatile_;
  }

  public boolean compress() {
    return compress;
  }

  public boolean local() {
    return local;
  }

  public boolean broadcast() {
    return broadcast;
  }

  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public BroadcastFlags withVolatile(boolean v) {
    return new BroadcastFlags(v, compress, local, broadcast, timeout);
  }

  public BroadcastFlags withCompress(boolean c) {
    return new BroadcastFlags(volatile_, c, local, broadcast, timeout);
  }

  public BroadcastFlags withLocal(boolean l) {
    return new BroadcastFlags(volatile_, compress, l, broadcast, timeout);
  }

  public BroadcastFlags withBroadcast(boolean b) {
    return new BroadcastFlags(volatile_, compress, local, b, timeout);
  }

  public BroadcastFlags withTimeout(Duration t) {
    return new BroadcastFlags(volatile_, compress, local, broadcast, t);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BroadcastFlags)) {
      return false;
    }
    BroadcastFlags f = (BroadcastFlags) o;
    return volatile_ == f.volatile_
        && compress == f.compress
        && local == f.local
        && broadcast == f.broadcast
        && Objects.equals(timeout, f.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(volatile_, compress, local, broadcast, timeout);
  }

  @Override
  public String toString() {
    return "{volatile="
        + volatile_
        + ", compress="
        + compress
        + ", local="
        + local
        + ", broadcast="
        + broadcast
        + ", timeout="
        + timeout
        + "}";
  }
}
