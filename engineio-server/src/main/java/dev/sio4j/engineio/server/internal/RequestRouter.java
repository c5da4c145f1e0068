package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CorsOptions;
import dev.sio4j.engineio.server.EngineIoError;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what an Engine.IO request is, in the order of the reference's {@code verify()}: a CORS
 * preflight, a refusal (unknown transport, bad origin, unknown sid, transport mismatch, bad
 * handshake), a request on a session (poll, POST, WebSocket upgrade) or a handshake, and hands it
 * to the piece that does that job. A foreign {@code Origin} is refused right after the reference's
 * own origin check (see {@link EngineIoOptions#checkOrigin()}), before the sid is looked at.
 *
 * <p>Thread-safety: immutable, shared by every channel of a server; {@link #route} runs on the
 * request channel's loop.
 */
final class RequestRouter {
  private final EngineIoServerCore server;
  private final EngineIoOptions options;
  private final WebSocketAcceptor webSockets;
  private final SessionOpener opener;
  private final AllowRequestGate gate;

  RequestRouter(EngineIoServerCore server) {
    this.server = server;
    this.options = server.options();
    this.webSockets = new WebSocketAcceptor(options);
    this.opener = new SessionOpener(server, webSockets);
    this.gate = options.allowRequest().map(a -> new AllowRequestGate(a, opener)).orElse(null);
  }

  /**
   * Routes one request head.
   *
   * @return the body collector when the request is a POST whose body is to be read, else null (the
   *     request's content, if any, is to be discarded)
   */
  PostBody route(ChannelHandlerContext ctx, HttpRequest req) {
    Channel channel = ctx.channel();
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    Map<String, List<String>> base = new LinkedHashMap<>();
    if (options.cors().isPresent()) {
      CorsOptions cors = options.cors().get();
      if (req.method().equals(HttpMethod.OPTIONS)) {
        Cors.answerPreflight(channel, req, cors, origin);
        return null;
      }
      base.putAll(Cors.headers(cors, origin));
    }
    EngineIoRequest request = Requests.toEngineRequest(channel, req);
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpExchange exchange =
        new HttpExchange(server, channel, request, req.protocolVersion(), keepAlive, base);
    boolean upgrade = Requests.isWebSocketUpgrade(req);

    TransportType transport =
        TransportType.fromWireName(request.query().get("transport")).orElse(null);
    // WebTransport sessions arrive over HTTP/3 on their own port, never as an HTTP request here:
    // named in a query, the transport is unknown, as in the reference.
    if (transport == null
        || transport == TransportType.WEBTRANSPORT
        || !options.transports().contains(transport)) {
      exchange.refuse(EngineIoError.UNKNOWN_TRANSPORT, null, upgrade);
      return null;
    }
    if (origin != null && Requests.hasInvalidHeaderChar(origin)) {
      exchange.refuse(EngineIoError.BAD_REQUEST, null, upgrade);
      return null;
    }
    if (origin != null && options.checkOrigin() && !Origins.allowed(origin, req, options)) {
      exchange.refuse(EngineIoError.FORBIDDEN, Origins.REFUSED, upgrade);
      return null;
    }
    String sid = request.query().get("sid");
    if (sid != null) {
      return onSession(ctx, req, exchange, sid, transport, upgrade);
    }
    if (!req.method().equals(HttpMethod.GET)) {
      exchange.refuse(EngineIoError.BAD_HANDSHAKE_METHOD, null, upgrade);
      return null;
    }
    if (transport == TransportType.WEBSOCKET && !upgrade) {
      exchange.refuse(EngineIoError.BAD_REQUEST, null, false);
      return null;
    }
    if (upgrade && transport != TransportType.WEBSOCKET) {
      exchange.refuse(EngineIoError.BAD_REQUEST, null, true);
      return null;
    }
    if (gate == null) {
      opener.open(ctx, req, exchange, transport, upgrade);
    } else {
      gate.check(ctx, req, exchange, transport, upgrade);
    }
    return null;
  }

  private PostBody onSession(
      ChannelHandlerContext ctx,
      HttpRequest req,
      HttpExchange exchange,
      String sid,
      TransportType transport,
      boolean upgrade) {
    Session session = server.session(sid);
    if (session == null) {
      exchange.refuse(EngineIoError.UNKNOWN_SID, null, upgrade);
      return null;
    }
    if (upgrade) {
      if (transport != TransportType.WEBSOCKET) {
        exchange.refuse(EngineIoError.BAD_REQUEST, null, true);
        return null;
      }
      webSockets.accept(ctx, req, exchange, session.codec(), session.loop(), session::offerUpgrade);
      return null;
    }
    if (session.transport() != transport) {
      exchange.refuse(EngineIoError.BAD_REQUEST, null, false);
      return null;
    }
    HttpMethod method = req.method();
    if (method.equals(HttpMethod.GET)) {
      PollingDispatch.poll(session, exchange);
      return null;
    }
    if (method.equals(HttpMethod.POST)) {
      String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
      boolean binary = contentType.startsWith("application/octet-stream");
      if (binary && !session.codec().acceptsBinaryPayload()) {
        session.loop().execute(() -> session.onError("invalid content"));
        exchange.respond(400, null, new byte[0], null, false);
        return null;
      }
      PostBody post = new PostBody(exchange, session, binary, options.maxHttpBufferSize());
      PollingDispatch.postStarted(session, post);
      return post;
    }
    exchange.respond(500, null, new byte[0], null, false);
    return null;
  }
}
