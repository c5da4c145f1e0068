package dev.sio4j.socketio.parser;

import static dev.sio4j.socketio.parser.Fixtures.args;
import static dev.sio4j.socketio.parser.Fixtures.argsOf;
import static dev.sio4j.socketio.parser.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The packet model: factories, validation, binary detection. */
class SioPacketTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Test
  void packetTypeIdsMatchTheProtocol() {
    for (SioPacketType type : SioPacketType.values()) {
      assertEquals(type, SioPacketType.fromId(type.id()));
    }
    assertEquals(0, SioPacketType.CONNECT.id());
    assertEquals(6, SioPacketType.BINARY_ACK.id());
    assertTrue(SioPacketType.BINARY_EVENT.isBinary());
    assertFalse(SioPacketType.EVENT.isBinary());
    assertThrows(IllegalArgumentException.class, () -> SioPacketType.fromId(7));
    assertThrows(IllegalArgumentException.class, () -> SioPacketType.fromId(-1));
  }

  @Test
  void reservedEventsAreTheReferenceList() {
    assertEquals(
        Set.of(
            "connect",
            "connect_error",
            "disconnect",
            "disconnecting",
            "newListener",
            "removeListener"),
        SioPacket.RESERVED_EVENTS);
  }

  @Test
  void factoriesRejectWhatTheDecoderWouldReject() {
    assertThrows(IllegalArgumentException.class, () -> SioPacket.connect("/", json("[]")));
    assertThrows(IllegalArgumentException.class, () -> SioPacket.event("/", args("[]")));
    assertThrows(IllegalArgumentException.class, () -> SioPacket.event("/", args("[\"connect\"]")));
    assertThrows(IllegalArgumentException.class, () -> SioPacket.event("/", args("[true]")));
    assertThrows(IllegalArgumentException.class, () -> SioPacket.ack("/", args("[]"), -1));
    assertThrows(IllegalArgumentException.class, () -> SioPacket.event("/", args("[\"a\"]"), -2));
    assertThrows(IllegalArgumentException.class, () -> SioPacket.connectError("/", json("1")));
    assertThrows(
        IllegalArgumentException.class,
        () -> SioPacket.of(SioPacketType.DISCONNECT, "/", json("{}"), -1));
  }

  @Test
  void namespacesMustStartWithSlashAndHaveNoComma() {
    assertThrows(IllegalArgumentException.class, () -> SioPacket.disconnect("admin"));
    assertThrows(IllegalArgumentException.class, () -> SioPacket.disconnect(""));
    assertThrows(IllegalArgumentException.class, () -> SioPacket.disconnect("/a,b"));
    assertThrows(NullPointerException.class, () -> SioPacket.disconnect(null));
  }

  @Test
  void missingDataIsAbsent() {
    SioPacket p = SioPacket.connect("/", MissingNode.getInstance());
    assertTrue(p.data().isEmpty());
    assertEquals(SioPacket.connect("/"), p);
  }

  @Test
  void accessors() {
    SioPacket p = SioPacket.event("/chat", args("[\"m\",1]"), 4);
    assertEquals(SioPacketType.EVENT, p.type());
    assertEquals("/chat", p.namespace());
    assertEquals(4, p.ackId());
    assertTrue(p.hasAckId());
    assertEquals(args("[\"m\",1]"), p.data().orElseThrow());
    assertEquals("SioPacket{EVENT /chat ackId=4 [\"m\",1]}", p.toString());
    assertEquals(p.hashCode(), SioPacket.event("/chat", args("[\"m\",1]"), 4).hashCode());
  }

  @Test
  void hasBinaryFindsBinaryAtAnyDepth() {
    assertFalse(SioPacket.hasBinary(null));
    assertFalse(SioPacket.hasBinary(args("[\"a\",{\"b\":[1,2]}]")));
    assertTrue(SioPacket.hasBinary(argsOf("a", Map.of("b", new Object[] {1, new byte[] {1}}))));
    assertTrue(SioPacket.hasBinary(NODES.binaryNode(new byte[0])));
    assertTrue(SioPacket.hasBinary(NODES.arrayNode().addPOJO(new byte[] {1})));
    assertFalse(SioPacket.hasBinary(NODES.arrayNode().addPOJO("text")));
  }
}
