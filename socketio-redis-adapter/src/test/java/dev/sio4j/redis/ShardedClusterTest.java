package dev.sio4j.redis;

import dev.sio4j.interop.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two sio4j nodes on the sharded pub/sub adapter (dynamic subscriptions) on one Redis 7. */
class ShardedClusterTest extends TwoSioNodesTests {
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
  void roomReady(String room, int nodes) {
    ShardChannels.awaitRoom(List.of(redis.port()), room, nodes);
  }

  @Override
  RedisAdapterFactory factory() {
    return ShardedRedisAdapter.factory(redis.uri());
  }
}
