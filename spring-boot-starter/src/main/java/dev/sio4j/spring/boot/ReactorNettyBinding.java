package dev.sio4j.spring.boot;

import dev.sio4j.engineio.server.EngineIoServer;
import dev.sio4j.server.SocketIoServer;
import io.netty.channel.ChannelPipeline;
import java.util.OptionalInt;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Serves Socket.IO on a WebFlux application's own Reactor Netty server: every HTTP/1.1 connection
 * of that server gets the Engine.IO handler right after Reactor Netty's HTTP codec, so requests
 * under {@code sio4j.path} (polling, the WebSocket handshake and the upgraded WebSocket) are
 * answered there, on Reactor Netty's event loops, and every other request passes on to WebFlux
 * untouched. The client bundle is served the same way when {@code sio4j.serve-client} is on.
 *
 * <p>Reactor Netty's own handlers never see the Socket.IO requests: what WebFlux configures for its
 * exchanges (filters, compression, access log, metrics) does not apply to them. HTTP/2 connections
 * ({@code server.http2.enabled}) are not served; browsers fall back to a new HTTP/1.1 connection
 * for the WebSocket, and polling over HTTP/2 is not supported.
 *
 * <p>Thread-safety: thread-safe; {@link #apply} runs once when the web server is built, the channel
 * hook on each new connection's event loop, and the state is volatile.
 */
final class ReactorNettyBinding implements NettyServerCustomizer, WebServerBinding {
  private final SocketIoServer server;
  private volatile boolean applied;
  private volatile int port = -1;

  ReactorNettyBinding(SocketIoServer server) {
    this.server = server;
  }

  @Override
  public HttpServer apply(HttpServer httpServer) {
    applied = true;
    EngineIoServer engine = server.engine();
    boolean deflate = engine.options().perMessageDeflate();
    boolean serveClient = server.options().serveClient();
    return httpServer
        .doOnChannelInit(
            (observer, channel, remote) -> {
              ChannelPipeline p = channel.pipeline();
              if (p.get(NettyPipeline.HttpCodec) == null) {
                return; // HTTP/2 or a protocol this binding does not serve
              }
              String after = NettyPipeline.HttpCodec;
              if (deflate) {
                p.addAfter(after, "sio4j.ws-extensions", engine.newDeflateHandler());
                after = "sio4j.ws-extensions";
              }
              if (serveClient) {
                p.addAfter(after, "sio4j.client-bundle", server.newClientBundleHandler());
                after = "sio4j.client-bundle";
              }
              p.addAfter(after, "sio4j.engineio", engine.newHttpHandler());
            })
        .doOnBound(bound -> port = bound.port())
        .doOnUnbound(bound -> port = -1);
  }

  @Override
  public boolean applied() {
    return applied;
  }

  @Override
  public OptionalInt port() {
    int p = port;
    return p < 0 ? OptionalInt.empty() : OptionalInt.of(p);
  }

  @Override
  public String mode() {
    return "reactor-netty";
  }
}
