package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.EngineIoError;
import dev.sio4j.engineio.server.EngineIoOptions;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a session for an accepted handshake: picks the protocol's codec (the one place that reads
 * {@code EIO}), generates the id, creates the first transport and the session on the channel's
 * loop, sends the open packet and tells the handler.
 *
 * <p>Thread-safety: immutable, shared by every channel of a server; {@link #open} runs on the
 * handshake channel's loop, which becomes the session's.
 */
final class SessionOpener {
  private static final Logger log = LoggerFactory.getLogger(SessionOpener.class);

  private final EngineIoServerCore server;
  private final EngineIoOptions options;
  private final WebSocketAcceptor webSockets;

  SessionOpener(EngineIoServerCore server, WebSocketAcceptor webSockets) {
    this.server = server;
    this.options = server.options();
    this.webSockets = webSockets;
  }

  void open(
      ChannelHandlerContext ctx,
      HttpRequest req,
      HttpExchange exchange,
      TransportType transport,
      boolean upgrade) {
    // As the reference: anything but EIO=4 (a missing or invalid value included) is protocol 3.
    EngineIoCodec codec =
        "4".equals(exchange.request.query().get("EIO"))
            ? EngineIoCodec.v4()
            : options.allowEIO3() ? EngineIoCodec.v3() : null;
    if (codec == null) {
      exchange.refuse(EngineIoError.UNSUPPORTED_PROTOCOL_VERSION, null, upgrade);
      return;
    }
    String id;
    try {
      id = options.idGenerator().apply(exchange.request);
    } catch (RuntimeException e) {
      exchange.refuse(EngineIoError.BAD_REQUEST, null, upgrade);
      return;
    }
    EventLoop loop = ctx.channel().eventLoop();
    if (transport == TransportType.POLLING) {
      PollingTransport polling = new PollingTransport(server, loop, codec, exchange.request);
      Session session = new Session(server, id, codec, exchange.request, loop, polling);
      server.add(session);
      exchange.setSessionIdForCookie(id);
      session.open(server.upgrades(TransportType.POLLING));
      polling.onPollRequest(exchange);
      tellHandler(session);
      return;
    }
    webSockets.accept(
        ctx,
        req,
        exchange,
        codec,
        loop,
        ws -> {
          Session session = new Session(server, id, codec, exchange.request, loop, ws);
          server.add(session);
          session.open(server.upgrades(TransportType.WEBSOCKET));
          tellHandler(session);
        });
  }

  private void tellHandler(Session session) {
    try {
      server.handler().onOpen(session);
    } catch (RuntimeException e) {
      log.warn("open handler of session {} failed", session.id(), e);
    }
  }
}
