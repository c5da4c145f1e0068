package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisStreamsAdapterOptionsTest {
  @Test
  void defaultsAreTheReferences() {
    RedisStreamsAdapterOptions o = RedisStreamsAdapterOptions.defaults();
    assertEquals("socket.io", o.streamName());
    assertEquals(1, o.streamCount());
    assertEquals("socket.io", o.channelPrefix());
    assertEquals(false, o.useShardedPubSub());
    assertEquals(10_000, o.maxLen());
    assertEquals(100, o.readCount());
    assertEquals(Duration.ofSeconds(5), o.blockTime());
    assertEquals("sio:session:", o.sessionKeyPrefix());
    assertEquals(false, o.onlyPlaintext());
    assertEquals(Duration.ofSeconds(5), o.requestsTimeout());
    assertEquals("socket.io", o.streamOf("/anything"));
  }

  /** Expected values computed with the reference's hashCode() in Node, negative ones included. */
  @Test
  void namespacesMapToStreamsAsInTheReference() {
    RedisStreamsAdapterOptions o = RedisStreamsAdapterOptions.builder().streamCount(3).build();
    assertEquals("socket.io-2", o.streamOf("/"));
    assertEquals("socket.io-1", o.streamOf("/chat"));
    assertEquals("socket.io-1", o.streamOf("/admin"));
    assertEquals("socket.io-2", o.streamOf("/é€😀"));
    assertEquals("socket.io--2", o.streamOf("/notifications"));
    assertEquals("socket.io--1", o.streamOf("/zzzzzzzz"));
  }

  @Test
  void badValuesAreRefused() {
    RedisStreamsAdapterOptions.Builder b = RedisStreamsAdapterOptions.builder();
    assertThrows(IllegalArgumentException.class, () -> b.streamCount(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxLen(0));
    assertThrows(IllegalArgumentException.class, () -> b.readCount(0));
    assertThrows(IllegalArgumentException.class, () -> b.blockTime(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.streamName(""));
  }
}
