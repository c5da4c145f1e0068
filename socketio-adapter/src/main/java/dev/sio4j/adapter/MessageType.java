package dev.sio4j.adapter;

/**
 * The {@code type} of a cluster message: the numbers of the reference's {@code MessageType} enum,
 * which is what goes on the wire.
 *
 * <p>Thread-safety: immutable.
 */
public enum MessageType {
  INITIAL_HEARTBEAT(1),
  HEARTBEAT(2),
  BROADCAST(3),
  SOCKETS_JOIN(4),
  SOCKETS_LEAVE(5),
  DISCONNECT_SOCKETS(6),
  FETCH_SOCKETS(7),
  FETCH_SOCKETS_RESPONSE(8),
  SERVER_SIDE_EMIT(9),
  SERVER_SIDE_EMIT_RESPONSE(10),
  BROADCAST_CLIENT_COUNT(11),
  BROADCAST_ACK(12),
  ADAPTER_CLOSE(13);

  private static final MessageType[] BY_CODE = new MessageType[14];

  static {
    for (MessageType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  /** The number on the wire. */
  public int code() {
    return code;
  }

  /**
   * The type with this wire number.
   *
   * @throws IllegalArgumentException for an unknown number
   */
  public static MessageType fromCode(int code) {
    if (code < 1 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("unknown cluster message type " + code);
    }
    return BY_CODE[code];
  }
}
