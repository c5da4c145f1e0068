package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sio4j.interop.RedisServer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node with a Redis adapter starts without Lettuce's warning about finding both native
 * transports: sio4j puts Netty's io_uring transport on the class path next to epoll, and Lettuce
 * warns at its first client when it finds both and nothing says which to use. The node runs in a
 * child JVM so that Lettuce's transport choice is made there, fresh, as in an application.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LettuceTransportTest {

  @Test
  void nodeStartsWithoutTheTransportWarning() throws Exception {
    try (RedisServer redis = RedisServer.start();
        ChildNode node = ChildNode.start("sharded", redis.uri())) {
      node.terminate();
      String log = Files.readString(node.log);
      assertFalse(log.contains("io_uring"), "the node's log mentions io_uring:\n" + log);
    }
  }
}
