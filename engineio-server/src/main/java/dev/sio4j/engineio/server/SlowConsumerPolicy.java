package dev.sio4j.engineio.server;

/**
 * What a session does when its outbound buffer is full ({@link EngineIoOptions#maxBufferedBytes()}
 * or {@link EngineIoOptions#maxBufferedPackets()} reached): the client reads more slowly than the
 * server writes to it. Volatile packets ({@link Delivery#VOLATILE}) never get that far: they are
 * dropped as soon as the connection cannot take a write at once.
 *
 * <p>The reference server has no bound: its buffers grow until the process runs out of memory. This
 * policy is a deliberate addition.
 *
 * <p>Thread-safety: immutable.
 */
public enum SlowConsumerPolicy {
  /**
   * Close the session with {@link CloseReason#SLOW_CONSUMER}: its backlog is discarded at once and
   * its TCP connection closed. The default: the other clients of the node keep their memory.
   */
  DISCONNECT,
  /**
   * Drop the oldest {@link Delivery#DROPPABLE} packets of the backlog to make room, counted by
   * {@link EngineIoSocket#droppedPackets()}. When nothing droppable is left and an essential packet
   * does not fit, the session is closed as with {@link #DISCONNECT}.
   */
  DROP_OLDEST
}
