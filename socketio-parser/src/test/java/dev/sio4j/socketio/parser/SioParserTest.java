package dev.sio4j.socketio.parser;

import static dev.sio4j.socketio.parser.Fixtures.argsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.engineio.parser.Packet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser SPI: the JSON parser behind it, and the frames of an encoded packet. */
class SioParserTest {

  @Test
  void jsonParserEncodesTextThenAttachmentsAndDecodesThemBack() {
    SioParser parser = SioParser.json();
    byte[] bytes = {1, 2};
    SioPacket packet = SioPacket.event("/", argsOf("e", bytes), 4);

    EncodedSioPacket encoded = parser.encode(packet);

    assertEquals(2, encoded.frameCount());
    assertTrue(encoded.isText(0));
    assertEquals("51-4[\"e\",{\"_placeholder\":true,\"num\":0}]", encoded.text(0));
    assertFalse(encoded.isText(1));
    assertArrayEquals(bytes, encoded.binary(1));
    SioPacketDecoder decoder = parser.newDecoder();
    assertTrue(decoder.add(encoded.text(0)).isEmpty());
    assertEquals(packet, decoder.add(encoded.binary(1)).orElseThrow());
  }

  @Test
  void eachConnectionGetsItsOwnDecoder() {
    SioParser parser = SioParser.json(new ObjectMapper(), 1);
    SioPacketDecoder a = parser.newDecoder();
    SioPacketDecoder b = parser.newDecoder();
    assertNotSame(a, b);
    assertTrue(a.add("51-[\"e\",{\"_placeholder\":true,\"num\":0}]").isEmpty());
    // b is not reconstructing anything: a's pending header is a's alone.
    assertEquals("2[\"x\"]", SioParser.json().encode(b.add("2[\"x\"]").orElseThrow()).text(0));
  }

  @Test
  void jsonParserAppliesItsAttachmentLimit() {
    SioPacketDecoder decoder = SioParser.json(new ObjectMapper(), 1).newDecoder();
    SocketIoParseException e =
        assertThrows(
            SocketIoParseException.class,
            () -> decoder.add("52-[\"e\",{\"_placeholder\":true,\"num\":0}]"));
    assertEquals("too many attachments", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SioParser.json(new ObjectMapper(), -1));
  }

  @Test
  void framesAreTextOrBinaryInOrder() {
    byte[] bin = {9};
    EncodedSioPacket encoded = EncodedSioPacket.ofFrames(List.of("a", bin, "b"));
    assertEquals(3, encoded.frameCount());
    assertEquals("a", encoded.text(0));
    assertSame(bin, encoded.binary(1));
    assertEquals("b", encoded.text(2));
    assertThrows(IllegalStateException.class, () -> encoded.binary(0));
    assertThrows(IllegalStateException.class, () -> encoded.text(1));
    assertThrows(IndexOutOfBoundsException.class, () -> encoded.isText(3));
    assertThrows(IllegalArgumentException.class, () -> EncodedSioPacket.ofFrames(List.of()));
    assertThrows(IllegalArgumentException.class, () -> EncodedSioPacket.ofFrames(List.of(1)));
    assertEquals("a + <1 bytes> + b", encoded.toString());
  }

  @Test
  void theFirstFramesEnginePacketIsMadeOnceForBroadcasts() {
    byte[] bin = {7};
    EncodedSioPacket text = EncodedSioPacket.of("2[\"x\"]", List.of(bin));
    Packet first = text.enginePacket(0);
    assertSame(first, text.enginePacket(0));
    assertEquals(Packet.message("2[\"x\"]"), first);
    assertSame(bin, text.enginePacket(1).binaryData());

    EncodedSioPacket binary = EncodedSioPacket.ofBinary(bin);
    assertEquals(1, binary.frameCount());
    assertSame(bin, binary.enginePacket(0).binaryData());
  }
}
