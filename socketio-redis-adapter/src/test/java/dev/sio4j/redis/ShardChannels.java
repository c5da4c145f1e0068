package dev.sio4j.redis;

import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.RedisServer;
import java.time.Duration;
import java.util.List;

/** Subscriber counts of sharded channels, asked of every master (each counts its own slots). */
final class ShardChannels {
  private ShardChannels() {}

  static long subscribers(List<Integer> ports, String channel) {
    long n = 0;
    for (int port : ports) {
      Object reply = RedisServer.commandAt(port, "PUBSUB", "SHARDNUMSUB", channel);
      n += (Long) ((List<?>) reply).get(1);
    }
    return n;
  }

  /** Waits until the room's channel of namespace {@code /} has {@code nodes} subscribers. */
  static void awaitRoom(List<Integer> ports, String room, int nodes) {
    String channel = "socket.io#/#" + room + "#";
    Await.until(
        () -> subscribers(ports, channel) >= nodes,
        Duration.ofSeconds(10),
        nodes + " subscribers of " + channel);
  }
}
