package dev.sio4j.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux application that serves its page, Socket.IO (on its own port, through the starter's
 * Reactor Netty binding), actuator health and Prometheus metrics, all on {@code server.port}.
 *
 * <p>Thread-safety: an entry point.
 */
@SpringBootApplication
public class ChatApplication {
  // ADMIN-UI: the Admin UI (socketio-admin-ui) is to be mounted here once that module is on main:
  // a bean instrumenting the SocketIoServer bean, its files served under /admin on this port.

  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }
}
