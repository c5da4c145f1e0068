package dev.sio4j.redis;

import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisCluster;

/**
 * The sharded mixed cluster over a Redis Cluster of three masters (the Node node's createCluster).
 */
class MixedShardedRedisClusterTest extends MixedClusterTests {
  RedisCluster redisCluster;

  @Override
  AutoCloseable startRedis() {
    redisCluster = RedisCluster.start();
    return redisCluster;
  }

  @Override
  RedisAdapterFactory factory() {
    return ShardedRedisAdapter.clusterFactory(redisCluster.uris());
  }

  @Override
  NodeClusterNode startNodeNode() {
    return NodeClusterNode.start(NodeClusterNode.REDIS_SHARDED, redisCluster.uris(), "{}");
  }

  @Override
  void roomReady(String room, int nodes) {
    ShardChannels.awaitRoom(redisCluster.ports(), room, nodes);
  }
}
