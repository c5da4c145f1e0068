package dev.sio4j.engineio.parser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * Engine.IO protocol v4 codec: single packets and HTTP long-polling payloads.
 *
 * <p>Text packets are {@code <type digit><data>}. A binary message travels over WebSocket as a raw
 * binary frame (the data alone, no type byte) and in text contexts (polling, or a WebSocket in
 * base64 mode) as {@code "b" + base64(data)}. A polling payload joins encoded packets with the
 * record separator {@code \x1e}.
 *
 * <p>Thread-safety: stateless; all methods may be called from any thread.
 */
public final class EngineIoV4 {
  /** The character that separates packets in a v4 polling payload. */
  public static final char RECORD_SEPARATOR = '\u001e';

  /** The protocol revision number, sent as the {@code EIO} query parameter. */
  public static final int PROTOCOL = 4;

  private EngineIoV4() {}

  /** Encodes a packet as text: {@code <type><data>}, or {@code b<base64>} for binary data. */
  public static String encodePacket(Packet packet) {
    if (packet.isBinary()) {
      return "b" + Base64.getEncoder().encodeToString(packet.binaryData());
    }
    String data = packet.textData();
    if (data.isEmpty()) {
      return String.valueOf(packet.type().code());
    }
    return packet.type().code() + data;
  }

  /**
   * The UTF-8 bytes of {@link #encodePacket(Packet)} for a text packet, as one WebSocket text frame
   * carries them. Computed once per packet and then returned again, so that a packet sent to many
   * connections is encoded once: callers must not modify the array.
   *
   * @throws IllegalArgumentException for a binary packet (its frame is the raw bytes)
   */
  public static byte[] encodePacketUtf8(Packet packet) {
    byte[] cached = packet.utf8V4;
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
    packet.utf8V4 = encoded;
    return encoded;
  }

  /**
   * Decodes one text-encoded packet (a WebSocket text frame or one record of a polling payload).
   *
   * @throws EngineIoParseException if the text is empty, the type is unknown, or the base64 data is
   *     malformed
   */
  public static Packet decodePacket(String encoded) {
    if (encoded.isEmpty()) {
      throw new EngineIoParseException("empty packet");
    }
    char first = encoded.charAt(0);
    if (first == 'b') {
      return Packet.binary(decodeBase64(encoded, 1));
    }
    PacketType type = PacketType.fromCode(first);
    return encoded.length() == 1 ? Packet.of(type) : Packet.text(type, encoded.substring(1));
  }

  /**
   * Decodes a binary WebSocket frame. In v4 such a frame is always a {@code message} whose data is
   * the frame's bytes.
   */
  public static Packet decodeBinaryFrame(byte[] frame) {
    return Packet.binary(frame);
  }

  /** Encodes packets as one polling payload. An empty list gives an empty string. */
  public static String encodePayload(List<Packet> packets) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < packets.size(); i++) {
      if (i > 0) {
        sb.append(RECORD_SEPARATOR);
      }
      sb.append(encodePacket(packets.get(i)));
    }
    return sb.toString();
  }

  /**
   * Decodes a polling payload, handing each packet to {@code sink} in order as soon as it is
   * decoded, so that the packets before a malformed record are delivered, as the reference does.
   *
   * @throws EngineIoParseException at the first malformed record
   */
  public static void decodePayload(String payload, Consumer<Packet> sink) {
    int start = 0;
    int length = payload.length();
    while (true) {
      int end = payload.indexOf(RECORD_SEPARATOR, start);
      if (end < 0) {
        end = length;
      }
      sink.accept(decodePacket(payload.substring(start, end)));
      if (end == length) {
        return;
      }
      start = end + 1;
    }
  }

  /** Decodes a polling payload into a list. */
  public static List<Packet> decodePayload(String payload) {
    List<Packet> packets = new ArrayList<>();
    decodePayload(payload, packets::add);
    return packets;
  }

  static byte[] decodeBase64(String text, int from) {
    try {
      return Base64.getDecoder().decode(text.substring(from));
    } catch (IllegalArgumentException e) {
      throw new EngineIoParseException("invalid base64 data", e);
    }
  }
}
