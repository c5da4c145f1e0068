package dev.sio4j.engineio.client.internal;

import dev.sio4j.engineio.client.EngineIoClientException;
import dev.sio4j.engineio.client.EngineIoClientOptions;
import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * What the transports of one client share: its event loop, the server address, TLS, limits and the
 * wire format (protocol v4, or v3 when the options ask for it).
 *
 * <p>Thread-safety: immutable after construction, except {@link #uncompressed}, which is confined
 * to the client's event loop.
 */
final class TransportContext {
  final EngineIoClientOptions options;
  final EngineIoCodec codec;
  final EventLoop loop;

  /**
   * The queued packets sent with {@code compress=false}, by identity: the transport that writes one
   * takes it out (each send creates its own packet). Loop-confined; bounded by the write buffer,
   * cleared when the connection closes.
   */
  final Set<Packet> uncompressed = Collections.newSetFromMap(new IdentityHashMap<>());

  final String host;
  final int port;
  final boolean secure;
  private final SslContext sslContext;

  TransportContext(EngineIoClientOptions options, EventLoop loop) {
    this.options = options;
    this.codec = options.protocolVersion() == 3 ? EngineIoCodec.v3() : EngineIoCodec.v4();
    this.loop = loop;
    this.host = options.uri().getHost();
    this.port = options.port();
    this.secure = options.secure();
    this.sslContext = secure ? options.sslContext().orElseGet(TransportContext::defaultSsl) : null;
  }

  private static SslContext defaultSsl() {
    try {
      return SslContextBuilder.forClient().build();
    } catch (SSLException e) {
      throw new EngineIoClientException("cannot create the default TLS context", e);
    }
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

  /** Adds TLS with host name verification to a new channel's pipeline when the URI asks for it. */
  void addTls(SocketChannel ch) {
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
      sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return sb.toString();
  }

  private static String encode(String s) {
    // encodeURIComponent rather than form encoding: spaces as %20.
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%21", "!")
        .replace("%27", "'")
        .replace("%28", "(")
        .replace("%29", ")")
        .replace("%7E", "~");
  }

  /** A short random string for cache busting. */
  static String randomString() {
    return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }
}
