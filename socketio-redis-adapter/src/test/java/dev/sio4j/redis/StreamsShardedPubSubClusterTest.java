package dev.sio4j.redis;

import dev.sio4j.interop.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two sio4j nodes on the streams adapter with its requests on sharded pub/sub. */
class StreamsShardedPubSubClusterTest extends TwoSioNodesTests {
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
    return RedisStreamsAdapter.factory(
        redis.uri(), RedisStreamsAdapterOptions.builder().useShardedPubSub(true).build());
  }

  @Override
  boolean recovery() {
    return true;
  }
}
