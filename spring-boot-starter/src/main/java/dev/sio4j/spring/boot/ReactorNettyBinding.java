package dev.sio4j.spring.boot;

import dev.sio4j.engineio.server.EngineIoServer;
import dev.sio4j.server.SocketIoServer;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
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
    return httpServer
        .doOnChannelInit(
            (observer, channel, remote) -> {
              ChannelPipeline p = channel.pipeline();
              if (p.get(NettyPipeline.HttpCodec) == null
                  || p.get(NettyPipeline.HttpTrafficHandler) == null) {
                return; // HTTP/2 or a protocol this binding does not serve
              }
              Exchange exchange = new Exchange();
              p.addAfter(NettyPipeline.HttpCodec, GUARD, exchange.guard);
              p.addAfter(GUARD, ENTRY, new ChannelDuplexHandler());
              String after = ENTRY;
              if (deflate) {
                p.addAfter(after, "sio4j.ws-extensions", engine.newDeflateHandler());
                after = "sio4j.ws-extensions";
              }
              // The routes handler may add handlers right after itself (the client bundle's), so
              // the Engine.IO handler goes after all of them: in front of Reactor Netty's.
              p.addAfter(after, "sio4j.routes", server.newRoutesHandler());
              p.addBefore(
                  NettyPipeline.HttpTrafficHandler, "sio4j.engineio", engine.newHttpHandler());
              p.addBefore(NettyPipeline.HttpTrafficHandler, "sio4j.marker", exchange.marker);
              p.addAfter(NettyPipeline.HttpTrafficHandler, "sio4j.bypass", exchange.bypass);
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

  private static final String GUARD = "sio4j.guard";
  private static final String ENTRY = "sio4j.entry";

  /**
   * Keeps Reactor Netty's {@code HttpTrafficHandler} out of Socket.IO's exchanges. That handler
   * tracks the requests it passed to WebFlux and rewrites (or drops) every response written from
   * the end of the pipeline accordingly; Engine.IO writes its polling responses, the WebSocket
   * handshake's answer and the frames after it there too (through the channel), for requests the
   * handler never saw. So while a request that sio4j's handlers took (under the Socket.IO path, the
   * client bundle, the static routes) is being answered, and for the rest of a connection upgraded
   * to WebSocket, writes arriving from the end of the pipeline are sent on from in front of the
   * Engine.IO handlers instead ({@code bypass}); the {@code guard} after the HTTP codec sees every
   * request and every write, and tells when that exchange is over. One request at a time per
   * connection (HTTP/1.1 without pipelining, as browsers send it). As Reactor Netty reads on
   * demand, the guard also asks for the next read during and after a Socket.IO exchange, and turns
   * auto-read on for a WebSocket.
   *
   * <p>Thread-safety: confined to the channel's event loop, where Netty runs every handler.
   */
  private static final class Exchange {
    private boolean active;
    private boolean upgraded;

    final ChannelDuplexHandler guard =
        new ChannelDuplexHandler() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest && !upgraded) {
              // Ours unless it reaches Reactor Netty: the marker in front of it says so, while
              // this call runs.
              active = true;
            }
            super.channelRead(ctx, msg);
            if (active || upgraded) {
              // Reactor Netty reads on demand (auto-read off) and asks for more only for the
              // requests it handles: the rest of a Socket.IO request is asked for here.
              ctx.read();
            }
          }

          @Override
          public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
              throws Exception {
            if (active && !upgraded) {
              if (msg instanceof HttpResponse response
                  && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                upgraded = true;
                // A WebSocket reads whatever comes, as the standalone server's channels do.
                ctx.channel().config().setAutoRead(true);
              } else if (msg instanceof LastHttpContent) {
                active = false;
                super.write(ctx, msg, promise);
                ctx.read(); // the next request of this connection, whoever it is for
                return;
              }
            }
            super.write(ctx, msg, promise);
          }
        };

    /** In front of Reactor Netty's handlers: a request that gets here is not Socket.IO's. */
    final ChannelDuplexHandler marker =
        new ChannelDuplexHandler() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest && !upgraded) {
              active = false;
            }
            super.channelRead(ctx, msg);
          }
        };

    final ChannelDuplexHandler bypass =
        new ChannelDuplexHandler() {
          @Override
          public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
              throws Exception {
            if (active || upgraded) {
              ChannelHandlerContext entry = ctx.pipeline().context(ENTRY);
              if (entry != null) {
                entry.write(msg, promise);
                return;
              }
            }
            super.write(ctx, msg, promise);
          }
        };
  }

  @Override
  public String mode() {
    return "reactor-netty";
  }
}
