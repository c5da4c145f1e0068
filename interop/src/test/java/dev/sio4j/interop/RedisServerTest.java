package dev.sio4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Redis fixture against a real redis-server: ready on return, crashable, restartable. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisServerTest {

  @Test
  void startsReadyAndKillRestartKeepsThePort() {
    try (RedisServer redis = RedisServer.start()) {
      assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
      assertEquals("PONG", redis.command("PING"));
      assertEquals("OK", redis.command("SET", "k", "välue"));
      assertEquals("välue", redis.command("GET", "k"));
      assertEquals(RedisServer.NIL, redis.command("GET", "missing"));
      assertEquals(2L, redis.command("RPUSH", "l", "a", "b"));
      assertEquals(List.of("a", "b"), redis.command("LRANGE", "l", "0", "-1"));
      assertThrows(RedisServer.ReplyException.class, () -> redis.command("NOSUCHCOMMAND"));

      long pid = redis.pid();
      redis.kill();
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      assertFalse(redis.isRunning());
      UncheckedIOException down =
          assertThrows(UncheckedIOException.class, () -> redis.command("PING"));
      assertInstanceOf(ConnectException.class, down.getCause());

      redis.restart();
      assertEquals("PONG", redis.command("PING"));
      // No persistence: a restarted server starts empty.
      assertEquals(RedisServer.NIL, redis.command("GET", "k"));

      redis.stop();
      assertThrows(UncheckedIOException.class, () -> redis.command("PING"));
      redis.restart();
      assertEquals("PONG", redis.command("PING"));
    }
  }

  @Test
  void closeStopsTheProcessAndDeletesItsDirectory() {
    RedisServer redis = RedisServer.start();
    long pid = redis.pid();
    Path dir = redis.dir();
    assertTrue(Files.isDirectory(dir));
    redis.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(Files.exists(dir));
    assertThrows(UncheckedIOException.class, () -> redis.command("PING"));
    redis.close();
  }

  @Test
  void aStartupFailureSaysWhy() {
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> RedisServer.start("--no-such-option", "x"));
    assertTrue(error.getMessage().contains("redis.log"), error.getMessage());
  }
}
