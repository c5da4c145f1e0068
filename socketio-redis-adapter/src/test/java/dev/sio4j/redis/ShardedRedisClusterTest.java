package dev.sio4j.redis;

import dev.sio4j.interop.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Two sio4j nodes on the sharded pub/sub adapter over a Redis Cluster of three masters: the
 * namespace channel, the answer channels and the room channels hash to different masters, so
 * publishing, subscribing and counting subscribers must each reach the right one.
 */
class ShardedRedisClusterTest extends TwoSioNodesTests {
  static RedisCluster redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisCluster.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  void roomReady(String room, int nodes) {
    ShardChannels.awaitRoom(redis.ports(), room, nodes);
  }

  @Override
  RedisAdapterFactory factory() {
    return ShardedRedisAdapter.clusterFactory(redis.uris());
  }
}
