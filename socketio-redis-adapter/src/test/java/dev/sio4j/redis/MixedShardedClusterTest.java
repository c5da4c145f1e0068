package dev.sio4j.redis;

import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The mixed cluster on {@code createShardedAdapter} of {@code @socket.io/redis-adapter} 8.3.0. */
class MixedShardedClusterTest extends MixedClusterTests {
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
    return ShardedRedisAdapter.factory(redis.uri());
  }

  @Override
  NodeClusterNode startNodeNode() {
    return NodeClusterNode.start(NodeClusterNode.REDIS_SHARDED, redis.uri());
  }

  @Override
  boolean recovery() {
    return false;
  }

  @Override
  void roomReady(String room, int nodes) {
    ShardChannels.awaitRoom(List.of(redis.port()), room, nodes);
  }
}
