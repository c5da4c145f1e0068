package dev.sio4j.engineio.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP entry point of an Engine.IO server, one instance per channel, placed after Netty's
 * {@code HttpServerCodec}. Requests under the server's path are validated as the reference does and
 * routed to sessions (polling) or turned into WebSockets; any other request, with its content, is
 * passed to the next handler untouched, so the server can share a pipeline with an application's
 * own HTTP handlers.
 *
 * <p>Thread-safety: one instance per channel, used on that channel's event loop. Work on a session
 * is handed to the session's loop.
 */
final class EngineIoHttpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(EngineIoHttpHandler.class);

  private final EngineIoServerCore server;
  private final EngineIoOptions options;
  private final String matchPath;

  /** What to do with the content of the request being read. */
  private enum Mode {
    IDLE,
    PASS_THROUGH,
    DISCARD,
    COLLECT
  }

  private Mode mode = Mode.IDLE;
  private PendingPost post;

  EngineIoHttpHandler(EngineIoServerCore server) {
    this.server = server;
    this.options = server.options();
    this.matchPath = options.matchPath();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      HttpRequest request = (HttpRequest) msg;
      if (!request.uri().startsWith(matchPath)) {
        mode = Mode.PASS_THROUGH;
        ctx.fireChannelRead(msg);
        return;
      }
      mode = Mode.DISCARD;
      try {
        onRequest(ctx, request);
      } catch (RuntimeException e) {
        log.warn("failed to handle {}", request.uri(), e);
        if (ctx.channel().isActive()) {
          sendPlain(ctx.channel(), request.protocolVersion(), 500, "", false);
        }
        mode = Mode.DISCARD;
      }
      if (msg instanceof HttpContent && mode != Mode.PASS_THROUGH) {
        onContent(ctx, (HttpContent) msg);
      } else {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (msg instanceof HttpContent) {
      if (mode == Mode.PASS_THROUGH) {
        ctx.fireChannelRead(msg);
        if (msg instanceof LastHttpContent) {
          mode = Mode.IDLE;
        }
        return;
      }
      onContent(ctx, (HttpContent) msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    try {
      if (mode == Mode.COLLECT && post != null) {
        post.append(content.content());
        if (content instanceof LastHttpContent) {
          PendingPost done = post;
          post = null;
          mode = Mode.IDLE;
          done.complete();
        }
      } else if (content instanceof LastHttpContent) {
        mode = Mode.IDLE;
      }
    } finally {
      content.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (post != null) {
      post.discard();
      post = null;
    }
    ctx.fireChannelInactive();
  }

  // ---- routing -------------------------------------------------------------------------------

  private void onRequest(ChannelHandlerContext ctx, HttpRequest req) {
    Channel channel = ctx.channel();
    EngineIoRequest request = toEngineRequest(channel, req);
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    Map<String, List<String>> base = new LinkedHashMap<>();
    if (options.cors().isPresent()) {
      CorsOptions cors = options.cors().get();
      if (req.method().equals(HttpMethod.OPTIONS)) {
        Map<String, List<String>> h = Cors.preflight(cors, origin, req.headers());
        FullHttpResponse res =
            new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.NO_CONTENT);
        h.forEach(res.headers()::add);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        write(channel, res, HttpUtil.isKeepAlive(req));
        return;
      }
      base.putAll(Cors.headers(cors, origin));
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpExchange exchange =
        new HttpExchange(server, channel, request, req.protocolVersion(), keepAlive, base);
    boolean upgrade = isWebSocketUpgrade(req);

    // verify(), in the reference's order
    String transportName = request.query().get("transport");
    TransportType transport = TransportType.fromWireName(transportName).orElse(null);
    if (transport == null || !options.transports().contains(transport)) {
      refuse(exchange, upgrade, EngineIoError.UNKNOWN_TRANSPORT, null);
      return;
    }
    if (origin != null && hasInvalidHeaderChar(origin)) {
      refuse(exchange, upgrade, EngineIoError.BAD_REQUEST, null);
      return;
    }
    String sid = request.query().get("sid");
    if (sid != null) {
      Session session = server.session(sid);
      if (session == null) {
        refuse(exchange, upgrade, EngineIoError.UNKNOWN_SID, null);
        return;
      }
      if (!upgrade && session.transport() != transport) {
        refuse(exchange, false, EngineIoError.BAD_REQUEST, null);
        return;
      }
      if (upgrade) {
        if (transport != TransportType.WEBSOCKET) {
          refuse(exchange, true, EngineIoError.BAD_REQUEST, null);
          return;
        }
        upgradeExisting(ctx, req, exchange, session);
        return;
      }
      onSessionRequest(req, exchange, session);
      return;
    }
    if (!req.method().equals(HttpMethod.GET)) {
      refuse(exchange, upgrade, EngineIoError.BAD_HANDSHAKE_METHOD, null);
      return;
    }
    if (transport == TransportType.WEBSOCKET && !upgrade) {
      refuse(exchange, false, EngineIoError.BAD_REQUEST, null);
      return;
    }
    if (upgrade && transport != TransportType.WEBSOCKET) {
      refuse(exchange, true, EngineIoError.BAD_REQUEST, null);
      return;
    }
    if (options.allowRequest().isEmpty()) {
      handshake(ctx, req, exchange, transport, upgrade);
      return;
    }
    // The decision may come later: keep reading nothing of this request until it does. A
    // handshake is a GET, so there is no body to hold.
    CompletionStage<AllowRequest.Decision> decision;
    try {
      decision = options.allowRequest().get().check(request);
    } catch (RuntimeException e) {
      refuse(exchange, upgrade, EngineIoError.FORBIDDEN, e.getMessage());
      return;
    }
    FullHttpRequest retained = upgrade ? copyHead(req) : null;
    decision.whenComplete(
        (d, err) ->
            ctx.executor()
                .execute(
                    () -> {
                      try {
                        if (err != null || d == null || !d.allowed()) {
                          String message =
                              err != null ? err.getMessage() : d == null ? null : d.message();
                          refuse(exchange, upgrade, EngineIoError.FORBIDDEN, message);
                        } else if (channel.isActive()) {
                          handshake(
                              ctx, retained != null ? retained : req, exchange, transport, upgrade);
                        }
                      } finally {
                        if (retained != null) {
                          retained.release();
                        }
                      }
                    }));
  }

  private void refuse(HttpExchange exchange, boolean upgrade, EngineIoError error, String message) {
    server.connectionError(exchange.request, error, message);
    if (upgrade) {
      // The reference writes a raw 400 on the socket for every refused upgrade, then destroys it.
      String body = message != null ? message : error.message();
      sendPlain(exchange.channel, exchange.version, 400, body, true);
    } else {
      exchange.respondError(error, message);
    }
  }

  private void onSessionRequest(HttpRequest req, HttpExchange exchange, Session session) {
    HttpMethod method = req.method();
    if (method.equals(HttpMethod.GET)) {
      session
          .loop()
          .execute(
              () -> {
                Transport t = session.currentTransport();
                if (session.state() == Session.State.CLOSED) {
                  exchange.respondError(EngineIoError.UNKNOWN_SID, null);
                } else if (!(t instanceof PollingTransport)) {
                  exchange.respondError(EngineIoError.BAD_REQUEST, null);
                } else {
                  ((PollingTransport) t).onPollRequest(exchange);
                }
              });
    } else if (method.equals(HttpMethod.POST)) {
      String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
      boolean binary = contentType.startsWith("application/octet-stream");
      if (binary && session.protocol() == 4) {
        session.loop().execute(() -> session.onError("invalid content"));
        exchange.respond(400, null, new byte[0], null, false);
        return;
      }
      post = new PendingPost(exchange, session, binary, exchange.channel);
      mode = Mode.COLLECT;
    } else {
      exchange.respond(500, null, new byte[0], null, false);
    }
  }

  private void handshake(
      ChannelHandlerContext ctx,
      HttpRequest req,
      HttpExchange exchange,
      TransportType transport,
      boolean upgrade) {
    int protocol = "4".equals(exchange.request.query().get("EIO")) ? 4 : 3;
    if (protocol == 3 && !options.allowEIO3()) {
      refuse(exchange, upgrade, EngineIoError.UNSUPPORTED_PROTOCOL_VERSION, null);
      return;
    }
    String id;
    try {
      id = options.idGenerator().apply(exchange.request);
    } catch (RuntimeException e) {
      refuse(exchange, upgrade, EngineIoError.BAD_REQUEST, null);
      return;
    }
    EventLoop loop = ctx.channel().eventLoop();
    if (transport == TransportType.POLLING) {
      PollingTransport polling = new PollingTransport(server, loop, protocol, exchange.request);
      Session session = new Session(server, id, protocol, exchange.request, loop, polling);
      server.add(session);
      exchange.setSessionIdForCookie(id);
      session.open(server.upgrades(TransportType.POLLING));
      polling.onPollRequest(exchange);
      openHandler(session);
      return;
    }
    acceptWebSocket(
        ctx,
        req,
        exchange,
        protocol,
        loop,
        ws -> {
          Session session = new Session(server, id, protocol, exchange.request, loop, ws);
          server.add(session);
          session.open(server.upgrades(TransportType.WEBSOCKET));
          openHandler(session);
        });
  }

  private void openHandler(Session session) {
    try {
      server.handler().onOpen(session);
    } catch (RuntimeException e) {
      log.warn("open handler of session {} failed", session.id(), e);
    }
  }

  private void upgradeExisting(
      ChannelHandlerContext ctx, HttpRequest req, HttpExchange exchange, Session session) {
    acceptWebSocket(
        ctx,
        req,
        exchange,
        session.protocol(),
        session.loop(),
        ws -> {
          Runnable attach =
              () -> {
                // As the reference: the WebSocket is accepted, then closed if the session cannot
                // take it (gone, already upgrading, or already upgraded).
                if (session.state() != Session.State.OPEN
                    || session.isUpgrading()
                    || session.isUpgradedOnLoop()) {
                  ws.close();
                } else {
                  session.maybeUpgrade(ws);
                }
              };
          // Inline when possible: the probe may be read right after the 101 and must find the
          // upgrade listener in place (frames reach the session loop in order either way).
          if (session.loop().inEventLoop()) {
            attach.run();
          } else {
            session.loop().execute(attach);
          }
        });
  }

  /**
   * Completes the WebSocket handshake and replaces this handler by the frame handler; {@code
   * onOpen} gets the transport once the 101 response is written (writing frames earlier could race
   * with the removal of the HTTP codec). Answers an invalid handshake itself.
   */
  private void acceptWebSocket(
      ChannelHandlerContext ctx,
      HttpRequest req,
      HttpExchange exchange,
      int protocol,
      EventLoop sessionLoop,
      java.util.function.Consumer<WebSocketTransport> onOpen) {
    Channel channel = ctx.channel();
    WebSocketDecoderConfig config =
        WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(options.maxHttpBufferSize())
            .allowExtensions(options.perMessageDeflate())
            .closeOnProtocolViolation(true)
            .build();
    String scheme = exchange.request.secure() ? "wss://" : "ws://";
    String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
    WebSocketServerHandshakerFactory factory =
        new WebSocketServerHandshakerFactory(scheme + host + req.uri(), null, config);
    WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    exchange.responseHeaders(new LinkedHashMap<>()).forEach(headers::add);
    WebSocketTransport ws =
        new WebSocketTransport(
            channel,
            sessionLoop,
            protocol,
            exchange.request.query().containsKey("b64"),
            options.perMessageDeflate(),
            options.perMessageDeflateThreshold());
    FullHttpRequest full = req instanceof FullHttpRequest ? null : copyHead(req);
    try {
      handshaker
          .handshake(
              channel, full != null ? full : (FullHttpRequest) req, headers, channel.newPromise())
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  onOpen.accept(ws);
                } else {
                  channel.close();
                }
              });
    } finally {
      if (full != null) {
        full.release();
      }
    }
    ChannelPipeline p = ctx.pipeline();
    // Flushes are consolidated by the transport (once per loop turn), not by a pipeline handler:
    // the replies a client waits for alone (the open packet, 3probe, the Socket.IO CONNECT
    // answer) are flushed at once, which the compliance suites' clients rely on.
    p.addAfter(
        ctx.name(),
        "engineio-ws-aggregator",
        new WebSocketFrameAggregator(options.maxHttpBufferSize()));
    p.addAfter("engineio-ws-aggregator", "engineio-ws", new WebSocketFrameHandler(ws, sessionLoop));
    p.remove(this);
  }

  private static FullHttpRequest copyHead(HttpRequest req) {
    return new DefaultFullHttpRequest(
        req.protocolVersion(),
        req.method(),
        req.uri(),
        Unpooled.EMPTY_BUFFER,
        req.headers().copy(),
        EmptyHttpHeaders.INSTANCE);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private EngineIoRequest toEngineRequest(Channel channel, HttpRequest req) {
    QueryStringDecoder decoder = new QueryStringDecoder(req.uri());
    Map<String, String> query = new HashMap<>();
    decoder
        .parameters()
        .forEach(
            (k, v) ->
                query.put(
                    CommonStrings.canonical(k),
                    v.isEmpty() ? "" : CommonStrings.canonical(v.get(v.size() - 1))));
    Map<String, List<String>> headers = new HashMap<>();
    for (Map.Entry<String, String> e : req.headers()) {
      headers
          .computeIfAbsent(
              CommonStrings.canonical(e.getKey().toLowerCase(java.util.Locale.ROOT)),
              k -> new ArrayList<>())
          .add(CommonStrings.canonical(e.getValue()));
    }
    SocketAddress address = channel.remoteAddress();
    InetSocketAddress remote =
        address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    boolean secure = channel.pipeline().get(SslHandler.class) != null;
    return new EngineIoRequest(req.method().name(), req.uri(), query, headers, remote, secure);
  }

  static boolean isWebSocketUpgrade(HttpRequest req) {
    HttpHeaders h = req.headers();
    return h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && h.contains(HttpHeaderNames.UPGRADE)
        && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(h.get(HttpHeaderNames.UPGRADE));
  }

  /** Node's check for characters that may not appear in a header value. */
  static boolean hasInvalidHeaderChar(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return true;
      }
    }
    return false;
  }

  static void sendPlain(
      Channel channel, HttpVersion version, int status, String body, boolean close) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            version, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
    if (close) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html");
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    write(channel, res, !close);
  }

  private static void write(Channel channel, FullHttpResponse res, boolean keepAlive) {
    if (keepAlive) {
      channel.writeAndFlush(res);
    } else {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      channel.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * A POST body being read. Bodies are bounded by {@code maxHttpBufferSize}: past it the request
   * gets a 413 and the rest of its content is dropped, as the reference does.
   */
  private final class PendingPost {
    private final HttpExchange exchange;
    private final Session session;
    private final boolean binary;
    private final CompositeByteBuf body;
    private boolean tooLarge;

    PendingPost(HttpExchange exchange, Session session, boolean binary, Channel channel) {
      this.exchange = exchange;
      this.session = session;
      this.binary = binary;
      this.body = channel.alloc().compositeBuffer(64);
    }

    void append(ByteBuf chunk) {
      if (tooLarge || !chunk.isReadable()) {
        return;
      }
      if (body.readableBytes() + chunk.readableBytes() > options.maxHttpBufferSize()) {
        tooLarge = true;
        body.release();
        exchange.respond(413, null, new byte[0], null, false);
        return;
      }
      body.addComponent(true, chunk.retain());
    }

    void complete() {
      if (tooLarge) {
        return;
      }
      byte[] bytes = ByteBufUtil.getBytes(body);
      body.release();
      session
          .loop()
          .execute(
              () -> {
                Transport t = session.currentTransport();
                if (session.state() == Session.State.CLOSED) {
                  exchange.respondError(EngineIoError.UNKNOWN_SID, null);
                } else if (!(t instanceof PollingTransport)) {
                  exchange.respondError(EngineIoError.BAD_REQUEST, null);
                } else {
                  ((PollingTransport) t).onDataRequest(exchange, bytes, binary);
                }
              });
    }

    void discard() {
      if (!tooLarge) {
        body.release();
      }
    }
  }
}
