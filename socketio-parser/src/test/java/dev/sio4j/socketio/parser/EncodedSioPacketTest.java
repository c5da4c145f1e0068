package dev.sio4j.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedSioPacketTest {

  @Test
  void byteLengthCountsTextInUtf8AndAttachmentsAsTheyAre() {
    String text = "51-[\"é\",\"€\",\"\uD83C\uDF0D\",{\"_placeholder\":true,\"num\":0}]";
    EncodedSioPacket packet = EncodedSioPacket.of(text, List.of(new byte[] {1, 2, 3}));
    assertEquals(text.getBytes(StandardCharsets.UTF_8).length + 3, packet.byteLength());
    assertEquals(packet.byteLength(), packet.byteLength()); // measured once, then kept
  }

  @Test
  void byteLengthOfASingleBinaryFrameIsItsLength() {
    assertEquals(5, EncodedSioPacket.ofBinary(new byte[5]).byteLength());
  }

  @Test
  void anUnpairedSurrogateCountsAsTheOneByteItIsEncodedAs() {
    String text = "2[\"\uD83C\"]";
    assertEquals(
        text.getBytes(StandardCharsets.UTF_8).length, EncodedSioPacket.ofText(text).byteLength());
  }
}
