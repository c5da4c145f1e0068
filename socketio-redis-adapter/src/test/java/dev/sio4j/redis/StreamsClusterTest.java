package dev.sio4j.redis;

/** Two sio4j nodes on the Redis Streams adapter, connection state recovery on. */
class StreamsClusterTest extends TwoSioNodesTests {
  @Override
  RedisAdapterFactory factory() {
    return RedisStreamsAdapter.factory(redis.uri());
  }

  @Override
  boolean recovery() {
    return true;
  }
}
