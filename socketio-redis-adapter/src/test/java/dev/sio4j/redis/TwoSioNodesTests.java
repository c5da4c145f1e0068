package dev.sio4j.redis;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every cluster operation on two sio4j nodes sharing a Redis through one adapter kind, with two
 * Java clients on each node; each operation is started from both nodes. Subclasses say which
 * adapter and which Redis.
 */
@Timeout(120)
abstract class TwoSioNodesTests {
  SioNode nodeA;
  SioNode nodeB;
  TestClient a1;
  TestClient a2;
  TestClient b1;
  TestClient b2;
  ClusterScenarios cluster;
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** A new adapter factory, as each process of a cluster has its own. */
  abstract RedisAdapterFactory factory();

  /**
   * Waits until a room joined on {@code nodes} nodes can be broadcast to (see ClusterScenarios).
   */
  void roomReady(String room, int nodes) {}

  /** Whether the nodes run connection state recovery. */
  boolean recovery() {
    return false;
  }

  @BeforeEach
  void startCluster() {
    nodeA = track(SioNode.start(factory(), recovery()));
    nodeB = track(SioNode.start(factory(), recovery()));
    a1 = track(JavaTestClient.connect(nodeA.port()));
    a2 = track(JavaTestClient.connect(nodeA.port()));
    b1 = track(JavaTestClient.connect(nodeB.port()));
    b2 = track(JavaTestClient.connect(nodeB.port()));
    cluster = new ClusterScenarios(List.of(a1, a2, b1, b2), this::roomReady);
    // The nodes see each other once both have subscribed: a fetch from each answers with all.
    ClusterScenariosSupport.awaitClusterFormed(cluster, a1, b1);
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
  void broadcastToAllReachesEveryClientOnce() {
    cluster.broadcastToAll(a1);
    cluster.broadcastToAll(b2);
  }

  @Test
  void broadcastToARoomReachesItsMembersOnly() {
    cluster.broadcastToRoom(a1, List.of(a2, b1));
    cluster.broadcastToRoom(b1, List.of(a1, b1));
  }

  @Test
  void broadcastExceptLeavesTheRoomOut() {
    cluster.broadcastExcept(a1, List.of(a1, b1, b2), List.of(b2));
    cluster.broadcastExcept(b2, List.of(a2, b1), List.of(a1, b1));
  }

  @Test
  void socketBroadcastReachesEveryoneButTheSender() {
    cluster.broadcastFromSocket(a1);
    cluster.broadcastFromSocket(b1);
  }

  @Test
  void binaryArgumentsSurvive() {
    cluster.binarySurvives(a2);
    cluster.binarySurvives(b2);
  }

  @Test
  void broadcastWithAcksCollectsFromEveryNode() {
    cluster.broadcastWithAcks(a1, List.of(a2, b1));
    cluster.broadcastWithAcks(b2, List.of(a1, b1, b2));
  }

  @Test
  void fetchSocketsSeesEveryNode() {
    cluster.fetchSockets(a1, List.of(a1, b2));
    cluster.fetchSockets(b1, List.of(a2));
  }

  @Test
  void socketsJoinAndLeaveReachEveryNode() {
    cluster.socketsJoinAndLeave(a1, List.of(a2, b1));
    cluster.socketsJoinAndLeave(b2, List.of(a1, b2));
  }

  @Test
  void serverSideEmitReachesTheOtherNodes() {
    cluster.serverSideEmit(a1);
    cluster.serverSideEmit(b1);
    cluster.serverSideEmitWithAck(a2);
    cluster.serverSideEmitWithAck(b2);
  }

  @Test
  void disconnectSocketsReachesEveryNode() {
    cluster.disconnectSockets(a1, List.of(a2, b1));
  }

  @Test
  void disconnectSocketsFromTheOtherNode() {
    cluster.disconnectSockets(b2, List.of(a1, a2));
  }
}
