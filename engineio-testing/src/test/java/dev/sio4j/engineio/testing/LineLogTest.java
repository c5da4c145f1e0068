package dev.sio4j.engineio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LineLogTest {
  private static final Duration SHORT = Duration.ofMillis(100);

  @Test
  void aKeyIsTheWholeLineUnlessItEndsWithAColon() {
    assertTrue(LineLog.matches("connect", "connect"));
    assertFalse(LineLog.matches("connect_error:refused", "connect"));
    assertTrue(LineLog.matches("disconnect:io server disconnect", "disconnect:"));
    assertFalse(LineLog.matches("disconnect", "disconnect:"));
  }

  @Test
  void awaitTakesLinesByKeyInOrder() {
    LineLog log = new LineLog();
    log.add("connect_error:refused");
    log.add("connect");
    log.add("disconnect:transport close");
    log.add("disconnect:io server disconnect");
    assertEquals("connect", log.await("connect", SHORT));
    assertEquals("disconnect:transport close", log.await("disconnect:", SHORT));
    assertEquals("disconnect:io server disconnect", log.await("disconnect:", SHORT));
    AssertionError e = assertThrows(AssertionError.class, () -> log.await("connect", SHORT));
    assertTrue(
        e.getMessage().startsWith("no line 'connect' within PT0.1S; recorded ["), e.getMessage());
    assertEquals(
        List.of("disconnect:transport close", "disconnect:io server disconnect"),
        log.lines("disconnect:"));
  }

  @Test
  void itRemembersTheThreadsThatRecorded() {
    LineLog log = new LineLog();
    log.add("here");
    Await.join(
        CompletableFuture.runAsync(
            () -> log.add("there"),
            r -> {
              Thread t = new Thread(r, "elsewhere");
              t.start();
            }));
    assertEquals(Set.of(Thread.currentThread().getName(), "elsewhere"), log.threads());
  }

  @Test
  void assertNoLineSeesOnlyLinesNotTaken() {
    LineLog log = new LineLog();
    log.add("x");
    assertThrows(AssertionError.class, () -> log.assertNoLine("x", SHORT));
    log.await("x");
    log.assertNoLine("x", Duration.ofMillis(20));
  }
}
