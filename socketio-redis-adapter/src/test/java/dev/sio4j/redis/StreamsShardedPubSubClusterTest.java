package dev.sio4j.redis;

/** Two sio4j nodes on the streams adapter with its requests on sharded pub/sub. */
class StreamsShardedPubSubClusterTest extends TwoSioNodesTests {
  @Override
  RedisAdapterFactory factory() {
    return RedisStreamsAdapter.factory(
        redis.uri(), RedisStreamsAdapterOptions.builder().useShardedPubSub(true).build());
  }

  @Override
  boolean recovery() {
    return true;
  }
}
