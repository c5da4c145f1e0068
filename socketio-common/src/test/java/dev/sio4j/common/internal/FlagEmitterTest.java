package dev.sio4j.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.common.Arguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FlagEmitterTest {
  private record Emitted(String data, EmitFlags flags, CompletableFuture<Arguments> ack) {}

  private final List<Emitted> emitted = new ArrayList<>();
  private final FlagEmitter emitter =
      new FlagEmitter(
          (array, flags, ack) -> emitted.add(new Emitted(array.toString(), flags, ack)),
          new ObjectMapper(),
          EmitFlags.DEFAULT);

  @Test
  void flagsMakeNewEmittersAndLeaveTheOriginalAlone() {
    FlagEmitter flagged = emitter.volatile_().compress(false).timeout(Duration.ofSeconds(2));
    flagged.emit("a", 1);
    emitter.emit("b");
    EmitFlags f = emitted.get(0).flags();
    assertTrue(f.isVolatile());
    assertFalse(f.compress());
    assertEquals(Optional.of(Duration.ofSeconds(2)), f.timeout());
    assertSame(EmitFlags.DEFAULT, emitted.get(1).flags());
    assertEquals("[\"a\",1]", emitted.get(0).data());
    assertNull(emitted.get(0).ack());
  }

  @Test
  void emitWithAckHandsOverTheFutureItReturns() {
    CompletableFuture<Arguments> f = emitter.emitWithAck("q", "x");
    assertSame(f, emitted.get(0).ack());
    assertEquals("[\"q\",\"x\"]", emitted.get(0).data());
  }

  @Test
  void reservedNamesAndNegativeTimeoutsAreRefusedOnTheCallersThread() {
    assertThrows(IllegalArgumentException.class, () -> emitter.emit("disconnect"));
    assertThrows(IllegalArgumentException.class, () -> emitter.emitWithAck("connect"));
    assertThrows(IllegalArgumentException.class, () -> emitter.timeout(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> emitter.timeout(null));
    assertTrue(emitted.isEmpty());
  }
}
