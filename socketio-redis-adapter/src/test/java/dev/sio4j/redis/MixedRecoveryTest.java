package dev.sio4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.server.RemoteSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection state recovery between sio4j and Node nodes on the streams adapter: a client (JS or
 * Java) of a node that stops recovers on a node of the other kind, with its id, rooms, data and the
 * events broadcast meanwhile (by a sio4j node), once and in order. The node stops gracefully (its
 * sockets disconnect with "server shutting down", which saves their sessions, in both
 * implementations); a node killed outright saves nothing, in both.
 */
@Timeout(120)
class MixedRecoveryTest {
  private static final byte[] BYTES = {7, 0, (byte) 0x80, 9};
  private static final String FAST_JS_RECONNECT =
      "{\"transports\":[\"websocket\"],\"reconnectionDelay\":50,"
          + "\"reconnectionDelayMax\":200,\"randomizationFactor\":0}";

  static RedisServer redis;
  private final Resources opened = new Resources();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    opened.close();
  }

  private <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
  }

  private SioNode sio4jNode() {
    SioNode node = track(SioNode.start(RedisStreamsAdapter.factory(redis.uri()), true));
    StreamsRecoveryTest.dataHandler(node);
    return node;
  }

  private static TestClient java(int port) {
    return JavaTestClient.connect(
        port,
        b ->
            b.reconnectionDelay(Duration.ofMillis(50))
                .reconnectionDelayMax(Duration.ofMillis(200))
                .randomizationFactor(0));
  }

  private static TestClient js(int port) {
    return JsTestClient.connect(port, FAST_JS_RECONNECT);
  }

  @Test
  void aJsClientOfAStoppedSio4jNodeRecoversOnTheNodeNode() {
    fromSio4jToNode(MixedRecoveryTest::js);
  }

  @Test
  void aJavaClientOfAStoppedSio4jNodeRecoversOnTheNodeNode() {
    fromSio4jToNode(MixedRecoveryTest::java);
  }

  @Test
  void aJsClientOfAStoppedNodeNodeRecoversOnASio4jNode() {
    fromNodeToSio4j(MixedRecoveryTest::js);
  }

  @Test
  void aJavaClientOfAStoppedNodeNodeRecoversOnASio4jNode() {
    fromNodeToSio4j(MixedRecoveryTest::java);
  }

  private void fromSio4jToNode(IntFunction<TestClient> connect) {
    SioNode dying = sio4jNode();
    SioNode broadcaster = sio4jNode();
    NodeClusterNode target =
        track(NodeClusterNode.start(NodeClusterNode.REDIS_STREAMS, redis.uri()));
    SwitchingProxy proxy = track(new SwitchingProxy(dying.port()));
    TestClient client = track(connect.apply(proxy.port()));
    TestClient other = track(JavaTestClient.connect(broadcaster.port()));
    assertEquals("ok", client.call("setData", "bob").asText());
    String id = away(client, other);
    // Nowhere to reconnect to meanwhile, not even the node while it closes.
    proxy.switchTo(0);
    dying.close();
    missed(client, other);
    proxy.switchTo(target.port());
    back(client, other, id);
    RemoteSocket remote =
        Await.join(broadcaster.server.fetchSockets()).stream()
            .filter(s -> s.id().equals(id))
            .findFirst()
            .orElseThrow();
    assertEquals("bob", remote.data().path("name").asText(), "data restored by the Node node");
  }

  private void fromNodeToSio4j(IntFunction<TestClient> connect) {
    NodeClusterNode dying =
        track(NodeClusterNode.start(NodeClusterNode.REDIS_STREAMS, redis.uri()));
    SioNode target = sio4jNode();
    SwitchingProxy proxy = track(new SwitchingProxy(dying.port()));
    TestClient client = track(connect.apply(proxy.port()));
    TestClient other = track(JavaTestClient.connect(target.port()));
    String id = away(client, other);
    // Nowhere to reconnect to meanwhile, not even the node while it closes.
    proxy.switchTo(0);
    // Graceful, as a deployment stops a node (NodeClusterNode.close() is a SIGTERM, which a Node
    // process dies of at once, saving nothing).
    dying.script().send("{\"cmd\":\"close\"}");
    dying.script().awaitExit(Duration.ofSeconds(10));
    missed(client, other);
    proxy.switchTo(target.port());
    back(client, other, id);
    RemoteSocket remote =
        Await.join(target.server.fetchSockets()).stream()
            .filter(s -> s.id().equals(id))
            .findFirst()
            .orElseThrow();
    assertTrue(remote.rooms().contains("r"), "rooms " + remote.rooms());
    assertTrue(remote.data().isObject(), "data " + remote.data());
  }

  /** In room r, one event received (so an offset), both clients seen by the cluster. */
  private static String away(TestClient client, TestClient other) {
    assertEquals("ok", client.call("join", "r").asText());
    Await.until(
        () -> other.call("ids", (Object) null).size() == 2, Duration.ofSeconds(10), "cluster");
    other.emit("pub", "r", "before");
    awaitTick(client, "before");
    return client.id();
  }

  private static void missed(TestClient client, TestClient other) {
    assertEquals("transport close", client.awaitDisconnect());
    other.emit("pub", "r", "m1");
    other.emit("pubAll", "m2");
    other.emit("pub", "elsewhere", "not-for-it");
    other.emit("pubExcept", null, "r", "not-for-it-either");
    other.emit("pub", "r", "m3", BYTES);
    other.emit("pubAll", "m4");
    awaitTick(other, "m4");
  }

  private static void back(TestClient client, TestClient other, String id) {
    assertTrue(client.awaitReconnect(), "not recovered");
    assertEquals(id, client.id());
    List<JsonNode> args = new ArrayList<>();
    for (String tag : List.of("m1", "m2", "m3", "m4")) {
      args.add(awaitTick(client, tag));
    }
    assertEquals(
        Base64.getEncoder().encodeToString(BYTES), args.get(2).get(1).path("$binary").asText());
    assertTrue(client.call("rooms").toString().contains("\"r\""), "rooms");
    other.emit("pub", "r", "after");
    awaitTick(client, "after");
    List<String> all = new ArrayList<>();
    client.all("tick").forEach(a -> all.add(a.get(0).asText()));
    assertEquals(List.of("before", "m1", "m2", "m3", "m4", "after"), all);
  }

  private static JsonNode awaitTick(TestClient c, String tag) {
    for (int i = 0; i < 10_000; i++) {
      JsonNode args = c.await("tick");
      if (tag.equals(args.get(0).asText())) {
        return args;
      }
    }
    throw new AssertionError("no tick " + tag);
  }
}
