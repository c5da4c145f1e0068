package dev.sio4j.redis;

import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A mixed cluster: two sio4j nodes and one Node {@code socket.io} 4.8 node with the matching
 * official adapter, on the same Redis. Clients of both kinds on both kinds of node: a Java and a JS
 * client on sio4j node A, a Java client on sio4j node B, a JS and a Java client on the Node node.
 * Every operation is started on a sio4j node and on the Node node, and checked on every client. One
 * cluster serves the whole class (each operation uses rooms of its own, and disconnections kick
 * clients of their own), so that the Node processes start once.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MixedClusterTests {
  /** The Redis server, unless {@link #startRedis} is overridden for another kind. */
  RedisServer redis;

  SioNode a;
  SioNode b;
  NodeClusterNode node;
  TestClient javaOnA;
  TestClient jsOnA;
  TestClient javaOnB;
  TestClient jsOnNode;
  TestClient javaOnNode;
  ClusterScenarios cluster;
  private final Resources opened = new Resources();

  /** Starts the Redis the cluster runs on; it is closed after everything else. */
  AutoCloseable startRedis() {
    redis = RedisServer.start();
    return redis;
  }

  abstract RedisAdapterFactory factory();

  abstract NodeClusterNode startNodeNode();

  boolean recovery() {
    return false;
  }

  void roomReady(String room, int nodes) {}

  @BeforeAll
  void startCluster() {
    track(startRedis());
    a = track(SioNode.start(factory(), recovery()));
    b = track(SioNode.start(factory(), recovery()));
    node = track(startNodeNode());
    javaOnA = track(JavaTestClient.connect(a.port()));
    jsOnA = track(JsTestClient.connect(a.port()));
    javaOnB = track(JavaTestClient.connect(b.port()));
    jsOnNode = track(JsTestClient.connect(node.port()));
    javaOnNode = track(JavaTestClient.connect(node.port()));
    cluster =
        new ClusterScenarios(
            List.of(javaOnA, jsOnA, javaOnB, jsOnNode, javaOnNode), this::roomReady);
    ClusterScenariosSupport.awaitClusterFormed(cluster, javaOnA, javaOnB, jsOnNode);
  }

  @AfterAll
  void stopCluster() throws Exception {
    opened.close();
  }

  <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
  }

  @Test
  void broadcastsToAllToRoomsExceptAndFromASocket() {
    cluster.broadcastToAll(javaOnA);
    cluster.broadcastToAll(jsOnNode);
    cluster.broadcastToRoom(javaOnB, List.of(jsOnA, javaOnNode));
    cluster.broadcastToRoom(jsOnNode, List.of(javaOnA, jsOnNode, javaOnB));
    cluster.broadcastExcept(jsOnA, List.of(javaOnA, javaOnB, jsOnNode), List.of(jsOnNode));
    cluster.broadcastExcept(javaOnNode, List.of(jsOnA, javaOnB), List.of(javaOnA, javaOnB));
    cluster.broadcastFromSocket(javaOnA);
    cluster.broadcastFromSocket(jsOnNode);
    cluster.broadcastToOneSocket(javaOnA, javaOnNode);
    cluster.broadcastToOneSocket(jsOnNode, javaOnB);
  }

  @Test
  void binaryArgumentsSurviveEveryWay() {
    cluster.binarySurvives(javaOnA);
    cluster.binarySurvives(jsOnA);
    cluster.binarySurvives(jsOnNode);
    cluster.binarySurvives(javaOnNode);
  }

  @Test
  void broadcastsWithAcksCollectFromEveryNode() {
    cluster.broadcastWithAcks(javaOnA, List.of(jsOnA, jsOnNode));
    cluster.broadcastWithAcks(jsOnNode, List.of(javaOnB, javaOnNode, javaOnA));
  }

  @Test
  void fetchSocketsSocketsJoinAndLeave() {
    cluster.fetchSockets(javaOnB, List.of(jsOnA, javaOnNode));
    cluster.fetchSockets(jsOnNode, List.of(javaOnA, javaOnB, jsOnNode));
    cluster.socketsJoinAndLeave(javaOnA, List.of(javaOnB, jsOnNode));
    cluster.socketsJoinAndLeave(javaOnNode, List.of(jsOnA, javaOnNode));
  }

  @Test
  void serverSideEmitWithAndWithoutAcks() {
    cluster.serverSideEmit(jsOnA);
    cluster.serverSideEmit(jsOnNode);
    cluster.serverSideEmitWithAck(javaOnB);
    cluster.serverSideEmitWithAck(jsOnNode);
  }

  @Test
  void disconnectSocketsStartedOnASio4jNode() throws Exception {
    try (Resources doomed = new Resources()) {
      cluster.disconnectSockets(
          javaOnB,
          List.of(
              doomed.track(JsTestClient.connect(node.port())),
              doomed.track(JavaTestClient.connect(a.port()))));
    }
  }

  @Test
  void disconnectSocketsStartedOnTheNodeNode() throws Exception {
    try (Resources doomed = new Resources()) {
      cluster.disconnectSockets(
          jsOnNode,
          List.of(
              doomed.track(JsTestClient.connect(a.port())),
              doomed.track(JavaTestClient.connect(b.port())),
              doomed.track(JavaTestClient.connect(node.port()))));
    }
  }
}
