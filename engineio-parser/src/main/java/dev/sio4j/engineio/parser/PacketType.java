package dev.sio4j.engineio.parser;

/**
 * The seven Engine.IO packet types, with the digit that stands for each on the wire.
 *
 * <p>Thread-safety: immutable.
 */
public enum PacketType {
  OPEN('0'),
  CLOSE('1'),
  PING('2'),
  PONG('3'),
  MESSAGE('4'),
  UPGRADE('5'),
  NOOP('6');

  private static final PacketType[] BY_CODE = values();

  private final char code;

  PacketType(char code) {
    this.code = code;
  }

  /** The ASCII digit that encodes this type. */
  public char code() {
    return code;
  }

  /**
   * The type for a wire digit.
   *
   * @throws EngineIoParseException if {@code c} is not a known type digit
   */
  public static PacketType fromCode(int c) {
    int index = c - '0';
    if (index < 0 || index >= BY_CODE.length) {
      throw new EngineIoParseException("unknown packet type: " + describe(c));
    }
    return BY_CODE[index];
  }

  private static String describe(int c) {
    return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("0x%02x", c & 0xff);
  }
}
