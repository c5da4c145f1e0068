package dev.sio4j.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.engineio.testing.Concurrently;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnceAckTest {
  private static final class Recording extends OnceAck {
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());

    Recording() {
      super(new ObjectMapper());
    }

    @Override
    protected void deliver(ArrayNode data) {
      sent.add(data.toString());
    }
  }

  @Test
  void onlyTheFirstSendIsDelivered() {
    Recording ack = new Recording();
    assertTrue(ack.requested());
    ack.send("a", 1);
    ack.send("b");
    assertEquals(List.of("[\"a\",1]"), ack.sent);
  }

  @Test
  void anArgumentTheMapperRefusesLeavesTheAckUnsent() {
    Recording ack = new Recording();
    assertThrows(IllegalArgumentException.class, () -> ack.send(new Object()));
    ack.send("retry");
    assertEquals(List.of("[\"retry\"]"), ack.sent);
  }

  @Test
  void racingSendsDeliverOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      Recording ack = new Recording();
      Concurrently.run(4, t -> ack.send(t));
      assertEquals(1, ack.sent.size());
    }
  }
}
