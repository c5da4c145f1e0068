package dev.sio4j.examples.springboot;

import dev.sio4j.admin.AdminUi;
import dev.sio4j.admin.Instrumentation;
import dev.sio4j.server.SocketIoServer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A WebFlux application that serves its page, Socket.IO (on its own port, through the starter's
 * Reactor Netty binding), the Admin UI, actuator health and Prometheus metrics, all on {@code
 * server.port}.
 *
 * <p>Thread-safety: an entry point.
 */
@SpringBootApplication
public class ChatApplication {
  /**
   * The official Admin UI, served at {@code /admin-ui/} on the application's port, for the user
   * {@code admin} with the password whose bcrypt hash is {@code chat.admin.password-hash} (the
   * shipped one is "changeme": replace it).
   */
  @Bean(destroyMethod = "close")
  Instrumentation adminUi(
      SocketIoServer server, @Value("${chat.admin.password-hash}") String passwordHash) {
    return AdminUi.builder()
        .auth("admin", passwordHash)
        .uiPath("/admin-ui")
        .build()
        .instrument(server);
  }

  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }
}
