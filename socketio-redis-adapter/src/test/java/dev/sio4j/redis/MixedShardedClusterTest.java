package dev.sio4j.redis;

import dev.sio4j.interop.NodeClusterNode;
import java.util.List;

/** The mixed cluster on {@code createShardedAdapter} of {@code @socket.io/redis-adapter} 8.3.0. */
class MixedShardedClusterTest extends MixedClusterTests {
  @Override
  RedisAdapterFactory factory() {
    return ShardedRedisAdapter.factory(redis.uri());
  }

  @Override
  NodeClusterNode startNodeNode() {
    return NodeClusterNode.start(NodeClusterNode.REDIS_SHARDED, redis.uri());
  }

  @Override
  void roomReady(String room, int nodes) {
    ShardChannels.awaitRoom(List.of(redis.port()), room, nodes);
  }
}
