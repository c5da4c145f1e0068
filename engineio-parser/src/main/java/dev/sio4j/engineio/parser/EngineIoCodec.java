package dev.sio4j.engineio.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The wire format of one Engine.IO protocol revision: single packets (text and WebSocket binary
 * frames), HTTP long-polling payloads, and the one behaviour besides the format in which the
 * revisions differ, the direction of the heartbeat. A connection picks its codec once, at the
 * handshake ({@link #v4()}, or {@link #v3()} for legacy clients), and never asks which revision it
 * speaks again.
 *
 * <p>What the two revisions share: a text packet is {@code <type digit><data>} in both, so its
 * UTF-8 form ({@link #encodePacketUtf8(Packet)}) is the same bytes whichever codec made it. What
 * differs: binary packets (v3 keeps the type in a binary frame and after {@code b} in base64 form),
 * polling payloads (v4 joins packets with {@code \x1e}; v3 prefixes lengths and has a binary
 * payload form), and who pings (the server in v4, the client in v3).
 *
 * <p>Thread-safety: implementations are stateless; every method may be called from any thread.
 */
public interface EngineIoCodec {

  /** Who sends the {@code ping} packets of a session. Thread-safety: immutable. */
  enum Heartbeat {
    /** v4: the server pings every {@code pingInterval}; the client answers with a pong. */
    SERVER_PINGS,
    /** v3: the client pings; the server answers at once with a pong carrying the same data. */
    CLIENT_PINGS
  }

  /** The codec of protocol v4, the current one. */
  static EngineIoCodec v4() {
    return EngineIoV4.INSTANCE;
  }

  /** The codec of protocol v3 (Socket.IO 2.x clients). */
  static EngineIoCodec v3() {
    return EngineIoV3.INSTANCE;
  }

  /** The protocol revision, as sent in the {@code EIO} query parameter. */
  int protocol();

  /** Who pings in this revision. */
  Heartbeat heartbeat();

  // ---- single packets ------------------------------------------------------------------------

  /** Encodes a packet as text; binary data becomes base64 after a {@code b}. */
  String encodePacket(Packet packet);

  /**
   * The UTF-8 bytes of a text packet's encoding, as one WebSocket text frame carries them. The same
   * in every revision; computed once per packet and then returned again (a packet broadcast to many
   * connections is encoded once), so callers must not modify the array.
   *
   * @throws IllegalArgumentException for a binary packet
   */
  byte[] encodePacketUtf8(Packet packet);

  /**
   * Decodes one text-encoded packet (a WebSocket text frame or one record of a polling payload).
   *
   * @throws EngineIoParseException if the text is empty, the type is unknown, or the base64 data is
   *     malformed
   */
  Packet decodePacket(String encoded);

  /**
   * The payload of the WebSocket binary frame that carries a binary packet. May be the packet's own
   * array (v4): callers must not modify it.
   */
  byte[] encodeBinaryFrame(Packet packet);

  /**
   * Decodes the payload of a WebSocket binary frame.
   *
   * @throws EngineIoParseException if the frame is not a valid packet in this revision
   */
  Packet decodeBinaryFrame(byte[] frame);

  // ---- polling payloads ----------------------------------------------------------------------

  /** Encodes packets as one text polling payload, binary packets in base64. */
  String encodePayload(List<Packet> packets);

  /**
   * The binary form of a polling payload, for a client that accepts binary responses: present only
   * when this revision has one and uses it for these packets (v3 with any binary packet).
   */
  Optional<byte[]> encodeBinaryPayload(List<Packet> packets);

  /**
   * Decodes a text polling payload, handing the packets to {@code sink} in order. Where a malformed
   * record is found differs as in the reference: v4 delivers the packets before it, v3 checks the
   * whole payload before delivering any.
   *
   * @throws EngineIoParseException on a malformed payload
   */
  void decodePayload(String payload, Consumer<Packet> sink);

  /** Decodes a text polling payload into a list. */
  default List<Packet> decodePayload(String payload) {
    List<Packet> packets = new ArrayList<>();
    decodePayload(payload, packets::add);
    return packets;
  }

  /** Whether a client may send a binary polling payload ({@code application/octet-stream}). */
  boolean acceptsBinaryPayload();

  /**
   * Decodes a binary polling payload, after checking all of it.
   *
   * @throws EngineIoParseException if the payload is malformed or this revision has no binary
   *     payloads
   */
  void decodePayload(byte[] payload, Consumer<Packet> sink);
}
