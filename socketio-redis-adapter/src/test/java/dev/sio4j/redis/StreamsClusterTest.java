package dev.sio4j.redis;

import dev.sio4j.interop.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two sio4j nodes on the Redis Streams adapter, connection state recovery on. */
class StreamsClusterTest extends TwoSioNodesTests {
  static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  RedisAdapterFactory factory() {
    return RedisStreamsAdapter.factory(redis.uri());
  }

  @Override
  boolean recovery() {
    return true;
  }
}
