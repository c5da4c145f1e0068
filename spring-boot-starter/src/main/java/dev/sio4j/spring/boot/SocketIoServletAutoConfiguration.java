package dev.sio4j.spring.boot;

import dev.sio4j.server.SocketIoServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Serves Socket.IO on a servlet application's own container (Spring MVC on Tomcat, Boot's default,
 * or Jetty) when {@code engineio-servlet} is on the classpath and {@code sio4j.mode} is {@code
 * auto} or {@code servlet}: see {@link ServletBinding}.
 *
 * <p>Thread-safety: configuration.
 */
@AutoConfiguration(before = SocketIoAutoConfiguration.class)
@ConditionalOnProperty(prefix = "sio4j", name = "enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(
    name = {
      "dev.sio4j.engineio.servlet.EngineIoServlet",
      "jakarta.servlet.ServletContext",
      "jakarta.websocket.server.ServerContainer"
    })
@Conditional(SocketIoReactorNettyAutoConfiguration.AutoOrServlet.class)
public class SocketIoServletAutoConfiguration {

  /** The initializer that registers the Engine.IO servlet in the application's container. */
  @Bean
  ServletBinding socketIoServletBinding(SocketIoServer server, Environment environment) {
    return new ServletBinding(server, environment);
  }
}
