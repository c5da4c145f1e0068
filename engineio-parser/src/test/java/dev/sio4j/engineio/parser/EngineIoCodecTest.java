package dev.sio4j.engineio.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a connection learns from its {@link EngineIoCodec} instead of asking which protocol it
 * speaks: the revision, the heartbeat direction, and the wire format differences, each through the
 * one interface.
 */
class EngineIoCodecTest {
  private static final EngineIoCodec V4 = EngineIoCodec.v4();
  private static final EngineIoCodec V3 = EngineIoCodec.v3();

  @Test
  void eachRevisionHasOneCodec() {
    assertSame(EngineIoV4.INSTANCE, V4);
    assertSame(EngineIoV3.INSTANCE, V3);
    assertEquals(4, V4.protocol());
    assertEquals(3, V3.protocol());
  }

  @Test
  void theServerPingsInV4AndTheClientInV3() {
    assertEquals(EngineIoCodec.Heartbeat.SERVER_PINGS, V4.heartbeat());
    assertEquals(EngineIoCodec.Heartbeat.CLIENT_PINGS, V3.heartbeat());
  }

  @Test
  void textPacketsAreTheSameBytesInBothRevisions() {
    for (Packet p :
        List.of(Packet.message("héllo 😀"), Packet.PING_PROBE, Packet.NOOP, Packet.message(""))) {
      assertEquals(V4.encodePacket(p), V3.encodePacket(p));
      assertArrayEquals(V4.encodePacketUtf8(p), V3.encodePacketUtf8(p));
    }
    // cached on the packet: a broadcast's bytes are made once, whichever codec asks first
    Packet shared = Packet.message("shared");
    assertSame(V3.encodePacketUtf8(shared), V4.encodePacketUtf8(shared));
  }

  @Test
  void binaryFramesCarryTheTypeOnlyInV3() {
    Packet p = Packet.binary(new byte[] {1, 2});
    assertArrayEquals(new byte[] {1, 2}, V4.encodeBinaryFrame(p));
    assertArrayEquals(new byte[] {4, 1, 2}, V3.encodeBinaryFrame(p));
    assertEquals(p, V4.decodeBinaryFrame(new byte[] {1, 2}));
    assertEquals(p, V3.decodeBinaryFrame(new byte[] {4, 1, 2}));
    assertEquals("bAQI=", V4.encodePacket(p));
    assertEquals("b4AQI=", V3.encodePacket(p));
  }

  @Test
  void onlyV3HasBinaryPollingPayloads() {
    List<Packet> withBinary = List.of(Packet.message("a"), Packet.binary(new byte[] {7}));
    assertEquals(Optional.empty(), V4.encodeBinaryPayload(withBinary));
    assertArrayEquals(
        new byte[] {0, 2, (byte) 0xff, '4', 'a', 1, 2, (byte) 0xff, 4, 7},
        V3.encodeBinaryPayload(withBinary).orElseThrow());
    // text only: the text form, in both revisions
    assertEquals(Optional.empty(), V3.encodeBinaryPayload(List.of(Packet.message("a"))));
    assertFalse(V4.acceptsBinaryPayload());
    assertTrue(V3.acceptsBinaryPayload());
    assertThrows(
        EngineIoParseException.class,
        () -> V4.decodePayload(new byte[] {0, 1, (byte) 0xff}, p -> {}));
    List<Packet> decoded = new ArrayList<>();
    V3.decodePayload(
        new byte[] {0, 2, (byte) 0xff, '4', 'a', 1, 2, (byte) 0xff, 4, 7}, decoded::add);
    assertEquals(withBinary, decoded);
  }

  @Test
  void textPayloadsAreFramedDifferently() {
    List<Packet> packets = List.of(Packet.message("a"), Packet.message("€"));
    assertEquals("4a\u001e4€", V4.encodePayload(packets));
    assertEquals("2:4a2:4€", V3.encodePayload(packets));
    assertEquals(packets, V4.decodePayload("4a\u001e4€"));
    assertEquals(packets, V3.decodePayload("2:4a2:4€"));
    assertEquals("", V4.encodePayload(List.of()));
    assertEquals("0:", V3.encodePayload(List.of()));
  }

  @Test
  void aMalformedRecordStopsV4AfterTheGoodOnesAndV3BeforeAny() {
    List<Packet> v4 = new ArrayList<>();
    assertThrows(EngineIoParseException.class, () -> V4.decodePayload("4a\u001e9x", v4::add));
    assertEquals(List.of(Packet.message("a")), v4);
    List<Packet> v3 = new ArrayList<>();
    assertThrows(EngineIoParseException.class, () -> V3.decodePayload("2:4a2:9x", v3::add));
    assertEquals(List.of(), v3);
  }

  @Test
  void transportNamesAreMatchedExactlyAsOnTheWire() {
    assertEquals(Optional.of(TransportType.POLLING), TransportType.fromWireName("polling"));
    assertEquals(Optional.of(TransportType.WEBSOCKET), TransportType.fromWireName("websocket"));
    assertEquals(
        Optional.of(TransportType.WEBTRANSPORT), TransportType.fromWireName("webtransport"));
    assertEquals("websocket", TransportType.WEBSOCKET.wireName());
    assertEquals("polling", TransportType.POLLING.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"WebSocket", "POLLING", " polling", "polling ", "WebTransport", "", "x"})
  void anyOtherTransportNameIsUnknown(String name) {
    assertEquals(Optional.empty(), TransportType.fromWireName(name));
  }

  @Test
  void aMissingTransportNameIsUnknown() {
    assertEquals(Optional.empty(), TransportType.fromWireName(null));
  }
}
