package dev.sio4j.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection state recovery (Socket.IO 4.6+): a client that lost its connection for a recoverable
 * reason and comes back within {@link #maxDisconnectionDuration()} gets the same socket id, rooms
 * and data, and the events it missed. Defaults follow the reference: 2 minutes, middlewares skipped
 * on a successful recovery.
 *
 * <p>Thread-safety: immutable.
 */
public final class RecoveryOptions {
  private final Duration maxDisconnectionDuration;
  private final boolean skipMiddlewares;
  private final int maxPackets;

  private RecoveryOptions(
      Duration maxDisconnectionDuration, boolean skipMiddlewares, int maxPackets) {
    this.maxDisconnectionDuration = maxDisconnectionDuration;
    this.skipMiddlewares = skipMiddlewares;
    this.maxPackets = maxPackets;
  }

  /** 2 minutes, middlewares skipped, at most 100,000 logged packets per namespace. */
  public static RecoveryOptions defaults() {
    return new RecoveryOptions(Duration.ofMinutes(2), true, 100_000);
  }

  public RecoveryOptions maxDisconnectionDuration(Duration duration) {
    return new RecoveryOptions(Objects.requireNonNull(duration), skipMiddlewares, maxPackets);
  }

  public RecoveryOptions skipMiddlewares(boolean skip) {
    return new RecoveryOptions(maxDisconnectionDuration, skip, maxPackets);
  }

  /**
   * The most broadcast packets kept per namespace for replay (the reference keeps all of the last
   * {@code maxDisconnectionDuration}, unbounded); older ones are dropped first.
   */
  public RecoveryOptions maxPackets(int maxPackets) {
    return new RecoveryOptions(maxDisconnectionDuration, skipMiddlewares, maxPackets);
  }

  public Duration maxDisconnectionDuration() {
    return maxDisconnectionDuration;
  }

  public boolean skipMiddlewares() {
    return skipMiddlewares;
  }

  public int maxPackets() {
    return maxPackets;
  }
}
