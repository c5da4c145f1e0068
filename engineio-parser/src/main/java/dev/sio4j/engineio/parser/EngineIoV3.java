package dev.sio4j.engineio.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link EngineIoCodec} of Engine.IO protocol v3, for legacy clients (Socket.IO 2.x) accepted
 * when {@code allowEIO3} is set.
 *
 * <p>Differences from v4: binary packets carry their type (as a raw byte {@code 0..6} at the start
 * of a WebSocket binary frame, or as a digit after {@code b} in base64 form); a text polling
 * payload is a series of {@code <length>:<packet>} records whose length counts UTF-16 code units
 * (Java's {@link String#length()}); a client able to receive binary gets a binary payload when any
 * packet is binary: per packet a {@code 0} (text) or {@code 1} (binary) byte, the decimal digits of
 * the length as byte values {@code 0..9}, the byte {@code 0xFF}, then the packet (UTF-8 for text).
 * The client pings, the server answers.
 *
 * <p>Thread-safety: stateless; all methods may be called from any thread.
 */
public final class EngineIoV3 implements EngineIoCodec {
  /** The one instance; also {@link EngineIoCodec#v3()}. */
  public static final EngineIoV3 INSTANCE = new EngineIoV3();

  /** The protocol revision number, sent as the {@code EIO} query parameter. */
  public static final int PROTOCOL = 3;

  /** The payload the reference answers with when there is nothing to send. */
  public static final String EMPTY_PAYLOAD = "0:";

  private EngineIoV3() {}

  @Override
  public int protocol() {
    return PROTOCOL;
  }

  @Override
  public Heartbeat heartbeat() {
    return Heartbeat.CLIENT_PINGS;
  }

  /** Encodes a packet as text; binary data becomes {@code b<type><base64>}. */
  @Override
  public String encodePacket(Packet packet) {
    if (packet.isBinary()) {
      return "b" + packet.type().code() + Base64.getEncoder().encodeToString(packet.binaryData());
    }
    return TextPackets.encode(packet);
  }

  @Override
  public byte[] encodePacketUtf8(Packet packet) {
    return TextPackets.utf8(packet);
  }

  /** Encodes a binary packet as a WebSocket binary frame: the type as a raw byte, then the data. */
  @Override
  public byte[] encodeBinaryFrame(Packet packet) {
    byte[] data = packet.binaryData();
    byte[] frame = new byte[data.length + 1];
    frame[0] = (byte) (packet.type().code() - '0');
    System.arraycopy(data, 0, frame, 1, data.length);
    return frame;
  }

  /**
   * Decodes one text-encoded packet.
   *
   * @throws EngineIoParseException on an empty string, an unknown type or bad base64
   */
  @Override
  public Packet decodePacket(String encoded) {
    if (encoded.isEmpty()) {
      throw new EngineIoParseException("empty packet");
    }
    char first = encoded.charAt(0);
    if (first == 'b') {
      if (encoded.length() < 2) {
        throw new EngineIoParseException("missing type in base64 packet");
      }
      PacketType type = PacketType.fromCode(encoded.charAt(1));
      return Packet.binary(type, EngineIoV4.decodeBase64(encoded, 2));
    }
    return TextPackets.decode(encoded, first);
  }

  /**
   * Decodes a WebSocket binary frame: the first byte is the packet type.
   *
   * @throws EngineIoParseException if the frame is empty or the type byte is unknown
   */
  @Override
  public Packet decodeBinaryFrame(byte[] frame) {
    if (frame.length == 0) {
      throw new EngineIoParseException("empty binary frame");
    }
    PacketType type = PacketType.fromCode(frame[0] + '0');
    byte[] data = new byte[frame.length - 1];
    System.arraycopy(frame, 1, data, 0, data.length);
    return Packet.binary(type, data);
  }

  @Override
  public String encodePayload(List<Packet> packets) {
    return encodePayloadAsString(packets);
  }

  /** The binary payload when any packet is binary, as the reference sends to a binary client. */
  @Override
  public Optional<byte[]> encodeBinaryPayload(List<Packet> packets) {
    return hasBinary(packets) ? Optional.of(encodePayloadAsBinary(packets)) : Optional.empty();
  }

  @Override
  public boolean acceptsBinaryPayload() {
    return true;
  }

  /** Encodes packets as a text payload ({@code <len>:<packet>}...), binary as base64. */
  public String encodePayloadAsString(List<Packet> packets) {
    if (packets.isEmpty()) {
      return EMPTY_PAYLOAD;
    }
    StringBuilder sb = new StringBuilder();
    for (Packet packet : packets) {
      String encoded = encodePacket(packet);
      sb.append(encoded.length()).append(':').append(encoded);
    }
    return sb.toString();
  }

  /** Encodes packets as a binary payload (used when the client supports binary). */
  public byte[] encodePayloadAsBinary(List<Packet> packets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Packet packet : packets) {
      byte[] body;
      if (packet.isBinary()) {
        out.write(1);
        body = encodeBinaryFrame(packet);
      } else {
        out.write(0);
        body = encodePacket(packet).getBytes(StandardCharsets.UTF_8);
      }
      String length = Integer.toString(body.length);
      for (int i = 0; i < length.length(); i++) {
        out.write(length.charAt(i) - '0');
      }
      out.write(0xff);
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** True when any packet has binary data, the case in which a binary payload is sent. */
  public boolean hasBinary(List<Packet> packets) {
    for (Packet packet : packets) {
      if (packet.isBinary()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Decodes a text payload. As in the reference, the whole payload is checked before any packet is
   * delivered: one malformed record rejects it all.
   *
   * @throws EngineIoParseException if the payload is empty or malformed
   */
  @Override
  public List<Packet> decodePayload(String payload) {
    if (payload.isEmpty()) {
      throw new EngineIoParseException("empty payload");
    }
    List<Packet> packets = new ArrayList<>();
    int i = 0;
    int n = payload.length();
    while (i < n) {
      int colon = payload.indexOf(':', i);
      if (colon < 0) {
        throw new EngineIoParseException("missing ':' after a record length");
      }
      int length = parseLength(payload, i, colon);
      int end = colon + 1 + length;
      if (end > n) {
        throw new EngineIoParseException("record length exceeds the payload");
      }
      if (length > 0) {
        packets.add(decodePacket(payload.substring(colon + 1, end)));
      }
      i = end;
    }
    return packets;
  }

  /**
   * Decodes a binary payload.
   *
   * @throws EngineIoParseException if the payload is malformed
   */
  public List<Packet> decodePayload(byte[] payload) {
    List<Packet> packets = new ArrayList<>();
    int i = 0;
    while (i < payload.length) {
      int kind = payload[i++];
      if (kind != 0 && kind != 1) {
        throw new EngineIoParseException("invalid record kind in binary payload");
      }
      long length = 0;
      int digits = 0;
      while (true) {
        if (i >= payload.length) {
          throw new EngineIoParseException("truncated length in binary payload");
        }
        int b = payload[i++] & 0xff;
        if (b == 0xff) {
          break;
        }
        if (b > 9 || ++digits > 10) {
          throw new EngineIoParseException("invalid length in binary payload");
        }
        length = length * 10 + b;
      }
      if (digits == 0 || length > payload.length - i) {
        throw new EngineIoParseException("invalid length in binary payload");
      }
      int len = (int) length;
      if (kind == 0) {
        packets.add(decodePacket(new String(payload, i, len, StandardCharsets.UTF_8)));
      } else {
        byte[] frame = new byte[len];
        System.arraycopy(payload, i, frame, 0, len);
        packets.add(decodeBinaryFrame(frame));
      }
      i += len;
    }
    return packets;
  }

  /** Streams {@link #decodePayload(String)} to a sink, after validating the whole payload. */
  @Override
  public void decodePayload(String payload, Consumer<Packet> sink) {
    decodePayload(payload).forEach(sink);
  }

  /** Streams {@link #decodePayload(byte[])} to a sink, after validating the whole payload. */
  @Override
  public void decodePayload(byte[] payload, Consumer<Packet> sink) {
    decodePayload(payload).forEach(sink);
  }

  @Override
  public String toString() {
    return "EngineIoCodec[v3]";
  }

  private static int parseLength(String payload, int from, int to) {
    if (from == to || to - from > 9) {
      throw new EngineIoParseException("invalid record length");
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = payload.charAt(i);
      if (c < '0' || c > '9') {
        throw new EngineIoParseException("invalid record length");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
