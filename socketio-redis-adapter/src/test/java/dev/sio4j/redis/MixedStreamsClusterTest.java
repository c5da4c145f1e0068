package dev.sio4j.redis;

import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The mixed cluster on {@code @socket.io/redis-streams-adapter} 0.3.1, recovery on everywhere. */
class MixedStreamsClusterTest extends MixedClusterTests {
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
  NodeClusterNode startNodeNode() {
    return NodeClusterNode.start(NodeClusterNode.REDIS_STREAMS, redis.uri());
  }

  @Override
  boolean recovery() {
    return true;
  }
}
