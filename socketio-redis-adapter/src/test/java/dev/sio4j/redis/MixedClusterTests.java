package dev.sio4j.redis;

import dev.sio4j.interop.NodeClusterNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A mixed cluster: two sio4j nodes and one Node {@code socket.io} 4.8 node with the matching
 * official adapter, on the same Redis. Clients of both kinds on both kinds of node: a Java and a JS
 * client on sio4j node A, a Java client on sio4j node B, a JS and a Java client on the Node node.
 * Every operation is started on a sio4j node and on the Node node, and checked on every client.
 */
@Timeout(180)
abstract class MixedClusterTests {
  SioNode a;
  SioNode b;
  NodeClusterNode node;
  TestClient javaOnA;
  TestClient jsOnA;
  TestClient javaOnB;
  TestClient jsOnNode;
  TestClient javaOnNode;
  ClusterScenarios cluster;
  private final List<AutoCloseable> opened = new ArrayList<>();

  abstract RedisAdapterFactory factory();

  abstract NodeClusterNode startNodeNode();

  abstract boolean recovery();

  void roomReady(String room, int nodes) {}

  @BeforeEach
  void startCluster() {
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

  @AfterEach
  void stopCluster() throws Exception {
    Exception first = null;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    opened.clear();
    if (first != null) {
      throw first;
    }
  }

  <T extends AutoCloseable> T track(T resource) {
    opened.add(resource);
    return resource;
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
  void disconnectSocketsStartedOnASio4jNode() {
    cluster.disconnectSockets(javaOnB, List.of(jsOnNode, javaOnA));
  }

  @Test
  void disconnectSocketsStartedOnTheNodeNode() {
    cluster.disconnectSockets(jsOnNode, List.of(jsOnA, javaOnB, javaOnNode));
  }
}
