package dev.sio4j.engineio.server;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.internal.EngineIoServerCore;
import dev.sio4j.engineio.server.internal.NettyTransports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Engine.IO v4 server (and v3 with {@code allowEIO3}), standalone on a port or mounted in an
 * application's own Netty pipeline.
 *
 * <pre>{@code
 * EngineIoServer server = EngineIoServer.builder()
 *     .port(3000)
 *     .handler(new EngineIoHandler() { ... })
 *     .build();
 * server.start().join();
 * }</pre>
 *
 * <p>To mount it in an existing pipeline, put {@link #newHttpHandler()} after an {@code
 * HttpServerCodec}; requests outside {@link EngineIoOptions#path()} pass through untouched.
 *
 * <p>Thread-safety: thread-safe. {@link #start()} and {@link #close()} may be called from any
 * thread; the handler's callbacks run on Netty event loops (see {@link EngineIoHandler}).
 */
public final class EngineIoServer {
  private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);

  private final EngineIoServerCore core;
  private final String host;
  private final int requestedPort;
  private final SslContext sslContext;
  private final int ioThreads;
  private final Supplier<? extends ChannelHandler> fallback;
  private final Supplier<? extends ChannelHandler> before;
  private final IoTransport requestedTransport;
  private volatile IoTransport transport;
  private volatile EventLoopGroup bossGroup;
  private volatile EventLoopGroup workerGroup;
  private volatile Channel serverChannel;
  private volatile OptionalInt webTransportPort = OptionalInt.empty();

  private EngineIoServer(Builder b) {
    this.core = new EngineIoServerCore(b.options, b.handler);
    this.host = b.host;
    this.requestedPort = b.port;
    this.sslContext = b.sslContext;
    this.ioThreads = b.ioThreads;
    this.fallback = b.fallback;
    this.before = b.before;
    this.requestedTransport = b.transport != null ? b.transport : IoTransport.fromSystemProperty();
  }

  public static Builder builder() {
    return new Builder();
  }

  public EngineIoOptions options() {
    return core.options();
  }

  /** The number of open sessions. */
  public int clientsCount() {
    return core.clientsCount();
  }

  /**
   * A new handler for one channel of an application's pipeline, to be placed after its {@code
   * HttpServerCodec} (and after {@link #newDeflateHandler()} if permessage-deflate is on). Requests
   * outside the Engine.IO path are passed on, content included.
   */
  public ChannelHandler newHttpHandler() {
    return core.newHttpHandler();
  }

  /**
   * A new instance of the handler {@link Builder#before} puts ahead of {@link #newHttpHandler()}
   * (the Socket.IO client bundle), for a binding that builds a channel's pipeline itself (a servlet
   * container's); empty when the server has none.
   */
  public Optional<ChannelHandler> newBeforeHandler() {
    return before == null ? Optional.empty() : Optional.of(before.get());
  }

  /**
   * A new permessage-deflate handler for one channel of an application's pipeline, to be placed
   * between its {@code HttpServerCodec} and {@link #newHttpHandler()} when {@link
   * EngineIoOptions#perMessageDeflate()} is on. It leaves uncompressed what the reference leaves
   * uncompressed: messages below {@link EngineIoOptions#perMessageDeflateThreshold()} and those
   * sent with {@code compress=false}.
   */
  public ChannelHandler newDeflateHandler() {
    return EngineIoServerCore.newDeflateHandler(core.options().maxHttpBufferSize());
  }

  /**
   * Binds the port; completes with this server once it listens, which is logged in one INFO line
   * (address, path, transports). Fails when the port cannot be bound (an {@link
   * java.io.UncheckedIOException} whose message names the host and port, also logged in one ERROR
   * line), or when the transport asked for ({@link Builder#transport}) is not available here.
   */
  public synchronized CompletableFuture<EngineIoServer> start() {
    if (serverChannel != null) {
      return CompletableFuture.completedFuture(this);
    }
    NettyTransports.Selected selected;
    try {
      selected = NettyTransports.select(requestedTransport);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
    bossGroup =
        new MultiThreadIoEventLoopGroup(1, named("sio4j-accept-"), selected.ioHandlerFactory());
    workerGroup =
        new MultiThreadIoEventLoopGroup(ioThreads, named("sio4j-io-"), selected.ioHandlerFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(selected.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    initPipeline(ch.pipeline(), ch);
                  }
                });
    CompletableFuture<EngineIoServer> result = new CompletableFuture<>();
    bootstrap
        .bind(new InetSocketAddress(host, requestedPort))
        .addListener(
            f -> {
              if (f.isSuccess()) {
                serverChannel = ((io.netty.channel.ChannelFuture) f).channel();
                transport = selected.transport();
                InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
                log.info(
                    "sio4j listening on {}://{}:{}{} (transports: {}; {} event loops on {}{})",
                    sslContext != null ? "https" : "http",
                    host,
                    bound.getPort(),
                    core.options().matchPath(),
                    core.options().transports().stream()
                        .sorted()
                        .map(TransportType::wireName)
                        .collect(Collectors.joining(", ")),
                    ioThreads,
                    selected.transport().wireName(),
                    requestedTransport == IoTransport.AUTO ? "" : ", forced");
                core.startWebTransport(host, bound.getPort())
                    .whenComplete(
                        (port, e) -> {
                          if (e != null) {
                            log.error("cannot start WebTransport on {}: {}", host, e.toString());
                            close().whenComplete((x, y) -> result.completeExceptionally(e));
                            return;
                          }
                          webTransportPort = port;
                          port.ifPresent(
                              p -> log.info("sio4j WebTransport (HTTP/3) on udp {}:{}", host, p));
                          result.complete(this);
                        });
              } else {
                shutdownGroups();
                result.completeExceptionally(bindFailure(f.cause()));
              }
            });
    return result;
  }

  /**
   * The port could not be bound (in use, a privileged port, an address not of this machine): one
   * ERROR line that names the address, no stack trace (the cause is the whole story), and an
   * exception with the same message for {@link #start()}'s future.
   */
  private RuntimeException bindFailure(Throwable cause) {
    String reason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    String message = "cannot listen on " + host + ":" + requestedPort + ": " + reason;
    log.error("{}", message);
    return cause instanceof java.io.IOException io
        ? new java.io.UncheckedIOException(message, io)
        : new IllegalStateException(message, cause);
  }

  /**
   * Names the threads of a group {@code prefix1}, {@code prefix2}...: a thread dump or a log line
   * then says which threads are the server's. Netty's fast thread-local threads, as its default
   * factory makes.
   */
  private static ThreadFactory named(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return r -> new FastThreadLocalThread(r, prefix + next.incrementAndGet());
  }

  private void initPipeline(ChannelPipeline p, SocketChannel ch) {
    if (sslContext != null) {
      p.addLast("ssl", sslContext.newHandler(ch.alloc()));
    }
    p.addLast("http", core.newHttpCodec());
    core.guardHttp(p, "http");
    if (core.options().perMessageDeflate()) {
      p.addLast("ws-extensions", newDeflateHandler());
    }
    if (before != null) {
      p.addLast("before-engineio", before.get());
    }
    p.addLast("engineio", newHttpHandler());
    p.addLast("fallback", fallback.get());
    p.addLast("engineio-errors", EngineIoServerCore.lastResortErrorHandler());
  }

  /** The port the server listens on (the actual one when built with port 0). */
  public int port() {
    Channel ch = serverChannel;
    if (ch == null) {
      throw new IllegalStateException("not started");
    }
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  /**
   * The UDP port of the WebTransport (HTTP/3) listener, once started; empty when WebTransport is
   * off ({@link EngineIoOptions#webTransport()}) or before the server started.
   */
  public OptionalInt webTransportPort() {
    return webTransportPort;
  }

  /**
   * The Netty transport the server runs on: never {@link IoTransport#AUTO}, which resolves to a
   * real one when the server starts.
   *
   * @throws IllegalStateException before the server started
   */
  public IoTransport transport() {
    IoTransport t = transport;
    if (t == null) {
      throw new IllegalStateException("not started");
    }
    return t;
  }

  /**
   * Closes every session (without waiting for their buffers: as the reference's {@code close()},
   * sessions are discarded) and releases the port.
   */
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Channel ch;
    synchronized (this) {
      ch = serverChannel;
      serverChannel = null;
    }
    // Stop accepting first, then close every session on its loop and wait for that, so the
    // close packets answering pending polls are written before the loops go away.
    CompletableFuture<Void> unbound = new CompletableFuture<>();
    if (ch == null) {
      unbound.complete(null);
    } else {
      ch.close().addListener(f -> unbound.complete(null));
    }
    unbound
        .thenCompose(v -> core.closeAll())
        .thenCompose(v -> core.closeWebTransport())
        .whenComplete(
            (v, e) -> {
              // A short quiet period lets the writes those closes queued on other loops run.
              CompletableFuture<?> a = toFuture(bossGroup);
              CompletableFuture<?> w = toFuture(workerGroup);
              CompletableFuture.allOf(a, w).whenComplete((x, y) -> done.complete(null));
            });
    return done;
  }

  private static CompletableFuture<?> toFuture(EventLoopGroup group) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (group == null) {
      f.complete(null);
      return f;
    }
    group.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).addListener(x -> f.complete(null));
    return f;
  }

  private void shutdownGroups() {
    if (bossGroup != null) {
      bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    if (workerGroup != null) {
      workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }

  /**
   * Answers every request outside the Engine.IO path, as the reference's standalone server does:
   * 501 Not Implemented.
   */
  static final class NotImplementedHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final int status;

    NotImplementedHandler(int status) {
      this.status = status;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpRequest) {
        HttpRequest req = (HttpRequest) msg;
        FullHttpResponse res =
            new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.valueOf(status));
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
        if (HttpUtil.isKeepAlive(req)) {
          ctx.writeAndFlush(res);
        } else {
          ctx.writeAndFlush(res).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
      }
    }
  }

  /** Builder of {@link EngineIoServer}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private EngineIoOptions options = EngineIoOptions.defaults();
    private EngineIoHandler handler;
    private String host = "127.0.0.1";
    private int port;
    private SslContext sslContext;
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    private Supplier<? extends ChannelHandler> fallback = () -> new NotImplementedHandler(501);
    private Supplier<? extends ChannelHandler> before;
    private IoTransport transport;

    private Builder() {}

    public Builder options(EngineIoOptions options) {
      this.options = Objects.requireNonNull(options);
      return this;
    }

    public Builder handler(EngineIoHandler handler) {
      this.handler = Objects.requireNonNull(handler);
      return this;
    }

    /** The address to bind; {@code 127.0.0.1} by default, {@code 0.0.0.0} for every interface. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** The port to bind; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Serves HTTPS and WSS with this context. */
    public Builder ssl(SslContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /** The number of event loops serving connections (default: one per core). */
    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    /**
     * The Netty transport of the event loops (see {@link IoTransport}). Without this call the
     * system property {@value IoTransport#PROPERTY} decides, and without that {@link
     * IoTransport#AUTO}: epoll on Linux, io_uring where only that is there, NIO elsewhere.
     */
    public Builder transport(IoTransport transport) {
      this.transport = Objects.requireNonNull(transport);
      return this;
    }

    /**
     * The handler for requests outside the Engine.IO path, one new instance per channel; the
     * default answers 501 Not Implemented.
     */
    public Builder fallback(Supplier<? extends ChannelHandler> fallback) {
      this.fallback = Objects.requireNonNull(fallback);
      return this;
    }

    /**
     * A handler placed before the Engine.IO handler, one new instance per channel: it sees every
     * HTTP request first and passes on those it does not answer (used to serve the Socket.IO client
     * bundle, whose URLs sit under the Engine.IO path).
     */
    public Builder before(Supplier<? extends ChannelHandler> before) {
      this.before = before;
      return this;
    }

    /** A fallback answering every request outside the Engine.IO path with {@code status}. */
    public static Supplier<ChannelHandler> statusFallback(int status) {
      return () -> new NotImplementedHandler(status);
    }

    public EngineIoServer build() {
      if (handler == null) {
        throw new IllegalStateException("a handler is required");
      }
      return new EngineIoServer(this);
    }
  }
}
