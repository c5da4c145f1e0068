package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.server.EngineIoOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

/**
 * Turns an HTTP channel into a WebSocket one: answers the handshake (101, with Engine.IO's response
 * headers), then replaces the Engine.IO HTTP handler by the UTF-8 check of text messages, the frame
 * aggregator (bounded by {@code maxHttpBufferSize}) and the {@link WebSocketFrameHandler}.
 *
 * <p>Thread-safety: immutable, shared by every channel of a server; {@link #accept} runs on the
 * channel's loop.
 */
final class WebSocketAcceptor {
  private final EngineIoOptions options;
  private final WebSocketDecoderConfig config;

  WebSocketAcceptor(EngineIoOptions options) {
    this.options = options;
    this.config =
        WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(options.maxHttpBufferSize())
            .allowExtensions(options.perMessageDeflate())
            .closeOnProtocolViolation(true)
            .build();
  }

  /**
   * Completes the handshake of {@code req} on {@code ctx}'s channel; {@code onOpen} gets the
   * transport once the 101 response is written (writing frames earlier could race with the removal
   * of the HTTP codec). Answers an invalid handshake itself.
   */
  void accept(
      ChannelHandlerContext ctx,
      HttpRequest req,
      HttpExchange exchange,
      EngineIoCodec codec,
      EventLoop sessionLoop,
      Consumer<WebSocketTransport> onOpen) {
    Channel channel = ctx.channel();
    if (channel instanceof HostedConnection) {
      acceptHosted((HostedConnection) channel, exchange, codec, sessionLoop, onOpen);
      return;
    }
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
            codec,
            exchange.request.query().containsKey("b64"),
            options.perMessageDeflate(),
            options.perMessageDeflateThreshold());
    FullHttpRequest full = req instanceof FullHttpRequest ? null : Requests.copyHead(req);
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
    // The handshaker does not add Netty's UTF-8 check (only its protocol handler does, which this
    // pipeline does not use). Ahead of the aggregator, it checks a text message fragment by
    // fragment
    // (a sequence split across frames included) and answers invalid UTF-8 with 1007, as the
    // reference's ws server does, instead of the transport decoding it to U+FFFD.
    p.addAfter(ctx.name(), "engineio-ws-utf8", new Utf8FrameValidator(true));
    p.addAfter(
        "engineio-ws-utf8",
        "engineio-ws-aggregator",
        new WebSocketFrameAggregator(options.maxHttpBufferSize()));
    p.addAfter(
        "engineio-ws-aggregator",
        "engineio-ws",
        new WebSocketFrameHandler(ws, sessionLoop, options.maxHttpBufferSize()));
    p.remove(ctx.handler());
    // From here the heartbeat watches the connection, not the HTTP timeouts.
    HttpConnectionGuard.uninstall(p);
  }

  /**
   * The upgrade of a connection that an application's server owns: that server answers the
   * handshake (with Engine.IO's headers), checks UTF-8, bounds and reassembles messages, and
   * negotiates its own compression; the WebSocket's channel needs the frame handler only.
   */
  private void acceptHosted(
      HostedConnection hosted,
      HttpExchange exchange,
      EngineIoCodec codec,
      EventLoop sessionLoop,
      Consumer<WebSocketTransport> onOpen) {
    hosted.upgradeToWebSocket(
        exchange.responseHeaders(new LinkedHashMap<>()),
        ws -> {
          WebSocketTransport transport =
              new WebSocketTransport(
                  ws,
                  sessionLoop,
                  codec,
                  exchange.request.query().containsKey("b64"),
                  false,
                  options.perMessageDeflateThreshold());
          ws.pipeline()
              .addLast(
                  "engineio-ws",
                  new WebSocketFrameHandler(transport, sessionLoop, options.maxHttpBufferSize()));
          onOpen.accept(transport);
        });
  }
}
