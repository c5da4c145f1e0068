package dev.sio4j.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CorsOptions;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.server.Middleware;
import dev.sio4j.server.RecoveryOptions;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of a sio4j Socket.IO server from the {@code sio4j.*} properties ({@link
 * SocketIoProperties}): the {@link SocketIoServer} bean, its lifecycle ({@link SocketIoLifecycle}),
 * and the {@link SocketIoController} handlers and {@link Middleware} beans bound to it. The Reactor
 * Netty binding ({@link SocketIoReactorNettyAutoConfiguration}), the servlet binding ({@link
 * SocketIoServletAutoConfiguration}) and the health indicator ({@link
 * SocketIoHealthAutoConfiguration}) have their own.
 *
 * <p>Payload JSON: sio4j's payload trees are Jackson 2, while Spring Boot 4's default JSON mapper
 * is Jackson 3. The server therefore uses the application's Jackson 2 {@code ObjectMapper} bean
 * when there is exactly one (e.g. with {@code spring-boot-jackson2}), and otherwise a mapper of its
 * own with every Jackson 2 module on the classpath registered ({@code findAndRegisterModules()}:
 * JSR 310 dates, records, parameter names...). A {@link SocketIoServerCustomizer} may set another.
 *
 * <p>Thread-safety: configuration; the beans it defines document their own.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration",
      "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "sio4j", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SocketIoProperties.class)
public class SocketIoAutoConfiguration {

  /** The server built from the properties and the customizers. */
  @Bean
  @ConditionalOnMissingBean
  public SocketIoServer socketIoServer(
      SocketIoProperties properties,
      ObjectProvider<ObjectMapper> mappers,
      ObjectProvider<SocketIoServerCustomizer> customizers,
      SocketIoAdapterResources adapter) {
    ObjectMapper mapper = mappers.getIfUnique(() -> new ObjectMapper().findAndRegisterModules());
    SocketIoOptions.Builder options = options(properties, mapper);
    adapter.factory().ifPresent(options::adapter);
    customizers.orderedStream().forEach(c -> c.customize(options));
    SocketIoServer.Builder server =
        SocketIoServer.builder()
            .host(properties.host())
            .port(properties.port())
            .options(options.build());
    if (properties.ioThreads() > 0) {
      server.ioThreads(properties.ioThreads());
    }
    return server.build();
  }

  /** The Redis connections of a Redis adapter, closed after the server. */
  @Bean
  SocketIoAdapterResources socketIoAdapterResources(
      SocketIoProperties properties, ConfigurableEnvironment environment) {
    return SocketIoAdapterResources.create(properties, environment);
  }

  /** Starts and stops the server with the context. */
  @Bean
  @ConditionalOnMissingBean
  public SocketIoLifecycle socketIoLifecycle(
      SocketIoServer server,
      SocketIoProperties properties,
      ObjectProvider<WebServerBinding> binding,
      SocketIoAdapterResources adapter,
      ConfigurableEnvironment environment) {
    WebServerBinding attached = binding.getIfUnique();
    if (attached == null && properties.mode() == SocketIoProperties.Mode.REACTOR_NETTY) {
      throw new InvalidPropertyException(
          "sio4j.mode",
          "needs a WebFlux application on Reactor Netty (spring-boot-starter-webflux)",
          "reactor-netty");
    }
    if (attached == null && properties.mode() == SocketIoProperties.Mode.SERVLET) {
      throw new InvalidPropertyException(
          "sio4j.mode",
          "needs a servlet web application (spring-boot-starter-web) and engineio-servlet on the"
              + " classpath",
          "servlet");
    }
    return new SocketIoLifecycle(server, properties, attached, adapter, environment);
  }

  /** Binds the {@link SocketIoController} and {@link Middleware} beans once they all exist. */
  @Bean
  AnnotatedHandlers socketIoAnnotatedHandlers(
      ListableBeanFactory beans, SocketIoServer server, ObjectProvider<Middleware> middlewares) {
    return new AnnotatedHandlers(beans, server, server.options().mapper(), middlewares);
  }

  static SocketIoOptions.Builder options(SocketIoProperties p, ObjectMapper mapper) {
    EngineIoOptions.Builder engine =
        EngineIoOptions.builder()
            .transports(
                p.transports().stream()
                    .map(t -> TransportType.fromWireName(t).orElseThrow())
                    .toArray(TransportType[]::new))
            .allowUpgrades(p.allowUpgrades())
            .pingInterval(p.pingInterval())
            .pingTimeout(p.pingTimeout())
            .upgradeTimeout(p.upgradeTimeout())
            .maxHttpBufferSize((int) p.maxHttpBufferSize().toBytes())
            .maxBufferedBytes(p.maxBufferedBytes().toBytes())
            .perMessageDeflate(p.perMessageDeflate())
            .httpCompression(p.httpCompression(), 1024)
            .allowEIO3(p.allowEio3());
    cors(p.cors()).ifPresent(engine::cors);
    SocketIoOptions.Builder options =
        SocketIoOptions.builder()
            .path(p.path())
            .serveClient(p.serveClient())
            .connectTimeout(p.connectTimeout())
            .mapper(mapper)
            .engine(engine.build());
    if (p.parser() == SocketIoProperties.Parser.MSGPACK) {
      if (!ClassUtils.isPresent("dev.sio4j.socketio.parser.msgpack.MsgpackParser", null)) {
        throw new InvalidPropertyException(
            "sio4j.parser", "needs socketio-parser-msgpack on the classpath", "msgpack");
      }
      options.parser(MsgpackSupport.parser(mapper));
    }
    if (p.recovery().enabled()) {
      options.connectionStateRecovery(
          RecoveryOptions.defaults()
              .maxDisconnectionDuration(p.recovery().maxDisconnectionDuration())
              .skipMiddlewares(p.recovery().skipMiddlewares())
              .maxPackets(p.recovery().maxPackets()));
    }
    return options;
  }

  private static java.util.Optional<CorsOptions> cors(SocketIoProperties.Cors c) {
    if (c.allowedOrigins().isEmpty()) {
      return java.util.Optional.empty();
    }
    CorsOptions.Builder cors = CorsOptions.builder().credentials(c.allowCredentials());
    if (c.allowedOrigins().contains("*")) {
      cors.anyOrigin();
    } else {
      cors.origins(c.allowedOrigins().toArray(String[]::new));
    }
    if (!c.allowedHeaders().isEmpty()) {
      cors.allowedHeaders(c.allowedHeaders().toArray(String[]::new));
    }
    if (!c.exposedHeaders().isEmpty()) {
      cors.exposedHeaders(c.exposedHeaders().toArray(String[]::new));
    }
    Duration maxAge = c.maxAge();
    if (maxAge != null) {
      cors.maxAge(maxAge);
    }
    return java.util.Optional.of(cors.build());
  }
}
