package dev.sio4j.redis;

import dev.sio4j.engineio.testing.Await;

/** Waiting for a test cluster to be formed. */
final class ClusterScenariosSupport {
  private ClusterScenariosSupport() {}

  /**
   * Waits until a fetch of every socket, from each of {@code from}, answers with every client of
   * the cluster: every node is subscribed and counted.
   */
  static void awaitClusterFormed(ClusterScenarios cluster, TestClient... from) {
    for (TestClient c : from) {
      Await.until(
          () -> ClusterScenarios.sortedIds(cluster.clients()).equals(c.call("ids", (Object) null)),
          TestClient.WAIT,
          "the cluster seen from " + c);
    }
  }
}
