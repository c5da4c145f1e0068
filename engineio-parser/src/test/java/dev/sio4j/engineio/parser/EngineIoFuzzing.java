package dev.sio4j.engineio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The contract every fuzz target of an {@link EngineIoCodec} checks: whatever a peer sends, each
 * decoding entry point returns packets or throws the documented {@link EngineIoParseException},
 * nothing else; and what it returns encodes into what decodes to the same packets again, since the
 * server answers with its own encoding of what it read (a v3 ping's data comes back in the pong). A
 * hang is caught by the fuzzer's per-input timeout.
 *
 * <p>An input is the wire bytes after one byte naming the entry point, so that seed files read as
 * what they test: {@code p} a text packet (a WebSocket text frame), {@code f} a WebSocket binary
 * frame, {@code t} a text polling payload, {@code b} a binary polling payload; any other first byte
 * picks one by its value. Text is decoded from UTF-8 as the server does before decoding.
 *
 * <p>Thread-safety: stateless.
 */
final class EngineIoFuzzing {
  private EngineIoFuzzing() {}

  static void decodeAnything(EngineIoCodec codec, byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] wire = Arrays.copyOfRange(input, 1, input.length);
    String text = new String(wire, StandardCharsets.UTF_8);
    try {
      switch (input[0]) {
        case 'p' -> singlePacket(codec, codec.decodePacket(text));
        case 'f' -> binaryFrame(codec, codec.decodeBinaryFrame(wire));
        case 't' -> textPayload(codec, codec.decodePayload(text));
        case 'b' -> binaryPayload(codec, wire);
        default -> {
          switch ((input[0] & 0xff) % 4) {
            case 0 -> singlePacket(codec, codec.decodePacket(text));
            case 1 -> binaryFrame(codec, codec.decodeBinaryFrame(wire));
            case 2 -> textPayload(codec, codec.decodePayload(text));
            default -> binaryPayload(codec, wire);
          }
        }
      }
    } catch (EngineIoParseException expected) {
      // The documented answer to malformed input; the server closes with "parse error".
    }
  }

  private static void singlePacket(EngineIoCodec codec, Packet packet) {
    assertEquals(packet, codec.decodePacket(codec.encodePacket(packet)));
  }

  private static void binaryFrame(EngineIoCodec codec, Packet packet) {
    assertTrue(packet.isBinary(), "a binary frame decodes to a binary packet");
    assertEquals(packet, codec.decodeBinaryFrame(codec.encodeBinaryFrame(packet)));
  }

  private static void textPayload(EngineIoCodec codec, List<Packet> packets) {
    assertEquals(packets, codec.decodePayload(codec.encodePayload(packets)));
  }

  private static void binaryPayload(EngineIoCodec codec, byte[] payload) {
    List<Packet> packets = new ArrayList<>();
    codec.decodePayload(payload, packets::add);
    assertTrue(codec.acceptsBinaryPayload(), "a codec without binary payloads accepted one");
    List<Packet> again = new ArrayList<>();
    codec
        .encodeBinaryPayload(packets)
        .ifPresentOrElse(
            bytes -> codec.decodePayload(bytes, again::add),
            () -> again.addAll(codec.decodePayload(codec.encodePayload(packets))));
    assertEquals(packets, again);
  }
}
