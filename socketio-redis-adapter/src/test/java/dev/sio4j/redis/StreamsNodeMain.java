package dev.sio4j.redis;

import java.io.IOException;

/**
 * A sio4j streams-adapter node in a JVM of its own, for the tests that kill a node: {@code
 * StreamsNodeMain <redis-uri>} prints {@code READY <port>} once it listens, and stops when its
 * stdin ends (the test is gone) or on SIGTERM (its shutdown hook closes the server, which saves the
 * sessions of its clients); SIGKILL stops it with nothing saved.
 */
public final class StreamsNodeMain {
  private StreamsNodeMain() {}

  public static void main(String[] args) throws IOException {
    SioNode node = SioNode.start(RedisStreamsAdapter.factory(args[0]), true);
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
