package dev.sio4j.socketio.parser;

/**
 * The seven Socket.IO (protocol v5) packet types; {@link #id()} is the digit that starts an encoded
 * packet.
 *
 * <p>{@link #BINARY_EVENT} and {@link #BINARY_ACK} exist only on the wire: the encoder picks them
 * when the data holds binary values, and the decoder reports reconstructed packets as {@link
 * #EVENT} / {@link #ACK}, as the reference parser does.
 *
 * <p>Thread-safety: immutable.
 */
public enum SioPacketType {
  CONNECT,
  DISCONNECT,
  EVENT,
  ACK,
  CONNECT_ERROR,
  BINARY_EVENT,
  BINARY_ACK;

  private static final SioPacketType[] BY_ID = values();

  /** The numeric id of this type, {@code 0} to {@code 6}. */
  public int id() {
    return ordinal();
  }

  /** Whether packets of this type are followed by binary attachments. */
  public boolean isBinary() {
    return this == BINARY_EVENT || this == BINARY_ACK;
  }

  /**
   * The type with the given numeric id.
   *
   * @throws IllegalArgumentException if {@code id} is not in {@code 0..6}
   */
  public static SioPacketType fromId(int id) {
    if (id < 0 || id >= BY_ID.length) {
      throw new IllegalArgumentException("unknown packet type " + id);
    }
    return BY_ID[id];
  }
}
