package dev.sio4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The harness's own guarantees: bounded waits, useful failures, nothing left running. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeScriptTest {

  @Test
  void interopDirHoldsTheScriptsAndInstalledPackages() {
    assertTrue(Files.isDirectory(NodeScript.interopDir().resolve("js")));
    assertTrue(Files.isDirectory(NodeScript.interopDir().resolve("node_modules/socket.io")));
  }

  @Test
  void timeoutFailureCarriesTheTranscript() {
    try (NodeServer server = NodeServer.engineIo()) {
      AssertionError error =
          assertThrows(
              AssertionError.class, () -> server.script().await("never", Duration.ofMillis(300)));
      assertTrue(error.getMessage().contains("\"event\":\"listening\""), error.getMessage());
    }
  }

  @Test
  void awaitFailsFastWhenTheScriptEnds() {
    // Without a URL the client script throws at once; the wait must not sit out its timeout.
    try (NodeScript script = NodeScript.start("engineio-client.mjs")) {
      long start = System.nanoTime();
      AssertionError error =
          assertThrows(AssertionError.class, () -> script.await("open", Duration.ofSeconds(30)));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
      assertTrue(error.getMessage().contains("usage"), error.getMessage());
    }
  }

  @Test
  void closeStopsTheProcess() {
    NodeServer server = NodeServer.socketIo();
    server.close();
    assertFalse(server.script().isAlive());
  }

  @Test
  void eventsAreHandedOutInOrderEvenAfterTheyArrived() {
    try (NodeServer server = NodeServer.engineIo();
        NodeScript client = NodeScript.start("engineio-client.mjs", server.url(), "websocket")) {
      client.await("open", Duration.ofSeconds(10));
      for (int i = 0; i < 3; i++) {
        client.send("{\"cmd\":\"send\",\"text\":\"m" + i + "\"}");
      }
      client.await("message", m -> m.path("text").asText().equals("m2"), Duration.ofSeconds(10));
      // All three arrived before these awaits; the filtered await above consumed them.
      assertEquals(3, client.events("message").size());
    }
  }
}
