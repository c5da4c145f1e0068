package dev.sio4j.engineio.client.internal;

import dev.sio4j.engineio.client.EngineIoClientException;
import dev.sio4j.engineio.client.EngineIoClientOptions.PerMessageDeflate;
import dev.sio4j.engineio.parser.EngineIoParseException;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket transport: one frame per Engine.IO packet, text packets as text frames, binary
 * messages as raw binary frames.
 *
 * <p>Thread-safety: confined to the client's event loop.
 */
final class WebSocketTransport extends Transport {
  private Channel channel;

  WebSocketTransport(TransportContext context, String sid) {
    super(context, sid);
  }

  @Override
  TransportType type() {
    return TransportType.WEBSOCKET;
  }

  @Override
  protected void doOpen() {
    String scheme = context.secure ? "wss" : "ws";
    URI uri = URI.create(scheme + "://" + context.authority() + context.pathAndQuery(query));
    HttpHeaders headers = new DefaultHttpHeaders();
    for (Map.Entry<String, String> h : context.options.extraHeaders().entrySet()) {
      headers.set(h.getKey(), h.getValue());
    }
    context
        .cookieJar
        .flatMap(jar -> jar.header(uri.getRawPath()))
        .ifPresent(c -> headers.set(HttpHeaderNames.COOKIE, c));
    Optional<PerMessageDeflate> deflate = context.options.perMessageDeflate();
    int max = context.options.maxIncomingPayload();
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .customHeaders(headers)
            .maxFramePayloadLength(max)
            .handshakeTimeoutMillis(context.options.connectTimeout().toMillis())
            .handleCloseFrames(true)
            .allowExtensions(deflate.isPresent())
            .dropPongFrames(true)
            .build();
    Bootstrap bootstrap =
        context
            .bootstrap()
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    context.addTls(ch);
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(65536));
                    deflate.ifPresent(
                        d ->
                            ch.pipeline()
                                .addLast(
                                    new WebSocketClientExtensionHandler(
                                        deflateHandshaker(d.threshold(), max))));
                    ch.pipeline()
                        .addLast(new WebSocketClientProtocolHandler(config))
                        .addLast(new WebSocketFrameAggregator(max))
                        .addLast(new FrameHandler());
                  }
                });
    ChannelFuture connect = context.connect(bootstrap);
    channel = connect.channel();
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            onError("websocket error", context.connectFailure(f.cause()));
          }
        });
  }

  /**
   * permessage-deflate as the reference's ws client offers it (default window sizes, context
   * takeover); frames below the threshold and frames marked {@link Uncompressed} pass as they are,
   * and inflating stops at {@code maxInflated} bytes per message.
   */
  private static PerMessageDeflateClientExtensionHandshaker deflateHandshaker(
      int threshold, int maxInflated) {
    WebSocketExtensionFilter skipSmall =
        frame -> frame instanceof Uncompressed || frame.content().readableBytes() < threshold;
    WebSocketExtensionFilterProvider filters =
        new WebSocketExtensionFilterProvider() {
          @Override
          public WebSocketExtensionFilter encoderFilter() {
            return skipSmall;
          }

          @Override
          public WebSocketExtensionFilter decoderFilter() {
            return WebSocketExtensionFilter.NEVER_SKIP;
          }
        };
    return new PerMessageDeflateClientExtensionHandshaker(
        6, false, 15, false, false, filters, maxInflated);
  }

  /** Marks a frame sent with {@code compress=false}. */
  private interface Uncompressed {}

  private static final class UncompressedText extends TextWebSocketFrame implements Uncompressed {
    UncompressedText(String text) {
      super(text);
    }
  }

  private static final class UncompressedBinary extends BinaryWebSocketFrame
      implements Uncompressed {
    UncompressedBinary(ByteBuf data) {
      super(data);
    }
  }

  private WebSocketFrame frame(Outgoing o) {
    Packet p = o.packet();
    if (p.isBinary() && !context.options.forceBase64()) {
      ByteBuf data = Unpooled.wrappedBuffer(context.codec.encodeBinaryFrame(p));
      return o.compress() ? new BinaryWebSocketFrame(data) : new UncompressedBinary(data);
    }
    // With forceBase64 a binary packet goes as "b<base64>" text, as the reference does.
    String text = context.codec.encodePacket(p);
    return o.compress() ? new TextWebSocketFrame(text) : new UncompressedText(text);
  }

  @Override
  protected void write(List<Outgoing> packets) {
    writable = false;
    ChannelFuture last = null;
    for (int i = 0; i < packets.size(); i++) {
      WebSocketFrame frame = frame(packets.get(i));
      last = i == packets.size() - 1 ? channel.writeAndFlush(frame) : channel.write(frame);
    }
    if (last == null) {
      writable = true;
      return;
    }
    last.addListener(
        f -> {
          if (state == State.CLOSED) {
            return;
          }
          if (!f.isSuccess()) {
            onError("websocket error", context.connectFailure(f.cause()));
          } else {
            writable = true;
            events.onDrain(this);
          }
        });
  }

  @Override
  protected void doClose() {
    if (channel == null) {
      released.complete(null);
      return;
    }
    Channel ch = channel;
    ch.closeFuture().addListener(f -> released.complete(null));
    if (ch.isActive() && state == State.OPEN) {
      ch.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
      // Bound the wait for a peer that never answers the close.
      context.loop.schedule(
          () -> {
            ch.close();
          },
          context.options.connectTimeout().toMillis(),
          TimeUnit.MILLISECONDS);
    } else {
      ch.close();
    }
  }

  @Override
  protected void release() {
    if (channel == null) {
      released.complete(null);
      return;
    }
    if (!released.isDone() && channel.isOpen() && state != State.CLOSED) {
      channel.close();
    }
    channel.closeFuture().addListener(f -> released.complete(null));
  }

  private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private Throwable failure;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        if (state == State.OPENING) {
          onOpen();
        }
      } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        onError("websocket error", new EngineIoClientException("handshake timed out"));
        ctx.close();
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (state == State.CLOSED) {
        return;
      }
      Packet packet;
      if (frame instanceof TextWebSocketFrame text) {
        try {
          packet = context.codec.decodePacket(text.text());
        } catch (EngineIoParseException e) {
          onError("parser error", e);
          return;
        }
      } else if (frame instanceof BinaryWebSocketFrame) {
        packet = context.codec.decodeBinaryFrame(ByteBufUtil.getBytes(frame.content()));
      } else {
        return;
      }
      if (packet.type() == PacketType.CLOSE) {
        onClose("transport closed by the server");
        ctx.close();
        return;
      }
      onPacket(packet);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = context.channelFailure(cause);
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (failure != null) {
        onError("websocket error", failure);
      } else {
        onClose("websocket connection closed");
      }
      super.channelInactive(ctx);
    }
  }
}
