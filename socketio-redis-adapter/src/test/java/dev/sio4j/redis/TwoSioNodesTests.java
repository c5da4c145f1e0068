package dev.sio4j.redis;

import dev.sio4j.interop.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Every cluster operation on two sio4j nodes sharing a Redis through one adapter kind, with two
 * Java clients on each node; each operation is started from both nodes. Subclasses say which
 * adapter and which Redis. One cluster serves the whole class: each operation uses rooms of its
 * own, and disconnections kick clients of their own.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoSioNodesTests {
  /** The Redis server, unless {@link #startRedis} is overridden for another kind. */
  RedisServer redis;

  SioNode nodeA;
  SioNode nodeB;
  TestClient a1;
  TestClient a2;
  TestClient b1;
  TestClient b2;
  ClusterScenarios cluster;
  private final Resources opened = new Resources();

  /** Starts the Redis the cluster runs on; it is closed after everything else. */
  AutoCloseable startRedis() {
    redis = RedisServer.start();
    return redis;
  }

  /** A new adapter factory, as each process of a cluster has its own. */
  abstract RedisAdapterFactory factory();

  /** Node B's factory: by default like node A's. */
  RedisAdapterFactory factoryB() {
    return factory();
  }

  /**
   * Waits until a room joined on {@code nodes} nodes can be broadcast to (see ClusterScenarios).
   */
  void roomReady(String room, int nodes) {}

  /** Whether the nodes run connection state recovery. */
  boolean recovery() {
    return false;
  }

  @BeforeAll
  void startCluster() {
    track(startRedis());
    nodeA = track(SioNode.start(factory(), recovery()));
    nodeB = track(SioNode.start(factoryB(), recovery()));
    a1 = track(JavaTestClient.connect(nodeA.port()));
    a2 = track(JavaTestClient.connect(nodeA.port()));
    b1 = track(JavaTestClient.connect(nodeB.port()));
    b2 = track(JavaTestClient.connect(nodeB.port()));
    cluster = new ClusterScenarios(List.of(a1, a2, b1, b2), this::roomReady);
    // The nodes see each other once both have subscribed: a fetch from each answers with all.
    ClusterScenariosSupport.awaitClusterFormed(cluster, a1, b1);
  }

  @AfterAll
  void stopCluster() throws Exception {
    opened.close();
  }

  <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
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
  void broadcastToOneSocketReachesItOnly() {
    cluster.broadcastToOneSocket(a1, b2);
    cluster.broadcastToOneSocket(b1, a2);
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
  void disconnectSocketsReachesEveryNode() throws Exception {
    try (Resources doomed = new Resources()) {
      cluster.disconnectSockets(
          a1,
          List.of(
              doomed.track(JavaTestClient.connect(nodeA.port())),
              doomed.track(JavaTestClient.connect(nodeB.port()))));
    }
  }

  @Test
  void disconnectSocketsFromTheOtherNode() throws Exception {
    try (Resources doomed = new Resources()) {
      cluster.disconnectSockets(
          b2,
          List.of(
              doomed.track(JavaTestClient.connect(nodeA.port())),
              doomed.track(JavaTestClient.connect(nodeA.port()))));
    }
  }
}
