package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.NodeClusterNode;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mixed cluster on the classic {@code createAdapter} of {@code @socket.io/redis-adapter}. */
class MixedClassicClusterTest extends MixedClusterTests {
  @Override
  RedisAdapterFactory factory() {
    return RedisAdapter.factory(redis.uri());
  }

  @Override
  NodeClusterNode startNodeNode() {
    return NodeClusterNode.start(NodeClusterNode.REDIS, redis.uri(), "{}");
  }

  /** ALL_ROOMS, a classic-only request, which the Node node answers too. */
  @Test
  void allRoomsSeesEveryNodeWithTheNodeNode() {
    assertEquals("ok", jsOnNode.call("join", "all-rooms-node").asText());
    assertEquals("ok", javaOnB.call("join", "all-rooms-b").asText());
    Set<String> rooms =
        Await.join(((RedisAdapter) a.server.sockets().adapter()).allRooms(), TestClient.WAIT);
    assertTrue(
        rooms.containsAll(
            Set.of("all-rooms-node", "all-rooms-b", jsOnNode.id(), javaOnNode.id(), javaOnB.id())),
        rooms.toString());
  }
}
