package dev.sio4j.engineio.client.internal;

import dev.sio4j.engineio.client.EngineIoClientException;
import dev.sio4j.engineio.client.EngineIoClientOptions;
import dev.sio4j.engineio.parser.EngineIoCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * What the transports of one client share: its event loop, the server address, TLS, limits and the
 * wire format (protocol v4, or v3 when the options ask for it).
 *
 * <p>Thread-safety: immutable after construction.
 */
final class TransportContext {
  final EngineIoClientOptions options;
  final EngineIoCodec codec;
  final EventLoop loop;

  final String host;
  final int port;
  final boolean secure;
  private final SslContext sslContext;

  /** The client's cookies when {@code withCredentials} is on. */
  final Optional<CookieJar> cookieJar;

  TransportContext(EngineIoClientOptions options, EventLoop loop) {
    this.options = options;
    this.codec = options.protocolVersion() == 3 ? EngineIoCodec.v3() : EngineIoCodec.v4();
    this.loop = loop;
    this.host = options.uri().getHost();
    this.port = options.port();
    this.secure = options.secure();
    this.sslContext = secure ? options.sslContext().orElseGet(TransportContext::defaultSsl) : null;
    this.cookieJar = options.withCredentials() ? Optional.of(new CookieJar()) : Optional.empty();
  }

  private static SslContext defaultSsl() {
    try {
      return SslContextBuilder.forClient().build();
    } catch (SSLException e) {
      throw new EngineIoClientException("cannot create the default TLS context", e);
    }
  }

  /**
   * Connects a bootstrap made by {@link #bootstrap()} to the server (through the proxy, if any).
   */
  ChannelFuture connect(Bootstrap bootstrap) {
    if (options.proxy().isPresent()) {
      // The proxy resolves the server's name: the tunnel is asked for host:port as given.
      return bootstrap
          .resolver(NoopAddressResolverGroup.INSTANCE)
          .connect(InetSocketAddress.createUnresolved(host, port));
    }
    return bootstrap.connect(host, port);
  }

  /**
   * The error of a failed connection attempt; through a proxy it names the proxy and the tunnel's
   * target, so that a wrong proxy address or refused credentials are told apart from a server that
   * is down.
   */
  Throwable connectFailure(Throwable cause) {
    if (options.proxy().isEmpty()) {
      return cause;
    }
    String why =
        cause instanceof HttpProxyHandler.HttpProxyConnectException
            ? "the proxy refused the tunnel"
            : cause instanceof ProxyConnectException ? "proxy error" : "proxy unreachable";
    return new EngineIoClientException(
        "cannot connect to "
            + host
            + ":"
            + port
            + " through "
            + options.proxy().get()
            + " ("
            + why
            + "): "
            + cause.getMessage(),
        cause);
  }

  /**
   * A failure on a connected channel: the proxy's refusal of the tunnel (it fails the first write
   * and closes the channel) named as by {@link #connectFailure}, anything else as it is.
   */
  Throwable channelFailure(Throwable cause) {
    return cause instanceof ProxyConnectException ? connectFailure(cause) : cause;
  }

  /** A bootstrap on the client's loop; the caller sets the handler. */
  Bootstrap bootstrap() {
    return new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
  }

  /**
   * Adds the proxy tunnel (when configured) and then TLS with host name verification (when the URI
   * asks for it) to a new channel's pipeline: TLS runs end to end inside the tunnel.
   */
  void addTls(SocketChannel ch) {
    options
        .proxy()
        .ifPresent(
            p -> {
              InetSocketAddress address = new InetSocketAddress(p.host(), p.port());
              HttpProxyHandler handler =
                  p.username().isPresent()
                      ? new HttpProxyHandler(address, p.username().get(), p.password().get())
                      : new HttpProxyHandler(address);
              handler.setConnectTimeoutMillis(options.connectTimeout().toMillis());
              ch.pipeline().addLast("proxy", handler);
            });
    if (sslContext == null) {
      return;
    }
    SslHandler handler = sslContext.newHandler(ch.alloc(), host, port);
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(params);
    handler.setHandshakeTimeoutMillis(options.connectTimeout().toMillis());
    ch.pipeline().addLast("tls", handler);
  }

  /** {@code host:port} for the Host header, with IPv6 brackets. */
  String authority() {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    boolean defaultPort = secure ? port == 443 : port == 80;
    return defaultPort ? h : h + ":" + port;
  }

  /** Path and query of a request: the configured path plus the given query parameters. */
  String pathAndQuery(Map<String, String> query) {
    StringBuilder sb = new StringBuilder(options.path());
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      sb.append(sep)
          .append(UriComponent.encode(e.getKey()))
          .append('=')
          .append(UriComponent.encode(e.getValue()));
      sep = '&';
    }
    return sb.toString();
  }

  /** A short random string for cache busting. */
  static String randomString() {
    return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }
}
