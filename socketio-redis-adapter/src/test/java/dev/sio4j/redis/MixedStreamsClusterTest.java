package dev.sio4j.redis;

import dev.sio4j.interop.NodeClusterNode;

/** The mixed cluster on {@code @socket.io/redis-streams-adapter} 0.3.1, recovery on everywhere. */
class MixedStreamsClusterTest extends MixedClusterTests {
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
