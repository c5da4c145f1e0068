package dev.sio4j.engineio.parser;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link EngineIoCodec} of Engine.IO protocol v4: single packets and HTTP long-polling
 * payloads.
 *
 * <p>Text packets are {@code <type digit><data>}. A binary message travels over WebSocket as a raw
 * binary frame (the data alone, no type byte) and in text contexts (polling, or a WebSocket in
 * base64 mode) as {@code "b" + base64(data)}. A polling payload joins encoded packets with the
 * record separator {@code \x1e}; it is always text. The server pings.
 *
 * <p>Thread-safety: stateless; all methods may be called from any thread.
 */
public final class EngineIoV4 implements EngineIoCodec {
  /** The one instance; also {@link EngineIoCodec#v4()}. */
  public static final EngineIoV4 INSTANCE = new EngineIoV4();

  /** The character that separates packets in a v4 polling payload. */
  public static final char RECORD_SEPARATOR = '\u001e';

  /** The protocol revision number, sent as the {@code EIO} query parameter. */
  public static final int PROTOCOL = 4;

  private EngineIoV4() {}

  @Override
  public int protocol() {
    return PROTOCOL;
  }

  @Override
  public Heartbeat heartbeat() {
    return Heartbeat.SERVER_PINGS;
  }

  /** Encodes a packet as text: {@code <type><data>}, or {@code b<base64>} for binary data. */
  @Override
  public String encodePacket(Packet packet) {
    if (packet.isBinary()) {
      return "b" + Base64.getEncoder().encodeToString(packet.binaryData());
    }
    return TextPackets.encode(packet);
  }

  @Override
  public byte[] encodePacketUtf8(Packet packet) {
    return TextPackets.utf8(packet);
  }

  /**
   * Decodes one text-encoded packet (a WebSocket text frame or one record of a polling payload).
   *
   * @throws EngineIoParseException if the text is empty, the type is unknown, or the base64 data is
   *     malformed
   */
  @Override
  public Packet decodePacket(String encoded) {
    if (encoded.isEmpty()) {
      throw new EngineIoParseException("empty packet");
    }
    char first = encoded.charAt(0);
    if (first == 'b') {
      return Packet.binary(decodeBase64(encoded, 1));
    }
    return TextPackets.decode(encoded, first);
  }

  /** The frame of a binary message is its data alone (the packet's own array). */
  @Override
  public byte[] encodeBinaryFrame(Packet packet) {
    return packet.binaryData();
  }

  /**
   * Decodes a binary WebSocket frame. In v4 such a frame is always a {@code message} whose data is
   * the frame's bytes.
   */
  @Override
  public Packet decodeBinaryFrame(byte[] frame) {
    return Packet.binary(frame);
  }

  /** Encodes packets as one polling payload. An empty list gives an empty string. */
  @Override
  public String encodePayload(List<Packet> packets) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < packets.size(); i++) {
      if (i > 0) {
        sb.append(RECORD_SEPARATOR);
      }
      sb.append(encodePacket(packets.get(i)));
    }
    return sb.toString();
  }

  /** v4 payloads are always text. */
  @Override
  public Optional<byte[]> encodeBinaryPayload(List<Packet> packets) {
    return Optional.empty();
  }

  /**
   * Decodes a polling payload, handing each packet to {@code sink} in order as soon as it is
   * decoded, so that the packets before a malformed record are delivered, as the reference does.
   *
   * @throws EngineIoParseException at the first malformed record
   */
  @Override
  public void decodePayload(String payload, Consumer<Packet> sink) {
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

  /** A v4 client sends text payloads only; the reference rejects binary ones. */
  @Override
  public boolean acceptsBinaryPayload() {
    return false;
  }

  /**
   * Always fails: v4 has no binary polling payload.
   *
   * @throws EngineIoParseException always
   */
  @Override
  public void decodePayload(byte[] payload, Consumer<Packet> sink) {
    throw new EngineIoParseException("protocol 4 has no binary payloads");
  }

  @Override
  public String toString() {
    return "EngineIoCodec[v4]";
  }

  static byte[] decodeBase64(String text, int from) {
    try {
      return Base64.getDecoder().decode(text.substring(from));
    } catch (IllegalArgumentException e) {
      throw new EngineIoParseException("invalid base64 data", e);
    }
  }
}
