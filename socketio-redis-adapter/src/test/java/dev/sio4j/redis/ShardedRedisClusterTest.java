package dev.sio4j.redis;

import dev.sio4j.interop.RedisCluster;

/**
 * Two sio4j nodes on the sharded pub/sub adapter over a Redis Cluster of three masters: the
 * namespace channel, the answer channels and the room channels hash to different masters, so
 * publishing, subscribing and counting subscribers must each reach the right one.
 */
class ShardedRedisClusterTest extends TwoSioNodesTests {
  RedisCluster redisCluster;

  @Override
  AutoCloseable startRedis() {
    redisCluster = RedisCluster.start();
    return redisCluster;
  }

  @Override
  void roomReady(String room, int nodes) {
    ShardChannels.awaitRoom(redisCluster.ports(), room, nodes);
  }

  @Override
  RedisAdapterFactory factory() {
    return ShardedRedisAdapter.clusterFactory(redisCluster.uris());
  }
}
