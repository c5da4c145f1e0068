package dev.sio4j.spring.boot;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the binding tests share: an application on its own web server (127.0.0.1, a free port) with
 * Socket.IO bound to that server, plain GETs to it, and the chat handlers' calls one at a time.
 *
 * <p>Thread-safety: stateless; each test passes its own cleanup stack.
 */
final class BindingFixture {
  static final Duration WAIT = Duration.ofSeconds(15);

  private BindingFixture() {}

  /** Starts {@code app} as a {@code type} application; its context is closed by {@code cleanup}. */
  static ConfigurableApplicationContext startOnAppPort(
      Class<?> app, WebApplicationType type, Deque<AutoCloseable> cleanup, String... properties) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(app)
            .web(type)
            .properties(
                "server.address=127.0.0.1",
                "server.port=0",
                // a standalone server would take this port: the test fails if it is used
                "sio4j.port=1",
                "spring.main.banner-mode=off")
            .properties(properties)
            .run();
    cleanup.push(context::close);
    return context;
  }

  /** The port the application's web server listens on. */
  static int port(ConfigurableApplicationContext context) {
    return context.getEnvironment().getProperty("local.server.port", Integer.class);
  }

  static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The chat handlers' next call, waited for at most 15 s. */
  static String poll(ChatApp.Seen seen) {
    try {
      String line = seen.lines.poll(15, TimeUnit.SECONDS);
      assertNotNull(line, "no handler call within 15 s");
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
