package dev.sio4j.engineio.server;

/**
 * How much a message sent to a session may be sacrificed when the client reads too slowly (see
 * {@link SlowConsumerPolicy}).
 *
 * <p>Thread-safety: immutable.
 */
public enum Delivery {
  /**
   * Never dropped: when the outbound buffer has no room for it, the session closes ({@link
   * CloseReason#SLOW_CONSUMER}). Protocol packets, acknowledgements and everything sent without a
   * {@code Delivery} are essential.
   */
  ESSENTIAL,
  /**
   * Buffered like an essential packet, but the {@link SlowConsumerPolicy#DROP_OLDEST} policy may
   * drop it, oldest first, to make room.
   */
  DROPPABLE,
  /**
   * Sent only if the connection takes it at once ({@link EngineIoSocket#isWritable()}), dropped
   * otherwise and counted by {@link EngineIoSocket#droppedPackets()}: Socket.IO's volatile emits.
   */
  VOLATILE
}
