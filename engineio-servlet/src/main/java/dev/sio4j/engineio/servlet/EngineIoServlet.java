package dev.sio4j.engineio.servlet;

import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link EngineIoServer} (so a {@code SocketIoServer}, through {@code io.engine()}) on a
 * servlet container's own port and path: HTTP long-polling (XHR and JSONP) through asynchronous,
 * non-blocking servlet requests, WebSocket through the container's Jakarta WebSocket support
 * ({@code ServerContainer.upgradeHttpToWebSocket}), and the upgrade from one to the other. Works on
 * Tomcat 10.1+/11, Jetty 12 (ee10) and anything else implementing Servlet 6.0 and WebSocket 2.1,
 * Spring MVC included. The server is built without a port and never started:
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder().build();    // no start(): the container serves it
 * EngineIoServlet.register(servletContext, io.engine());   // maps "/socket.io/*"
 * io.onConnection(socket -> ...);
 * }</pre>
 *
 * <p>The servlet maps to the Engine.IO path ({@link EngineIoOptions#path()}) below the context
 * path; its sessions run on event loops of its own ({@code sio4j-servlet-N}), where the server's
 * callbacks run as on its own port. Every limit of the server's options holds ({@code
 * maxHttpBufferSize} on polling bodies and WebSocket messages, timeouts, the slow-consumer bounds);
 * the container's own limits come on top. WebSocket compression is the container's: {@link
 * EngineIoOptions#perMessageDeflate()} does not apply.
 *
 * <p>Stopping: close the server first ({@code io.close()}), then the servlet is destroyed with the
 * context; {@link #destroy()} closes what sessions remain and stops the loops.
 *
 * <p>Thread-safety: thread-safe, as a servlet must be.
 */
public final class EngineIoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(EngineIoServlet.class);

  /** How long a servlet thread waits for the decision on a WebSocket upgrade. */
  private static final long UPGRADE_DECISION_SECONDS = 10;

  private final transient EngineIoServer engine;
  private final transient EventLoopGroup loops;
  private final transient ThreadPoolExecutor closer;
  private final long asyncTimeoutMillis;
  private final long idleTimeoutMillis;

  private EngineIoServlet(Builder b) {
    this.engine = b.engine;
    EngineIoOptions options = engine.options();
    this.loops =
        new MultiThreadIoEventLoopGroup(
            b.ioThreads,
            new DefaultThreadFactory("sio4j-servlet", true),
            NioIoHandler.newFactory());
    // Closing a WebSocket may block until its close frame is out (Tomcat): a few threads, a
    // bounded queue, and the caller's thread past it.
    this.closer =
        new ThreadPoolExecutor(
            1,
            4,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4096),
            new DefaultThreadFactory("sio4j-servlet-close", true),
            new ThreadPoolExecutor.CallerRunsPolicy());
    this.closer.allowCoreThreadTimeOut(true);
    long heartbeat = options.pingInterval().toMillis() + options.pingTimeout().toMillis();
    // A held poll is answered within a heartbeat; the container's limit only backs that up.
    this.asyncTimeoutMillis = heartbeat + options.upgradeTimeout().toMillis() + 10_000;
    this.idleTimeoutMillis = heartbeat + 10_000;
  }

  /** A servlet for {@code engine} with the default settings. */
  public static EngineIoServlet of(EngineIoServer engine) {
    return builder(engine).build();
  }

  public static Builder builder(EngineIoServer engine) {
    return new Builder(engine);
  }

  /**
   * Adds a servlet for {@code engine} to {@code context} at the Engine.IO path ({@code
   * "/socket.io/*"} for a default {@code SocketIoServer}), asynchronous, loaded on startup. Call it
   * while the context starts (a {@code ServletContainerInitializer}, a {@code
   * ServletContextListener}, Spring Boot's {@code ServletContextInitializer}).
   *
   * @return the servlet added
   */
  public static EngineIoServlet register(ServletContext context, EngineIoServer engine) {
    EngineIoServlet servlet = of(engine);
    servlet.registerIn(context);
    return servlet;
  }

  /** Adds this servlet to {@code context} at {@link #mapping()}; see {@link #register}. */
  public ServletRegistration.Dynamic registerIn(ServletContext context) {
    ServletRegistration.Dynamic reg = context.addServlet("sio4j-engineio", this);
    if (reg == null) {
      throw new IllegalStateException("a servlet named sio4j-engineio is already registered");
    }
    reg.setAsyncSupported(true);
    reg.setLoadOnStartup(1);
    reg.addMapping(mapping());
    return reg;
  }

  /** The URL pattern this servlet serves: the Engine.IO path followed by {@code /*}. */
  public String mapping() {
    String path = engine.options().path();
    return (path.endsWith("/") ? path : path + "/") + "*";
  }

  /** The Engine.IO server served. */
  public EngineIoServer engine() {
    return engine;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (loops.isShuttingDown()) {
      res.sendError(503);
      return;
    }
    HttpMethod method = HttpMethod.valueOf(req.getMethod());
    HttpVersion version =
        "HTTP/1.0".equals(req.getProtocol()) ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    String uri = uriOf(req);
    HttpHeaders headers;
    try {
      headers = headersOf(req);
    } catch (IllegalArgumentException e) {
      // a header the container let through but HTTP forbids
      res.sendError(400);
      return;
    }
    InetSocketAddress local = address(req.getLocalAddr(), req.getLocalPort());
    InetSocketAddress remote = address(req.getRemoteAddr(), req.getRemotePort());
    EventLoop loop = loops.next();
    if (isWebSocketUpgrade(req)) {
      upgrade(
          req,
          res,
          loop,
          local,
          remote,
          new DefaultFullHttpRequest(
              version, method, uri, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE));
      return;
    }
    if (!req.isAsyncSupported()) {
      log.warn("{} must be registered as async-supported to serve Engine.IO", getServletName());
      res.sendError(500);
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(asyncTimeoutMillis);
    AsyncExchange exchange = new AsyncExchange(async, res, engine.options().maxHttpBufferSize());
    RequestChannel channel = new RequestChannel(local, remote, req.isSecure(), exchange);
    exchange.attach(channel);
    async.addListener(exchange);
    pipeline(channel);
    loop.register(channel);
    // A POST is read whatever its headers say (HTTP/2 may send neither length nor chunking).
    boolean hasBody =
        method.equals(HttpMethod.POST)
            || req.getContentLengthLong() > 0
            || req.getHeader("transfer-encoding") != null;
    if (!hasBody) {
      channel.fireLater(
          new DefaultFullHttpRequest(
              version, method, uri, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE));
      return;
    }
    channel.fireLater(new DefaultHttpRequest(version, method, uri, headers));
    req.getInputStream().setReadListener(exchange);
  }

  private void upgrade(
      HttpServletRequest req,
      HttpServletResponse res,
      EventLoop loop,
      InetSocketAddress local,
      InetSocketAddress remote,
      DefaultFullHttpRequest head)
      throws IOException {
    UpgradeExchange exchange = new UpgradeExchange();
    RequestChannel channel = new RequestChannel(local, remote, req.isSecure(), exchange);
    pipeline(channel);
    loop.register(channel);
    channel.fireLater(head);
    Object decision;
    try {
      decision = exchange.decision.get(UPGRADE_DECISION_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      decision = UpgradeExchange.CLOSED;
    } catch (ExecutionException | TimeoutException e) {
      decision = UpgradeExchange.CLOSED;
    } finally {
      channel.closeLater();
    }
    if (decision instanceof UpgradeExchange.Refusal) {
      UpgradeExchange.Refusal refusal = (UpgradeExchange.Refusal) decision;
      res.setStatus(refusal.status());
      for (Map.Entry<String, String> h : refusal.headers()) {
        if (!h.getKey().equalsIgnoreCase("connection")
            && !h.getKey().equalsIgnoreCase("content-length")) {
          res.addHeader(h.getKey(), h.getValue());
        }
      }
      res.setContentLength(refusal.body().length);
      res.getOutputStream().write(refusal.body());
      return;
    }
    if (!(decision instanceof UpgradeExchange.Accept)) {
      res.sendError(503);
      return;
    }
    UpgradeExchange.Accept accept = (UpgradeExchange.Accept) decision;
    Object container = getServletContext().getAttribute(ServerContainer.class.getName());
    if (!(container instanceof ServerContainer)) {
      // The session of a WebSocket-only handshake opens with the socket: none was created.
      log.warn("no Jakarta WebSocket container in this application: WebSocket refused");
      res.sendError(400);
      return;
    }
    EngineIoOptions options = engine.options();
    BridgeEndpoint endpoint =
        new BridgeEndpoint(
            loop,
            accept.onOpen(),
            local,
            remote,
            closer,
            options.maxHttpBufferSize(),
            idleTimeoutMillis);
    try {
      ((ServerContainer) container)
          .upgradeHttpToWebSocket(
              req,
              res,
              endpoint.config(engine.options().path(), accept.headers()),
              Collections.emptyMap());
    } catch (jakarta.websocket.DeploymentException e) {
      log.warn("WebSocket upgrade failed", e);
      if (!res.isCommitted()) {
        res.sendError(500);
      }
    }
  }

  /**
   * What a connection of the server's own port runs, less the HTTP codec and timeouts (the
   * container's): the client bundle's handler if any, the Engine.IO handler, and a 404 for what is
   * outside the Engine.IO path.
   */
  private void pipeline(RequestChannel channel) {
    engine.newBeforeHandler().ifPresent(h -> channel.pipeline().addLast("before-engineio", h));
    channel.pipeline().addLast("engineio", engine.newHttpHandler());
    channel.pipeline().addLast("outside-path", new OutsidePathHandler());
  }

  /** The request's URI below the context path, with its raw query. */
  private static String uriOf(HttpServletRequest req) {
    String path = req.getRequestURI();
    String context = req.getContextPath();
    if (!context.isEmpty() && path.startsWith(context)) {
      path = path.substring(context.length());
    }
    String query = req.getQueryString();
    return query == null ? path : path + "?" + query;
  }

  private static HttpHeaders headersOf(HttpServletRequest req) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (String name : Collections.list(req.getHeaderNames())) {
      for (String value : Collections.list(req.getHeaders(name))) {
        headers.add(name, value);
      }
    }
    return headers;
  }

  private static boolean isWebSocketUpgrade(HttpServletRequest req) {
    String upgrade = req.getHeader("upgrade");
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      return false;
    }
    for (String connection : Collections.list(req.getHeaders("connection"))) {
      for (String token : connection.split(",")) {
        if (token.trim().toLowerCase(Locale.ROOT).equals("upgrade")) {
          return true;
        }
      }
    }
    return false;
  }

  private static InetSocketAddress address(String ip, int port) {
    try {
      // An address literal as the container gives it: no name lookup.
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (UnknownHostException | RuntimeException e) {
      return InetSocketAddress.createUnresolved(String.valueOf(ip), Math.max(port, 0));
    }
  }

  /**
   * Closes the sessions still open (a server closed first has none) and stops the loops, waiting at
   * most a few seconds.
   */
  @Override
  public void destroy() {
    CompletableFuture<Void> closed = engine.close();
    try {
      closed.get(6, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("closing the Engine.IO sessions: {}", e.toString());
    }
    loops.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5000);
    closer.shutdown();
    try {
      // The container checks right after that the application left no thread behind.
      if (!closer.awaitTermination(3, TimeUnit.SECONDS)) {
        // a close still waiting on a peer: the container is dropping its connections anyway
        closer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builder of {@link EngineIoServlet}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private final EngineIoServer engine;
    private int ioThreads = Runtime.getRuntime().availableProcessors();

    private Builder(EngineIoServer engine) {
      this.engine = Objects.requireNonNull(engine);
    }

    /** The number of event loops the sessions run on (default: one per core). */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads must be at least 1");
      }
      this.ioThreads = ioThreads;
      return this;
    }

    public EngineIoServlet build() {
      return new EngineIoServlet(this);
    }
  }
}
