package dev.sio4j.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTypeTest {
  @Test
  void theWireNumbersAreTheReferences() {
    assertEquals(
        List.of(
            "INITIAL_HEARTBEAT=1",
            "HEARTBEAT=2",
            "BROADCAST=3",
            "SOCKETS_JOIN=4",
            "SOCKETS_LEAVE=5",
            "DISCONNECT_SOCKETS=6",
            "FETCH_SOCKETS=7",
            "FETCH_SOCKETS_RESPONSE=8",
            "SERVER_SIDE_EMIT=9",
            "SERVER_SIDE_EMIT_RESPONSE=10",
            "BROADCAST_CLIENT_COUNT=11",
            "BROADCAST_ACK=12",
            "ADAPTER_CLOSE=13"),
        Arrays.stream(MessageType.values()).map(t -> t + "=" + t.code()).toList());
    for (MessageType t : MessageType.values()) {
      assertEquals(t, MessageType.fromCode(t.code()));
    }
    assertThrows(IllegalArgumentException.class, () -> MessageType.fromCode(0));
    assertThrows(IllegalArgumentException.class, () -> MessageType.fromCode(14));
  }
}
