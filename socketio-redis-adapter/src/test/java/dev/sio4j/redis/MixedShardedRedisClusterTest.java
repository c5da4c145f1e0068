package dev.sio4j.redis;

import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The sharded mixed cluster over a Redis Cluster of three masters (the Node node's createCluster).
 */
class MixedShardedRedisClusterTest extends MixedClusterTests {
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
  RedisAdapterFactory factory() {
    return ShardedRedisAdapter.clusterFactory(redis.uris());
  }

  @Override
  NodeClusterNode startNodeNode() {
    return NodeClusterNode.start(NodeClusterNode.REDIS_SHARDED, redis.uris(), "{}");
  }

  @Override
  boolean recovery() {
    return false;
  }

  @Override
  void roomReady(String room, int nodes) {
    ShardChannels.awaitRoom(redis.ports(), room, nodes);
  }
}
