package dev.sio4j.socketio.parser.msgpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.SocketIoParseException;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the msgpack decoder. The contract checked: whatever binary message a
 * peer sends, the decoder returns a packet or throws the documented {@link SocketIoParseException}
 * (deep nesting included: never a stack overflow), and a packet it returns is never a BINARY_* type
 * and encodes into a message that decodes to the same packet header. The input is one binary
 * Engine.IO message. Seeds and past findings are kept under {@code
 * MsgpackDecoderFuzzTestInputs/decode}: a plain test run replays them, the build's fuzz execution
 * mutates them for a bounded time.
 */
class MsgpackDecoderFuzzTest {
  @FuzzTest(maxDuration = "15s")
  void decode(byte[] message) {
    MsgpackParser parser = MsgpackParser.create();
    SioPacket packet;
    try {
      Optional<SioPacket> decoded = parser.newDecoder().add(message);
      packet = decoded.orElseThrow(() -> new AssertionError("a msgpack message is one packet"));
    } catch (SocketIoParseException expected) {
      return; // the documented answer: the server closes the connection
    }
    assertFalse(packet.type().isBinary(), packet.toString());
    EncodedSioPacket encoded = parser.encode(packet);
    SioPacketDecoder again = parser.newDecoder();
    SioPacket back =
        again
            .add(encoded.binary(0))
            .orElseThrow(() -> new AssertionError("no packet from " + encoded));
    assertEquals(packet.type(), back.type(), packet.toString());
    assertEquals(packet.namespace(), back.namespace(), packet.toString());
    assertEquals(packet.ackId(), back.ackId(), packet.toString());
    assertEquals(packet.data().isPresent(), back.data().isPresent(), packet.toString());
  }
}
