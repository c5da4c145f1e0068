package dev.sio4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three-master cluster fixture: formed, ok everywhere, sharded pub/sub usable, gone after. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterTest {

  @Test
  void threeMastersServeEverySlotAndShardedPubSub() throws Exception {
    List<Long> pids;
    try (RedisCluster cluster = RedisCluster.start()) {
      pids = cluster.nodes().stream().map(RedisServer::pid).toList();
      assertEquals(3, cluster.uris().size());
      for (RedisServer node : cluster.nodes()) {
        String info = (String) node.command("CLUSTER", "INFO");
        assertTrue(info.contains("cluster_state:ok"), info);
        assertTrue(info.contains("cluster_slots_assigned:16384"), info);
        String nodes = (String) node.command("CLUSTER", "NODES");
        long masters = nodes.lines().filter(line -> line.contains("master")).count();
        assertEquals(3, masters, nodes);
        for (int port : cluster.ports()) {
          assertTrue(nodes.contains("127.0.0.1:" + port + "@"), nodes);
        }
      }

      // A shard channel lives on the master owning its slot: subscribe there, then count there.
      String channel = "socket.io#/#";
      long slot = (Long) cluster.nodes().get(0).command("CLUSTER", "KEYSLOT", channel);
      RedisServer owner = ownerOf(cluster, slot);
      try (Socket subscriber = new Socket()) {
        subscriber.connect(new InetSocketAddress("127.0.0.1", owner.port()), 5_000);
        subscriber.setSoTimeout(5_000);
        OutputStream out = subscriber.getOutputStream();
        InputStream in = subscriber.getInputStream();
        out.write(Resp.encode("SSUBSCRIBE", channel));
        out.flush();
        assertEquals(List.of("ssubscribe", channel, 1L), Resp.read(in));
        assertEquals(List.of(channel, 1L), owner.command("PUBSUB", "SHARDNUMSUB", channel));
        assertEquals(1L, owner.command("SPUBLISH", channel, "hello"));
        assertEquals(List.of("smessage", channel, "hello"), Resp.read(in));
      }
    }
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
  }

  private static RedisServer ownerOf(RedisCluster cluster, long slot) {
    List<?> ranges = (List<?>) cluster.nodes().get(0).command("CLUSTER", "SLOTS");
    for (Object entry : ranges) {
      List<?> range = (List<?>) entry;
      if ((Long) range.get(0) <= slot && slot <= (Long) range.get(1)) {
        long port = (Long) ((List<?>) range.get(2)).get(1);
        return cluster.nodes().stream().filter(n -> n.port() == port).findFirst().orElseThrow();
      }
    }
    throw new AssertionError("no owner for slot " + slot);
  }
}
