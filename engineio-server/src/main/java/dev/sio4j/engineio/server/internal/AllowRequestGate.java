package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.AllowRequest;
import dev.sio4j.engineio.server.EngineIoError;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletionStage;

/**
 * Asks the application's {@link AllowRequest} about a handshake and opens the session once it
 * allows it. The answer may come later and on any thread: the rest of the handshake hops back to
 * the channel's loop. A refusal, a thrown exception or a failed stage is error 4 {@code Forbidden},
 * with the refusal's message when there is one.
 *
 * <p>Thread-safety: immutable, shared by every channel of a server; {@link #check} runs on the
 * channel's loop.
 */
final class AllowRequestGate {
  private final AllowRequest allowRequest;
  private final SessionOpener opener;

  AllowRequestGate(AllowRequest allowRequest, SessionOpener opener) {
    this.allowRequest = allowRequest;
    this.opener = opener;
  }

  void check(
      ChannelHandlerContext ctx,
      HttpRequest req,
      HttpExchange exchange,
      TransportType transport,
      boolean upgrade) {
    // A handshake is a GET, so there is no body to hold while the decision is pending.
    CompletionStage<AllowRequest.Decision> decision;
    try {
      decision = allowRequest.check(exchange.request);
    } catch (RuntimeException e) {
      exchange.refuse(EngineIoError.FORBIDDEN, e.getMessage(), upgrade);
      return;
    }
    // The WebSocket handshake needs the request's headers after this message was released.
    FullHttpRequest retained = upgrade ? Requests.copyHead(req) : null;
    decision.whenComplete(
        (d, err) ->
            ctx.executor()
                .execute(
                    () -> {
                      try {
                        if (err != null || d == null || !d.allowed()) {
                          String message =
                              err != null ? err.getMessage() : d == null ? null : d.message();
                          exchange.refuse(EngineIoError.FORBIDDEN, message, upgrade);
                        } else if (ctx.channel().isActive()) {
                          opener.open(
                              ctx, retained != null ? retained : req, exchange, transport, upgrade);
                        }
                      } finally {
                        if (retained != null) {
                          retained.release();
                        }
                      }
                    }));
  }
}
