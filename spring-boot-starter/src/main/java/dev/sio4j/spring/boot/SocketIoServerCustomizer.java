package dev.sio4j.spring.boot;

import dev.sio4j.server.SocketIoOptions;

/**
 * A bean that adjusts the server's options after the starter applied the {@code sio4j.*}
 * properties, for what properties cannot say: an {@code allowRequest} check, a handler executor,
 * headers hooks. Customizers run in the beans' order ({@code @Order} or {@code Ordered}).
 *
 * <pre>{@code
 * @Bean
 * SocketIoServerCustomizer blockingHandlers() {
 *   return options -> options.handlerExecutor(Executors.newFixedThreadPool(16));
 * }
 * }</pre>
 *
 * <p>Thread-safety: called once, on the thread creating the server bean.
 */
@FunctionalInterface
public interface SocketIoServerCustomizer {
  /** Adjusts the options the server is built with. */
  void customize(SocketIoOptions.Builder options);
}
