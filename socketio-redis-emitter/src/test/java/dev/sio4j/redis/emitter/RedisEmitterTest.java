package dev.sio4j.redis.emitter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.NodeClusterNode;
import dev.sio4j.interop.NodeRedisEmitter;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.redis.RedisAdapter;
import dev.sio4j.redis.RedisAdapterFactory;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.testing.ClusterApp;
import dev.sio4j.testing.EventRecorder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The emitter against the official one: the bytes it publishes are
 * {@code @socket.io/redis-emitter}'s (golden vectors from {@code interop/js/redis-vectors.mjs},
 * captured here from a real Redis); it drives a cluster of a sio4j node and a Node {@code
 * socket.io} node with the official adapter; and the official Node emitter drives the sio4j node
 * the same way.
 *
 * <p>One Redis, the two nodes and their Java clients serve the whole class.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisEmitterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final AtomicInteger FENCES = new AtomicInteger();

  private static RedisServer redis;
  private static RedisAdapterFactory factory;
  private static SocketIoServer sio;
  private static NodeClusterNode node;
  private static RedisEmitter emitter;
  private static NodeRedisEmitter nodeEmitter;
  private static final List<Client> clients = new ArrayList<>();
  private static Client s1; // sio4j node, red
  private static Client s2; // sio4j node, blue
  private static Client n1; // Node node, red
  private static Client n2; // Node node, blue

  /** A Java client of a node (it answers nothing: the emitter has no acks). */
  record Client(String name, SocketIoClient client, ClientSocket socket, EventRecorder events) {
    static Client connect(String name, String url) {
      SocketIoClient c =
          SocketIoClient.builder()
              .uri(URI.create(url))
              .transports(TransportType.WEBSOCKET)
              .reconnection(false)
              .build();
      ClientSocket socket = c.socket("/");
      EventRecorder events = EventRecorder.of(socket);
      socket.connect();
      events.await("connect", WAIT);
      Client client = new Client(name, c, socket, events);
      clients.add(client);
      return client;
    }

    JsonNode call(String event, Object... args) {
      return Await.join(socket.timeout(WAIT).emitWithAck(event, args), WAIT).json(0);
    }

    Arguments next(String event) {
      return events.await(event, WAIT).args();
    }

    List<String> rooms() {
      List<String> rooms = new ArrayList<>();
      call("rooms").forEach(r -> rooms.add(r.asText()));
      return rooms;
    }

    void close() {
      Await.join(client.close(), WAIT);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    factory = RedisAdapter.factory(redis.uri());
    sio =
        SocketIoServer.builder()
            .options(SocketIoOptions.builder().adapter(factory).build())
            .build();
    Await.join(sio.start(), WAIT);
    ClusterApp.install(sio, sio.port());
    node = NodeClusterNode.start(NodeClusterNode.REDIS, redis.uri());
    Await.until(() -> subscribers(redis) == 2, WAIT, "both nodes subscribed");
    String sioUrl = "http://127.0.0.1:" + sio.port();
    s1 = Client.connect("s1", sioUrl);
    s2 = Client.connect("s2", sioUrl);
    n1 = Client.connect("n1", node.url());
    n2 = Client.connect("n2", node.url());
    for (Client c : List.of(s1, n1)) {
      assertEquals("ok", c.call("join", "red").asText());
    }
    for (Client c : List.of(s2, n2)) {
      assertEquals("ok", c.call("join", "blue").asText());
    }
    emitter = RedisEmitter.create(redis.uri());
    nodeEmitter = NodeRedisEmitter.start(redis.uri());
  }

  @AfterAll
  static void stop() {
    clients.forEach(Client::close);
    for (AutoCloseable c : new AutoCloseable[] {nodeEmitter, emitter, node}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // The rest still closes.
      }
    }
    if (sio != null) {
      Await.join(sio.close(), WAIT);
    }
    if (factory != null) {
      factory.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static int subscribers(RedisServer redis) {
    Object reply = redis.command("PUBSUB", "NUMSUB", "socket.io-request#/#");
    return Integer.parseInt(String.valueOf(((List<?>) reply).get(1)));
  }

  // ---- the bytes
  // ---------------------------------------------------------------------------------

  /** A message captured on Redis. */
  private record Message(String channel, byte[] payload) {}

  @Test
  void publishesTheNodeEmittersBytes() throws Exception {
    Map<String, Message> vectors = new HashMap<>();
    String refusal;
    try (NodeScript script = NodeScript.start("redis-vectors.mjs", "--timeout=30")) {
      script.await("done", Duration.ofSeconds(30));
      for (JsonNode v : script.events("vector")) {
        vectors.put(
            v.get("name").asText(),
            new Message(
                v.get("channel").asText(), Base64.getDecoder().decode(v.get("payload").asText())));
      }
      refusal = script.await("emitterAckRefused", WAIT).path("message").asText();
    }
    // A Redis of its own: the cluster's nodes would act on these messages.
    BlockingQueue<Message> captured = new LinkedBlockingQueue<>();
    RedisClient lettuce = null;
    try (RedisServer quiet = RedisServer.start();
        RedisEmitter ours = RedisEmitter.create(quiet.uri())) {
      lettuce = RedisClient.create(quiet.uri());
      StatefulRedisPubSubConnection<byte[], byte[]> sub =
          lettuce.connectPubSub(ByteArrayCodec.INSTANCE);
      sub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
              captured.add(new Message(new String(channel, StandardCharsets.UTF_8), message));
            }
          });
      sub.sync().psubscribe("socket.io*".getBytes(StandardCharsets.UTF_8));

      ObjectNode k = MAPPER.createObjectNode();
      k.putArray("k").add(1.5).addNull();
      ObjectNode a1 = MAPPER.createObjectNode().put("a", 1);
      Map<String, Supplier<java.util.concurrent.CompletableFuture<Void>>> cases =
          new java.util.LinkedHashMap<>();
      cases.put("e.all", () -> ours.emit("news", 1, "two"));
      cases.put("e.room", () -> ours.to("r1").emit("news", (Object) new byte[] {1, 2}));
      cases.put("e.rooms", () -> ours.to("r1", "r2").except("x").emit("news", k));
      cases.put("e.except", () -> ours.except("x", "y").emit("news"));
      cases.put("e.flags", () -> ours.volatile_().compress(false).emit("news", "v"));
      cases.put("e.compressTrue", () -> ours.to("r1").compress(true).emit("news"));
      cases.put("e.chat", () -> ours.of("/chat").to("r").emit("news", "c"));
      cases.put("e.admin", () -> ours.of("admin").emit("news"));
      cases.put("e.join", () -> ours.in("r1").socketsJoin("a", "b"));
      cases.put("e.joinOne", () -> ours.socketsJoin("a"));
      cases.put("e.leave", () -> ours.except("x").socketsLeave("a"));
      cases.put("e.disconnect", () -> ours.to("r1").disconnectSockets(true));
      cases.put("e.disconnectDefault", () -> ours.disconnectSockets(false));
      cases.put("e.sse", () -> ours.serverSideEmit("reload", 42, a1));
      for (Map.Entry<String, Supplier<java.util.concurrent.CompletableFuture<Void>>> c :
          cases.entrySet()) {
        Message theirs = vectors.get(c.getKey());
        assertNotNull(theirs, c.getKey());
        Await.join(c.getValue().get(), WAIT);
        Message mine = captured.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(mine, c.getKey() + " not published");
        assertEquals(theirs.channel(), mine.channel(), c.getKey());
        assertArrayEquals(
            theirs.payload(),
            mine.payload(),
            () ->
                c.getKey()
                    + "\n node: "
                    + HexFormat.of().formatHex(theirs.payload())
                    + "\n ours: "
                    + HexFormat.of().formatHex(mine.payload()));
      }
      sub.close();
    } finally {
      if (lettuce != null) {
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }

    // What the reference refuses, refused the same way.
    UnsupportedOperationException noAck =
        assertThrows(
            UnsupportedOperationException.class,
            () -> emitter.serverSideEmit("x", (Consumer<Object>) answer -> {}));
    assertEquals(refusal, noAck.getMessage());
    assertThrows(
        UnsupportedOperationException.class,
        () -> emitter.to("r").emit("x", 1, (Runnable) () -> {}));
    assertThrows(IllegalArgumentException.class, () -> emitter.emit("connect"));
    assertThrows(IllegalArgumentException.class, () -> emitter.to("r").emit("disconnect"));
  }

  // ---- driving a cluster
  // -------------------------------------------------------------------------

  /** Publishes a fence to everyone, then checks what each client got before it, in order. */
  private static void assertNews(
      Runnable fence, String fenceText, Map<Client, List<String>> expected) {
    fence.run();
    for (Map.Entry<Client, List<String>> e : expected.entrySet()) {
      List<String> got = new ArrayList<>();
      for (Arguments a = e.getKey().next("news");
          !a.json(0).asText().equals(fenceText);
          a = e.getKey().next("news")) {
        got.add(
            a.json(0).isBinary()
                ? "bin:" + HexFormat.of().formatHex(a.bytes(0))
                : a.json(0).asText());
      }
      assertEquals(e.getValue(), got, e.getKey() + " before " + fenceText);
    }
  }

  private static Map<Client, List<String>> news(
      List<String> s1News, List<String> s2News, List<String> n1News, List<String> n2News) {
    Map<Client, List<String>> map = new java.util.LinkedHashMap<>();
    map.put(s1, s1News);
    map.put(s2, s2News);
    map.put(n1, n1News);
    map.put(n2, n2News);
    return map;
  }

  /** One scenario, run with our emitter and with the Node emitter. */
  private interface Driver {
    void emit(List<String> to, List<String> except, Object... args);

    void socketsJoin(String to, String room);

    void socketsLeave(String to, String room);

    void disconnect(String to);

    void serverSideEmit(String event, Object arg);
  }

  private static final Driver OURS =
      new Driver() {
        @Override
        public void emit(List<String> to, List<String> except, Object... args) {
          Await.join(
              emitter
                  .to(to.toArray(String[]::new))
                  .except(except.toArray(String[]::new))
                  .emit("news", args),
              WAIT);
        }

        @Override
        public void socketsJoin(String to, String room) {
          Await.join(emitter.in(to).socketsJoin(room), WAIT);
        }

        @Override
        public void socketsLeave(String to, String room) {
          Await.join(emitter.in(to).socketsLeave(room), WAIT);
        }

        @Override
        public void disconnect(String to) {
          Await.join(emitter.to(to).disconnectSockets(true), WAIT);
        }

        @Override
        public void serverSideEmit(String event, Object arg) {
          Await.join(emitter.serverSideEmit(event, arg), WAIT);
        }
      };

  private static final Driver NODE =
      new Driver() {
        @Override
        public void emit(List<String> to, List<String> except, Object... args) {
          List<Object> json = new ArrayList<>();
          for (Object a : args) {
            json.add(a instanceof byte[] b ? NodeRedisEmitter.binary(b) : a);
          }
          nodeEmitter.command(
              Map.of("cmd", "emit", "event", "news", "args", json, "to", to, "except", except));
        }

        @Override
        public void socketsJoin(String to, String room) {
          nodeEmitter.command(Map.of("cmd", "socketsJoin", "to", to, "rooms", room));
        }

        @Override
        public void socketsLeave(String to, String room) {
          nodeEmitter.command(Map.of("cmd", "socketsLeave", "to", to, "rooms", room));
        }

        @Override
        public void disconnect(String to) {
          nodeEmitter.command(Map.of("cmd", "disconnectSockets", "to", to, "close", true));
        }

        @Override
        public void serverSideEmit(String event, Object arg) {
          nodeEmitter.command(
              Map.of("cmd", "serverSideEmit", "event", event, "args", List.of(arg)));
        }
      };

  /** A fence to everyone from the same driver, then what each client got before it. */
  private static void assertNews(Driver d, Map<Client, List<String>> expected) {
    String fence = "fence-" + FENCES.incrementAndGet();
    assertNews(() -> d.emit(List.of(), List.of(), fence), fence, expected);
  }

  private static void drive(Driver d, String tag) {
    List<String> none = List.of();
    d.emit(List.of(), List.of(), "all-" + tag);
    List<String> all = List.of("all-" + tag);
    assertNews(d, news(all, all, all, all));

    d.emit(List.of("red"), List.of(), (Object) new byte[] {7, (byte) 0xff, 0});
    List<String> bin = List.of("bin:07ff00");
    assertNews(d, news(bin, none, bin, none));

    d.emit(List.of(), List.of("red"), "not-red-" + tag);
    List<String> notRed = List.of("not-red-" + tag);
    assertNews(d, news(none, notRed, none, notRed));

    d.emit(List.of("red", "blue"), List.of(n2.socket().id().orElseThrow()), "both-" + tag);
    List<String> both = List.of("both-" + tag);
    assertNews(d, news(both, both, both, none));

    String green = "green-" + tag;
    d.socketsJoin("blue", green);
    Await.until(
        () -> s2.rooms().contains(green) && n2.rooms().contains(green),
        WAIT,
        "blue joined " + green);
    assertTrue(!s1.rooms().contains(green) && !n1.rooms().contains(green));
    d.socketsLeave("blue", green);
    Await.until(
        () -> !s2.rooms().contains(green) && !n2.rooms().contains(green),
        WAIT,
        "blue left " + green);

    d.serverSideEmit("sse", "from-" + tag);
    for (Client c : List.of(s1, s2, n1, n2)) {
      assertEquals("from-" + tag, c.next("sse-got").json(0).asText(), c.name());
    }

    Client d1 = Client.connect("d1", "http://127.0.0.1:" + sio.port());
    Client d2 = Client.connect("d2", node.url());
    assertEquals("ok", d1.call("join", "doomed").asText());
    assertEquals("ok", d2.call("join", "doomed").asText());
    d.disconnect("doomed");
    d1.events().await("disconnect", WAIT);
    d2.events().await("disconnect", WAIT);
    assertEquals(4, s1.call("count", (Object) null).asInt());
  }

  @Test
  void ourEmitterDrivesASio4jNodeAndANodeNode() {
    drive(OURS, "ours");
  }

  @Test
  void theNodeEmitterDrivesASio4jNode() {
    drive(NODE, "node");
  }
}
