package dev.sio4j.spring.boot;

import dev.sio4j.engineio.servlet.EngineIoServlet;
import dev.sio4j.server.SocketIoServer;
import jakarta.servlet.ServletContext;
import java.util.OptionalInt;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.core.env.Environment;

/**
 * Serves Socket.IO on a servlet application's own container (Spring MVC on Tomcat or Jetty): while
 * the container starts, an asynchronous {@link EngineIoServlet} is registered at {@code
 * <sio4j.path>/*}, more specific than the {@code DispatcherServlet}'s {@code /}, so the
 * application's controllers keep their routes. Polling runs on asynchronous servlet requests,
 * WebSocket on the container's Jakarta WebSocket support; the server itself never listens.
 *
 * <p>Socket.IO requests pass through the container's servlet filters mapped to them (Spring
 * Security's chain included, when it matches the path), unlike the Reactor Netty binding's.
 *
 * <p>Thread-safety: thread-safe; {@link #onStartup} runs once on the container's startup thread,
 * the state is volatile.
 */
final class ServletBinding implements ServletContextInitializer, WebServerBinding {
  private final SocketIoServer server;
  private final Environment environment;
  private volatile boolean applied;

  ServletBinding(SocketIoServer server, Environment environment) {
    this.server = server;
    this.environment = environment;
  }

  @Override
  public void onStartup(ServletContext context) {
    EngineIoServlet.register(context, server.engine());
    applied = true;
  }

  @Override
  public boolean applied() {
    return applied;
  }

  /** The embedded container's port, as Boot publishes it ({@code local.server.port}). */
  @Override
  public OptionalInt port() {
    Integer port = environment.getProperty("local.server.port", Integer.class);
    return port == null || port <= 0 ? OptionalInt.empty() : OptionalInt.of(port);
  }

  @Override
  public String mode() {
    return "servlet";
  }
}
