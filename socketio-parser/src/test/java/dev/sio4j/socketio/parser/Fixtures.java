package dev.sio4j.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Shared helpers for the parser tests. */
final class Fixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ArrayNode args(String jsonArray) {
    return (ArrayNode) json(jsonArray);
  }

  /** An array of arbitrary Java values, converted as a user's emit would be. */
  static ArrayNode argsOf(Object... values) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Object value : values) {
      array.add(MAPPER.valueToTree(value));
    }
    return array;
  }

  static SioPacket decodeOne(String text) {
    Optional<SioPacket> packet = new SioDecoder().add(text);
    assertTrue(packet.isPresent(), "packet should be complete: " + text);
    return packet.get();
  }

  /** Feeds an encoded packet through a fresh decoder and returns the decoded packet. */
  static SioPacket decode(EncodedSioPacket encoded) {
    SioDecoder decoder = new SioDecoder();
    Optional<SioPacket> result = decoder.add(encoded.text(0));
    for (int i = 1; i < encoded.frameCount(); i++) {
      assertTrue(result.isEmpty(), "completed before attachment " + (i - 1));
      result = decoder.add(encoded.binary(i));
    }
    assertTrue(result.isPresent(), "incomplete after all attachments: " + encoded);
    assertTrue(!decoder.isReconstructing());
    return result.get();
  }

  static void assertEncodes(String expected, SioPacket packet) {
    EncodedSioPacket encoded = new SioEncoder().encode(packet);
    assertEquals(expected, encoded.text(0));
    assertEquals(1, encoded.frameCount());
  }
}
