package dev.sio4j.spring.boot;

import dev.sio4j.server.SocketIoServer;
import java.net.BindException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Binds the server to the application context: it starts listening once the context is refreshed
 * (after the web server, in the last phase) and closes first when the context closes, before the
 * web server stops, so every socket is disconnected with {@code server shutting down} while its
 * connection is still there. Once listening standalone, the port is published as the property
 * {@code local.sio4j.port} (as Boot publishes {@code local.server.port}).
 *
 * <p>Thread-safety: thread-safe; the container calls {@link #start} and {@link #stop} from its own
 * thread, the health indicator reads the state from any thread.
 */
public final class SocketIoLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(SocketIoLifecycle.class);

  /** The property holding the port of the standalone server once it listens. */
  public static final String LOCAL_PORT_PROPERTY = "local.sio4j.port";

  private final SocketIoServer server;
  private final SocketIoProperties properties;
  private final WebServerBinding candidate;
  private volatile WebServerBinding binding;
  private final AutoCloseable adapterResources;
  private final ConfigurableEnvironment environment;
  private volatile boolean running;

  SocketIoLifecycle(
      SocketIoServer server,
      SocketIoProperties properties,
      WebServerBinding binding,
      AutoCloseable adapterResources,
      ConfigurableEnvironment environment) {
    this.server = server;
    this.properties = properties;
    this.candidate = binding;
    this.adapterResources = adapterResources;
    this.environment = environment;
  }

  @Override
  public void start() {
    if (running) {
      return;
    }
    if (candidate != null && !candidate.applied()) {
      if (properties.mode() != SocketIoProperties.Mode.AUTO) {
        throw new IllegalStateException(
            "sio4j.mode="
                + candidate.mode()
                + ": the application's web server did not take the Socket.IO binding; set"
                + " sio4j.mode=standalone");
      }
      log.info(
          "Socket.IO: the application's web server did not take the {} binding, listening on a"
              + " port of its own (sio4j.port)",
          candidate.mode());
    }
    if (candidate != null && candidate.applied()) {
      binding = candidate;
      running = true;
      log.info(
          "Socket.IO served by the application's web server ({}){} at path {}",
          binding.mode(),
          binding.port().isPresent() ? " on port " + binding.port().getAsInt() : "",
          properties.path());
      return;
    }
    try {
      server.start().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof BindException ? "the port is in use" : String.valueOf(cause);
      throw new IllegalStateException(
          "sio4j.port: Socket.IO cannot listen on "
              + properties.host()
              + ":"
              + properties.port()
              + " ("
              + why
              + ")",
          cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("sio4j: the Socket.IO server did not start in 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting the Socket.IO server", e);
    }
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("sio4j.local", Map.of(LOCAL_PORT_PROPERTY, server.port())));
    running = true;
  }

  @Override
  public void stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    stop(() -> done.complete(null));
    done.join();
  }

  @Override
  public void stop(Runnable callback) {
    if (!running) {
      callback.run();
      return;
    }
    running = false;
    server
        .close()
        .orTimeout(properties.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)
        // Not on the thread completing the close (a Netty executor): closing the Redis adapter's
        // Lettuce client waits for Netty executors itself, and would wait for its own thread.
        .whenCompleteAsync(
            (v, e) -> {
              if (e != null) {
                log.warn(
                    "Socket.IO server did not close within sio4j.shutdown-timeout ({})",
                    properties.shutdownTimeout());
              }
              closeAdapterResources();
              callback.run();
            },
            task -> {
              Thread t = new Thread(task, "sio4j-shutdown");
              t.setDaemon(true);
              t.start();
            });
  }

  private void closeAdapterResources() {
    if (adapterResources != null) {
      try {
        adapterResources.close();
      } catch (Exception e) {
        log.debug("closing the adapter's Redis connections failed", e);
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops first and starts last: after the web server starts, before it stops. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }

  /** Whether the server accepts connections: started, and its port (or the web server's) bound. */
  public boolean listening() {
    if (!running) {
      return false;
    }
    WebServerBinding b = binding;
    return b == null || b.port().isPresent();
  }

  /** The port Socket.IO is served on, while it is. */
  public OptionalInt port() {
    if (!running) {
      return OptionalInt.empty();
    }
    WebServerBinding b = binding;
    return b != null ? b.port() : OptionalInt.of(server.port());
  }

  /** {@code standalone}, {@code reactor-netty} or {@code servlet}. */
  public String mode() {
    WebServerBinding b = binding;
    return b != null ? b.mode() : "standalone";
  }
}
