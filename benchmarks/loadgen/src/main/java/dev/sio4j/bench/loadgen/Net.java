package dev.sio4j.bench.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's network: one event loop (the process is pinned to one core), WebSocket and
 * HTTP connections to the server under test, optionally spread over several loopback source
 * addresses so that more than one ephemeral port range is available, and optionally over several
 * server ports (the nodes of a cluster): connection {@code i} goes to {@code ports[i % ports]}.
 *
 * <p>Thread-safety: connect methods may be called from any thread; everything else happens on
 * {@link #loop}.
 */
final class Net implements AutoCloseable {
  final String host;

  /** The first server port: the one HTTP connections use. */
  final int port;

  final int[] ports;
  final int sources;

  /** The last byte of the first source address, 127.0.0.{sourceBase}. */
  final int sourceBase;

  boolean httpFresh;
  final EventLoopGroup group;
  final EventLoop loop;
  private final Bootstrap base;

  Net(String host, int[] ports, int sources, int sourceBase) {
    this.host = host;
    this.ports = ports.clone();
    this.port = ports[0];
    this.sources = Math.max(1, sources);
    this.sourceBase = sourceBase;
    boolean epoll = Epoll.isAvailable();
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.loop = group.next();
    this.base =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            // Close with a reset: a graceful close leaves the client side in TIME_WAIT for 60 s,
            // and the handshake and idle workloads open tens of thousands of connections, more
            // than the ephemeral port range; connect() then slows down searching for a free port,
            // and the next server measured pays for the previous one's connections.
            .option(ChannelOption.SO_LINGER, 0)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
  }

  private InetSocketAddress local(int index) {
    if (sources <= 1 && sourceBase == 1) {
      return null;
    }
    return new InetSocketAddress("127.0.0." + (sourceBase + index % sources), 0);
  }

  /** Opens a WebSocket at {@code pathAndQuery}; the connection reports through its listener. */
  void connectWs(Conn c, String pathAndQuery) {
    c.startNanos = System.nanoTime();
    int port = ports[Math.floorMod(c.index, ports.length)];
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(URI.create("ws://" + host + ":" + port + pathAndQuery))
            .version(WebSocketVersion.V13)
            .allowExtensions(false)
            .maxFramePayloadLength(1 << 20)
            .handshakeTimeoutMillis(30_000)
            .dropPongFrames(true)
            .build();
    Bootstrap b =
        base.clone()
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(1 << 16))
                        .addLast(new WebSocketClientProtocolHandler(config))
                        .addLast(c);
                  }
                });
    InetSocketAddress local = local(c.index);
    ChannelFuture f =
        local == null ? b.connect(host, port) : b.connect(new InetSocketAddress(host, port), local);
    c.channel = f.channel();
    f.addListener(
        r -> {
          if (!r.isSuccess()) {
            c.closed(r.cause());
          }
        });
  }

  /** Opens an HTTP connection; {@code onConnected} runs on the loop once connected. */
  void connectHttp(
      HttpConn h, int index, Runnable onConnected, java.util.function.Consumer<Throwable> onFail) {
    Bootstrap b =
        base.clone()
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(1 << 20))
                        .addLast(h);
                  }
                });
    InetSocketAddress local = local(index);
    ChannelFuture f =
        local == null ? b.connect(host, port) : b.connect(new InetSocketAddress(host, port), local);
    h.net = this;
    h.index = index;
    h.fresh = httpFresh;
    h.channel = f.channel();
    f.addListener(
        r -> {
          if (r.isSuccess()) {
            onConnected.run();
          } else {
            onFail.accept(r.cause());
          }
        });
  }

  <T> T onLoop(Callable<T> task) throws Exception {
    return loop.submit(task).get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
