package dev.sio4j.engineio.server;

import dev.sio4j.engineio.parser.EngineIoParseException;
import dev.sio4j.engineio.parser.EngineIoV3;
import dev.sio4j.engineio.parser.EngineIoV4;
import dev.sio4j.engineio.parser.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * The WebSocket transport: one Engine.IO packet per frame, text frames for text, binary frames for
 * binary (or {@code b}+base64 text when the client asked for base64 with {@code b64}).
 *
 * <p>Thread-safety: confined to the session's event loop. Frames read on the WebSocket channel's
 * loop are handed to the session's loop by {@link WebSocketFrameHandler} (they are the same loop
 * unless the socket came through an upgrade).
 */
final class WebSocketTransport extends Transport {
  private final Channel channel;
  private final boolean base64;
  private final boolean deflate;
  private final int deflateThreshold;

  WebSocketTransport(
      Channel channel, int protocol, boolean base64, boolean deflate, int deflateThreshold) {
    super(protocol);
    this.channel = channel;
    this.base64 = base64;
    this.deflate = deflate;
    this.deflateThreshold = deflateThreshold;
    this.writable = true;
  }

  @Override
  TransportType type() {
    return TransportType.WEBSOCKET;
  }

  Channel channel() {
    return channel;
  }

  EventLoop channelLoop() {
    return channel.eventLoop();
  }

  /** A frame arrived (on the session's loop). The frame is released by the caller. */
  void onFrame(WebSocketFrame frame) {
    if (listener == null || state == State.CLOSED) {
      return;
    }
    Packet packet;
    try {
      if (frame instanceof TextWebSocketFrame) {
        String text = ((TextWebSocketFrame) frame).text();
        packet = protocol == 3 ? EngineIoV3.decodePacket(text) : EngineIoV4.decodePacket(text);
      } else if (frame instanceof BinaryWebSocketFrame) {
        byte[] bytes = ByteBufUtil.getBytes(frame.content());
        packet =
            protocol == 3
                ? EngineIoV3.decodeBinaryFrame(bytes)
                : EngineIoV4.decodeBinaryFrame(bytes);
      } else {
        return;
      }
    } catch (EngineIoParseException e) {
      listener.onParseError(e.getMessage());
      return;
    }
    listener.onPacket(packet);
  }

  @Override
  void send(List<Outgoing> packets) {
    if (!channel.isActive()) {
      return;
    }
    for (Outgoing o : packets) {
      channel.write(toFrame(o), channel.voidPromise());
    }
    channel.flush();
  }

  private WebSocketFrame toFrame(Outgoing o) {
    Packet p = o.packet;
    boolean skipDeflate = deflate && !o.compress;
    if (p.isBinary() && !base64) {
      byte[] data = protocol == 3 ? EngineIoV3.encodeBinaryFrame(p) : p.binaryData();
      if (deflate && (skipDeflate || data.length < deflateThreshold)) {
        return new UncompressedBinaryFrame(Unpooled.wrappedBuffer(data));
      }
      return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data));
    }
    String text = protocol == 3 ? EngineIoV3.encodePacket(p) : EngineIoV4.encodePacket(p);
    ByteBuf buf = ByteBufUtil.writeUtf8(channel.alloc(), text);
    if (deflate && (skipDeflate || buf.readableBytes() < deflateThreshold)) {
      return new UncompressedTextFrame(buf);
    }
    return new TextWebSocketFrame(buf);
  }

  @Override
  void doClose(Runnable onClosed) {
    if (channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
    }
    onClosed.run();
  }

  /** A text frame that permessage-deflate must leave uncompressed. */
  static final class UncompressedTextFrame extends TextWebSocketFrame {
    UncompressedTextFrame(ByteBuf data) {
      super(data);
    }
  }

  /** A binary frame that permessage-deflate must leave uncompressed. */
  static final class UncompressedBinaryFrame extends BinaryWebSocketFrame {
    UncompressedBinaryFrame(ByteBuf data) {
      super(data);
    }
  }
}
