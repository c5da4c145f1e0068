package dev.sio4j.redis;

import java.util.List;

/** Two sio4j nodes on the sharded pub/sub adapter (dynamic subscriptions) on one Redis 7. */
class ShardedClusterTest extends TwoSioNodesTests {
  @Override
  void roomReady(String room, int nodes) {
    ShardChannels.awaitRoom(List.of(redis.port()), room, nodes);
  }

  @Override
  RedisAdapterFactory factory() {
    return ShardedRedisAdapter.factory(redis.uri());
  }
}
