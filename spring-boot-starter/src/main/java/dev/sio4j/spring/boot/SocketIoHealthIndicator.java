package dev.sio4j.spring.boot;

import dev.sio4j.server.SocketIoServer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code socketIo} health component: {@code UP} while the server accepts connections, {@code
 * DOWN} before it starts and once it stopped, with the mode, port, path and the number of open
 * Engine.IO connections as details.
 *
 * <p>Thread-safety: thread-safe; reads volatile state.
 */
public final class SocketIoHealthIndicator implements HealthIndicator {
  private final SocketIoServer server;
  private final SocketIoLifecycle lifecycle;

  SocketIoHealthIndicator(SocketIoServer server, SocketIoLifecycle lifecycle) {
    this.server = server;
    this.lifecycle = lifecycle;
  }

  @Override
  public Health health() {
    Health.Builder health = lifecycle.listening() ? Health.up() : Health.down();
    health.withDetail("mode", lifecycle.mode()).withDetail("path", server.options().path());
    lifecycle.port().ifPresent(p -> health.withDetail("port", p));
    return health.withDetail("clients", server.engine().clientsCount()).build();
  }
}
