package dev.sio4j.redis;

import java.io.IOException;

/**
 * A sio4j cluster node in a JVM of its own, for the tests that kill or freeze a node: {@code
 * ClusterNodeMain streams|sharded <redis-uri>} prints {@code READY <port>} once it listens, and
 * stops when its stdin ends (the test is gone) or on SIGTERM (its shutdown hook closes the server,
 * which saves the sessions of its clients with the streams adapter); SIGKILL stops it with nothing
 * saved.
 */
public final class ClusterNodeMain {
  private ClusterNodeMain() {}

  public static void main(String[] args) throws IOException {
    boolean streams = args[0].equals("streams");
    SioNode node =
        SioNode.start(
            streams ? RedisStreamsAdapter.factory(args[1]) : ShardedRedisAdapter.factory(args[1]),
            streams);
    StreamsRecoveryTest.dataHandler(node);
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    System.out.println("READY " + node.port());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Until the test closes our stdin or goes away.
    }
    System.exit(0);
  }
}
