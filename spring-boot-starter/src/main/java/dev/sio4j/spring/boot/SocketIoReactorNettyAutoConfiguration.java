package dev.sio4j.spring.boot;

import dev.sio4j.server.SocketIoServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Serves Socket.IO on a WebFlux application's own Reactor Netty server (its port, its event loops)
 * when {@code sio4j.mode} is {@code auto} or {@code reactor-netty}: see {@link
 * ReactorNettyBinding}.
 *
 * <p>Thread-safety: configuration.
 */
@AutoConfiguration(before = SocketIoAutoConfiguration.class)
@ConditionalOnProperty(prefix = "sio4j", name = "enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(
    name = {
      "reactor.netty.http.server.HttpServer",
      "org.springframework.boot.reactor.netty.NettyServerCustomizer"
    })
@Conditional(SocketIoReactorNettyAutoConfiguration.AutoOrReactorNetty.class)
public class SocketIoReactorNettyAutoConfiguration {

  /** The customizer that Boot applies to the application's Reactor Netty server. */
  @Bean
  ReactorNettyBinding socketIoReactorNettyBinding(SocketIoServer server) {
    return new ReactorNettyBinding(server);
  }

  /** {@code sio4j.mode} is {@code auto} or {@code reactor-netty}. */
  static final class AutoOrReactorNetty implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return modeIs(context, "reactor-netty");
    }
  }

  /** {@code sio4j.mode} is {@code auto} or {@code servlet}. */
  static final class AutoOrServlet implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return modeIs(context, "servlet");
    }
  }

  /** Whether {@code sio4j.mode} is {@code auto} or {@code binding} (relaxed: case, {@code _}). */
  static boolean modeIs(ConditionContext context, String binding) {
    String mode =
        context
            .getEnvironment()
            .getProperty("sio4j.mode", "auto")
            .trim()
            .toLowerCase()
            .replace('_', '-');
    return mode.equals("auto") || mode.equals(binding);
  }
}
