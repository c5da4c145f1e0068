package dev.sio4j.spring.boot;

import dev.sio4j.server.SocketIoServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code socketIo} health component ({@link SocketIoHealthIndicator}) when the application has
 * Spring Boot's health support (actuator); {@code management.health.socketio.enabled=false} turns
 * it off.
 *
 * <p>Thread-safety: configuration.
 */
@AutoConfiguration(after = SocketIoAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(SocketIoLifecycle.class)
@ConditionalOnEnabledHealthIndicator("socketio")
public class SocketIoHealthAutoConfiguration {

  /** Reports whether the server accepts connections. */
  @Bean
  @ConditionalOnMissingBean(name = "socketIoHealthIndicator")
  SocketIoHealthIndicator socketIoHealthIndicator(
      SocketIoServer server, SocketIoLifecycle lifecycle) {
    return new SocketIoHealthIndicator(server, lifecycle);
  }
}
