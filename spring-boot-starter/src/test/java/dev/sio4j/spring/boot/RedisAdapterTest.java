package dev.sio4j.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.interop.RedisServer;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.spring.boot.ChatApp.ChatMessage;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code sio4j.adapter=redis-streams} with the application's {@code spring.data.redis.*} settings:
 * two applications on one real Redis form a cluster, so a broadcast from a client of one reaches a
 * client of the other.
 */
@Timeout(90)
class RedisAdapterTest {
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @AfterEach
  void tearDown() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  @Test
  void twoApplicationsOnOneRedisShareTheirBroadcasts() throws Exception {
    RedisServer redis = RedisServer.start();
    cleanup.push(redis);
    int port1 = node(redis);
    int port2 = node(redis);

    ClientSocket listener = connected(port2);
    CompletableFuture<ChatMessage> heard = new CompletableFuture<>();
    listener.on("message", args -> heard.complete(args.get(0, ChatMessage.class)));
    ClientSocket sender = connected(port1);
    sender
        .timeout(java.time.Duration.ofSeconds(15))
        .emitWithAck("message", new ChatMessage("eve", "across"))
        .get(15, TimeUnit.SECONDS);
    assertEquals(new ChatMessage("eve", "across"), heard.get(15, TimeUnit.SECONDS));
  }

  @Test
  void theRedisUriComesFromTheApplicationsRedisProperties() {
    assertEquals("redis://localhost:6379", uri(Map.of()));
    assertEquals(
        "rediss://u%20s:p%40ss@db.example:6380/2",
        uri(
            Map.of(
                "spring.data.redis.host", "db.example",
                "spring.data.redis.port", "6380",
                "spring.data.redis.username", "u s",
                "spring.data.redis.password", "p@ss",
                "spring.data.redis.database", "2",
                "spring.data.redis.ssl.enabled", "true")));
    assertEquals(
        "redis://cache:1234",
        uri(Map.of("spring.data.redis.url", "redis://cache:1234", "spring.data.redis.port", "1")));
  }

  private static String uri(Map<String, String> properties) {
    return SocketIoAdapterResources.redisUri(
        new Binder(new MapConfigurationPropertySource(properties)));
  }

  private int node(RedisServer redis) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ChatApp.class)
            .web(WebApplicationType.NONE)
            .properties(
                "sio4j.host=127.0.0.1",
                "sio4j.port=0",
                "sio4j.adapter=redis-streams",
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port(),
                "spring.main.banner-mode=off")
            .run();
    cleanup.push(context::close);
    return context.getBean(SocketIoServer.class).port();
  }

  private ClientSocket connected(int port) throws Exception {
    SocketIoClient client =
        SocketIoClient.builder().uri(URI.create("http://127.0.0.1:" + port)).build();
    cleanup.push(() -> client.close().get(10, TimeUnit.SECONDS));
    ClientSocket chat =
        client.socket("/chat", SocketOptions.builder().auth(Map.of("token", "secret")).build());
    CompletableFuture<Void> connected = new CompletableFuture<>();
    chat.onConnect(() -> connected.complete(null));
    connected.get(15, TimeUnit.SECONDS);
    return chat;
  }
}
