package dev.sio4j.client;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The reference's {@code io(url, opts)} lookup: the URL path names the namespace, and clients are
 * cached per server ({@code scheme://host:port} plus the Socket.IO path) so that namespaces of one
 * server share one connection. A new client is created instead when {@code forceNew} is set, when
 * {@code multiplex} is off, or when the cached client already has a socket for that namespace.
 *
 * <pre>{@code
 * ClientSocket main = SocketIo.socket(URI.create("http://localhost:3000"));
 * ClientSocket admin = SocketIo.socket(URI.create("http://localhost:3000/admin")); // same connection
 * }</pre>
 *
 * <p>Closing a client with {@link SocketIoClient#close()} removes it from the cache (a closed
 * client is never handed out).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class SocketIo {
  private static final Map<String, SocketIoClient> CACHE = new ConcurrentHashMap<>();

  private SocketIo() {}

  /** The socket of the namespace named by the URL path, with default options. */
  public static ClientSocket socket(URI uri) {
    return socket(uri, b -> {}, SocketOptions.defaults());
  }

  /**
   * The socket of the namespace named by the URL path.
   *
   * @param configure adjusts the client builder (its URI is already set); applies only when a new
   *     client is created
   */
  public static ClientSocket socket(
      URI uri, Consumer<SocketIoClient.Builder> configure, SocketOptions socketOptions) {
    Objects.requireNonNull(uri, "uri");
    String nsp = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    SocketIoClient.Builder builder = SocketIoClient.builder().uri(uri);
    configure.accept(builder);
    ClientOptions options = builder.buildOptions();
    String key =
        uri.getScheme().toLowerCase(Locale.ROOT)
            + "://"
            + uri.getHost()
            + ":"
            + options.engine().port()
            + options.engine().path();
    SocketIoClient client;
    if (options.forceNew() || !options.multiplex()) {
      client = builder.build();
    } else {
      client =
          CACHE.compute(
              key,
              (k, cached) ->
                  cached == null || cached.isClosed() || cached.hasSocket(nsp)
                      ? builder.build()
                      : cached);
    }
    return client.socket(nsp, socketOptions);
  }
}
