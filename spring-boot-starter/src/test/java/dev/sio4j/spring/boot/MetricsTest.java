package dev.sio4j.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.micrometer.SocketIoMetrics;
import dev.sio4j.server.SocketIoServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With socketio-micrometer and a MeterRegistry bean, the server's meters are in that registry. */
@Timeout(60)
class MetricsTest {
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry registry() {
      return new SimpleMeterRegistry();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  private ConfigurableApplicationContext start(Class<?>... sources) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(sources)
            .web(WebApplicationType.NONE)
            .properties("sio4j.host=127.0.0.1", "sio4j.port=0", "spring.main.banner-mode=off")
            .run();
    cleanup.push(context::close);
    return context;
  }

  @Test
  void theMetersFollowTheTraffic() throws Exception {
    ConfigurableApplicationContext context = start(ChatApp.class, Registry.class);
    assertEquals(1, context.getBeansOfType(SocketIoMetrics.class).size());
    MeterRegistry registry = context.getBean(MeterRegistry.class);
    int port = context.getBean(SocketIoServer.class).port();
    SocketIoClient client =
        SocketIoClient.builder().uri(URI.create("http://127.0.0.1:" + port)).build();
    cleanup.push(() -> client.close().get(10, TimeUnit.SECONDS));
    ClientSocket chat =
        client.socket("/chat", SocketOptions.builder().auth(Map.of("token", "secret")).build());
    CompletableFuture<Void> connected = new CompletableFuture<>();
    chat.onConnect(() -> connected.complete(null));
    connected.get(15, TimeUnit.SECONDS);
    chat.timeout(Duration.ofSeconds(15)).emitWithAck("later", "x").get(15, TimeUnit.SECONDS);
    assertEquals(
        1.0, registry.get("socketio.sockets.connected").tag("namespace", "/chat").gauge().value());
    assertTrue(
        registry.get("socketio.events.received").tag("namespace", "/chat").counter().count()
            >= 1.0);
  }

  @Test
  void withoutARegistryThereAreNoMeters() {
    ConfigurableApplicationContext context = start(ChatApp.class);
    assertTrue(context.getBeansOfType(SocketIoMetrics.class).isEmpty());
  }
}
