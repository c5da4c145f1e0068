package dev.sio4j.engineio.parser;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Engine.IO packet: a type and either text data (possibly empty) or binary data.
 *
 * <p>Only {@link PacketType#MESSAGE} packets carry binary data in protocol v4; protocol v3 allows
 * any type to be binary on the wire, which this class represents as well.
 *
 * <p>Thread-safety: immutable, provided callers do not mutate the array passed to {@link
 * #binary(byte[])} or returned by {@link #binaryData()} (it is not copied, for speed).
 */
public final class Packet {
  public static final Packet PING = new Packet(PacketType.PING, "", null);
  public static final Packet PONG = new Packet(PacketType.PONG, "", null);
  public static final Packet CLOSE = new Packet(PacketType.CLOSE, "", null);
  public static final Packet NOOP = new Packet(PacketType.NOOP, "", null);
  public static final Packet UPGRADE = new Packet(PacketType.UPGRADE, "", null);
  public static final Packet PING_PROBE = new Packet(PacketType.PING, "probe", null);
  public static final Packet PONG_PROBE = new Packet(PacketType.PONG, "probe", null);

  private final PacketType type;
  private final String text;
  private final byte[] binary;

  /**
   * The text encoding of this packet (the same in v3 and v4) in UTF-8, once someone asked for it: a
   * packet broadcast to many connections is encoded once. Written at most a few times with equal
   * contents (a benign race), read through a volatile so that the array's contents are visible with
   * it.
   */
  volatile byte[] utf8;

  private Packet(PacketType type, String text, byte[] binary) {
    this.type = type;
    this.text = text;
    this.binary = binary;
  }

  /** A packet of the given type with no data. */
  public static Packet of(PacketType type) {
    return new Packet(Objects.requireNonNull(type, "type"), "", null);
  }

  /** A packet of the given type with text data. */
  public static Packet text(PacketType type, String data) {
    return new Packet(Objects.requireNonNull(type, "type"), Objects.requireNonNull(data), null);
  }

  /** A text {@code message} packet. */
  public static Packet message(String data) {
    return text(PacketType.MESSAGE, data);
  }

  /** A binary {@code message} packet. The array is not copied. */
  public static Packet binary(byte[] data) {
    return binary(PacketType.MESSAGE, data);
  }

  /** A binary packet of any type (protocol v3 allows it). The array is not copied. */
  public static Packet binary(PacketType type, byte[] data) {
    return new Packet(Objects.requireNonNull(type, "type"), null, Objects.requireNonNull(data));
  }

  public PacketType type() {
    return type;
  }

  public boolean isBinary() {
    return binary != null;
  }

  /** The text data; empty for a binary packet or a packet without data. */
  public String textData() {
    return binary == null ? text : "";
  }

  /**
   * The binary data (not a copy).
   *
   * @throws IllegalStateException if this is a text packet
   */
  public byte[] binaryData() {
    if (binary == null) {
      throw new IllegalStateException("not a binary packet");
    }
    return binary;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Packet)) {
      return false;
    }
    Packet other = (Packet) o;
    return type == other.type
        && Objects.equals(text, other.text)
        && Arrays.equals(binary, other.binary);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * type.hashCode() + Objects.hashCode(text)) + Arrays.hashCode(binary);
  }

  @Override
  public String toString() {
    return binary == null ? type + "(" + text + ")" : type + "(binary " + binary.length + " bytes)";
  }
}
