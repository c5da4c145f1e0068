package dev.sio4j.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the default JSON decoder, binary reconstruction included. The contract
 * checked: whatever messages a peer sends, {@link SioDecoder#add} returns a packet, nothing yet, or
 * throws the documented {@link SocketIoParseException}, and after {@link SioDecoder#reset()}
 * decoding goes on; a packet it returns is a valid one (never a BINARY_* type, a payload its type
 * allows) that the encoder writes back into messages the decoder reads as the same packet header. A
 * hang is caught by the fuzzer's per-input timeout.
 *
 * <p>An input is a sequence of Engine.IO messages separated by NUL bytes: one starting with {@code
 * b} is a binary message (the bytes after the {@code b}), one starting with {@code t} the text
 * after it, any other the text it is (UTF-8, decoded as the server decodes a frame). Seeds and past
 * findings are kept under {@code SioDecoderFuzzTestInputs/decode}: a plain test run replays them,
 * the build's fuzz execution mutates them for a bounded time.
 */
class SioDecoderFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void decode(byte[] input) {
    SioDecoder decoder = new SioDecoder();
    for (byte[] message : split(input)) {
      Optional<SioPacket> packet;
      try {
        if (message.length > 0 && message[0] == 'b') {
          packet = decoder.add(Arrays.copyOfRange(message, 1, message.length));
        } else {
          int from = message.length > 0 && message[0] == 't' ? 1 : 0;
          packet =
              decoder.add(new String(message, from, message.length - from, StandardCharsets.UTF_8));
        }
      } catch (SocketIoParseException expected) {
        // The documented answer: the server closes the connection; a decoder can go on after a
        // reset.
        decoder.reset();
        continue;
      }
      packet.ifPresent(SioDecoderFuzzTest::checkDecoded);
    }
  }

  private static void checkDecoded(SioPacket packet) {
    assertFalse(packet.type().isBinary(), packet.toString());
    assertTrue(SioPacket.isPayloadValid(packet.type(), packet.dataOrNull()), packet.toString());
    EncodedSioPacket encoded = SioEncoder.defaultEncoder().encode(packet);
    SioDecoder again = new SioDecoder();
    Optional<SioPacket> decoded = Optional.empty();
    for (int i = 0; i < encoded.frameCount(); i++) {
      assertFalse(decoded.isPresent(), "a packet before the last frame of " + encoded);
      decoded = encoded.isText(i) ? again.add(encoded.text(i)) : again.add(encoded.binary(i));
    }
    SioPacket back = decoded.orElseThrow(() -> new AssertionError("incomplete: " + encoded));
    // Numbers may change form (1.0 is written 1), so the header is compared, not the tree.
    assertEquals(packet.type(), back.type(), encoded.toString());
    assertEquals(packet.namespace(), back.namespace(), encoded.toString());
    assertEquals(packet.ackId(), back.ackId(), encoded.toString());
    assertEquals(packet.data().isPresent(), back.data().isPresent(), encoded.toString());
  }

  private static List<byte[]> split(byte[] input) {
    List<byte[]> messages = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length || input[i] == 0) {
        messages.add(Arrays.copyOfRange(input, start, i));
        start = i + 1;
      }
    }
    return messages;
  }
}
