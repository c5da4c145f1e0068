package dev.sio4j.engineio.parser;

import java.nio.charset.StandardCharsets;

/**
 * What text packets look like in every protocol revision: {@code <type digit><data>}. Both codecs
 * use it, which is why a text packet's bytes are the same whichever revision a connection speaks.
 *
 * <p>Thread-safety: stateless.
 */
final class TextPackets {
  private TextPackets() {}

  static String encode(Packet packet) {
    String data = packet.textData();
    if (data.isEmpty()) {
      return String.valueOf(packet.type().code());
    }
    return packet.type().code() + data;
  }

  /** The UTF-8 form of {@link #encode}, cached on the packet. */
  static byte[] utf8(Packet packet) {
    byte[] cached = packet.utf8;
    if (cached != null) {
      return cached;
    }
    if (packet.isBinary()) {
      throw new IllegalArgumentException("binary packets are sent as binary frames");
    }
    byte[] data = packet.textData().getBytes(StandardCharsets.UTF_8);
    byte[] encoded = new byte[data.length + 1];
    encoded[0] = (byte) packet.type().code();
    System.arraycopy(data, 0, encoded, 1, data.length);
    packet.utf8 = encoded;
    return encoded;
  }

  /** Decodes a non-empty text packet whose first character is {@code first}. */
  static Packet decode(String encoded, char first) {
    PacketType type = PacketType.fromCode(first);
    return encoded.length() == 1 ? Packet.of(type) : Packet.text(type, encoded.substring(1));
  }
}
