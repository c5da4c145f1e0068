package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streams adapter's options against the Node adapter with the same ones: several streams (the
 * namespace hashed to the same one), sharded pub/sub for requests, other stream name and channel
 * prefix.
 */
@Timeout(120)
class StreamsOptionsInteropTest {
  private final Resources opened = new Resources();

  @AfterEach
  void closeAll() throws Exception {
    opened.close();
  }

  private <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
  }

  @Test
  void threeStreamsShardedPubSubAndOtherNamesWorkWithTheNodeAdapter() {
    RedisServer redis = track(RedisServer.start());
    RedisStreamsAdapterOptions options =
        RedisStreamsAdapterOptions.builder()
            .streamName("events")
            .streamCount(3)
            .channelPrefix("app")
            .useShardedPubSub(true)
            .build();
    SioNode a = track(SioNode.start(RedisStreamsAdapter.factory(redis.uri(), options), true));
    NodeClusterNode node =
        track(
            NodeClusterNode.start(
                NodeClusterNode.REDIS_STREAMS,
                redis.uri(),
                "{\"adapter\":{\"streamName\":\"events\",\"streamCount\":3,"
                    + "\"channelPrefix\":\"app\",\"useShardedPubSub\":true}}"));
    TestClient javaOnA = track(JavaTestClient.connect(a.port()));
    TestClient jsOnNode = track(JsTestClient.connect(node.port()));
    ClusterScenarios cluster = new ClusterScenarios(List.of(javaOnA, jsOnNode));
    ClusterScenariosSupport.awaitClusterFormed(cluster, javaOnA, jsOnNode);
    cluster.broadcastToAll(javaOnA);
    cluster.broadcastToAll(jsOnNode);
    cluster.broadcastWithAcks(javaOnA, List.of(jsOnNode));
    cluster.broadcastWithAcks(jsOnNode, List.of(javaOnA));
    cluster.fetchSockets(jsOnNode, List.of(javaOnA));
    cluster.serverSideEmitWithAck(javaOnA);
    cluster.serverSideEmitWithAck(jsOnNode);
    // "/" hashes to stream 2 of 3, on both sides.
    assertEquals("stream", redis.command("TYPE", "events-2"));
    assertTrue((Long) redis.command("XLEN", "events-2") > 0);
    assertEquals("none", redis.command("TYPE", "socket.io"));
  }
}
