package dev.sio4j.spring.boot;

import dev.sio4j.micrometer.SocketIoMetrics;
import dev.sio4j.server.SocketIoServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The server's Micrometer meters ({@code socketio-micrometer}) in the application's {@link
 * MeterRegistry}, when both are there: what {@code /actuator/prometheus} then shows is listed in
 * that module's README. The meters are bound before the server starts, as they must be.
 *
 * <p>Thread-safety: configuration.
 */
@AutoConfiguration(
    after = SocketIoAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass(
    name = {"dev.sio4j.micrometer.SocketIoMetrics", "io.micrometer.core.instrument.MeterRegistry"})
@ConditionalOnBean({SocketIoServer.class, MeterRegistry.class})
public class SocketIoMetricsAutoConfiguration {

  /** Binds the meters to the server. */
  @Bean
  @ConditionalOnMissingBean
  SocketIoMetrics socketIoMetrics(SocketIoServer server, MeterRegistry registry) {
    return SocketIoMetrics.bind(server, registry);
  }
}
