package dev.sio4j.spring.boot;

import dev.sio4j.adapter.AdapterFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * The adapter {@code sio4j.adapter} names and the Redis connections it holds, closed after the
 * server by {@link SocketIoLifecycle}. A Redis adapter connects with the application's own Redis
 * settings: {@code spring.data.redis.url}, else {@code spring.data.redis.host}, {@code port},
 * {@code username}, {@code password}, {@code database} and {@code ssl.enabled} (Spring Boot's
 * defaults: {@code localhost:6379}, database 0), through its own Lettuce client.
 *
 * <p>Thread-safety: thread-safe; {@link #close} is idempotent.
 */
final class SocketIoAdapterResources implements AutoCloseable {
  private final AdapterFactory factory;
  private final AutoCloseable resources;

  private SocketIoAdapterResources(AdapterFactory factory, AutoCloseable resources) {
    this.factory = factory;
    this.resources = resources;
  }

  static SocketIoAdapterResources create(
      SocketIoProperties properties, ConfigurableEnvironment environment) {
    if (properties.adapter() == SocketIoProperties.AdapterKind.MEMORY) {
      return new SocketIoAdapterResources(null, null);
    }
    if (!ClassUtils.isPresent("dev.sio4j.redis.RedisAdapters", null)) {
      throw new InvalidPropertyException(
          "sio4j.adapter",
          "needs socketio-redis-adapter on the classpath",
          properties.adapter().wireName());
    }
    String uri = redisUri(Binder.get(environment));
    AutoCloseable factory = RedisSupport.factory(properties.adapter().wireName(), uri);
    return new SocketIoAdapterResources((AdapterFactory) factory, factory);
  }

  /** The Redis URI of the application's {@code spring.data.redis.*} properties. */
  static String redisUri(Binder binder) {
    String url = binder.bind("spring.data.redis.url", String.class).orElse("");
    if (!url.isBlank()) {
      return url;
    }
    String host = binder.bind("spring.data.redis.host", String.class).orElse("localhost");
    int port = binder.bind("spring.data.redis.port", Integer.class).orElse(6379);
    int database = binder.bind("spring.data.redis.database", Integer.class).orElse(0);
    boolean ssl = binder.bind("spring.data.redis.ssl.enabled", Boolean.class).orElse(false);
    String username = binder.bind("spring.data.redis.username", String.class).orElse(null);
    String password = binder.bind("spring.data.redis.password", String.class).orElse(null);
    StringBuilder uri = new StringBuilder(ssl ? "rediss://" : "redis://");
    if (password != null) {
      if (username != null) {
        uri.append(encode(username));
      }
      uri.append(':').append(encode(password)).append('@');
    }
    uri.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port);
    if (database != 0) {
      uri.append('/').append(database);
    }
    return uri.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The adapter factory, absent for the in-memory default. */
  Optional<AdapterFactory> factory() {
    return Optional.ofNullable(factory);
  }

  @Override
  public void close() throws Exception {
    if (resources != null) {
      resources.close();
    }
  }

  /** Kept apart so that the Redis classes are loaded only when a Redis adapter is asked for. */
  private static final class RedisSupport {
    static AutoCloseable factory(String kind, String uri) {
      return dev.sio4j.redis.RedisAdapters.byName(kind, List.of(uri));
    }
  }
}
