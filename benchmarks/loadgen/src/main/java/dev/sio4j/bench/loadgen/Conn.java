package dev.sio4j.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One WebSocket connection of the load generator, speaking raw Engine.IO v4 / Socket.IO v5 text
 * frames (or the raw ceiling protocol). It answers pings, completes the namespace handshake and
 * routes acks; the workload sees the rest through a {@link Listener}.
 *
 * <p>Thread-safety: confined to the load generator's single event loop.
 */
final class Conn extends ChannelInboundHandlerAdapter {
  /** How the connection becomes ready. */
  enum Mode {
    /** Socket.IO over a direct WebSocket: wait for the open packet, send {@code 40}. */
    SIO,
    /** Socket.IO upgrade of a polling session: probe, then {@code 5}. */
    SIO_UPGRADE,
    /** The raw ceiling protocol: ready on the server's {@code O}. */
    RAW
  }

  /** What a workload hears from a connection. */
  interface Listener {
    default void onReady(Conn c) {}

    /** An ack not claimed by {@link Conn#request}; {@code text} is the whole frame. */
    default void onAck(Conn c, long id, ByteBuf text) {}

    /** Any other frame (events). */
    default void onOther(Conn c, ByteBuf text) {}

    default void onClosed(Conn c, Throwable cause) {}
  }

  private static final byte[] PROBE = "2probe".getBytes(CharsetUtil.US_ASCII);

  final Mode mode;
  final int index;
  Listener listener;
  Channel channel;
  boolean ready;
  boolean closed;
  long startNanos;

  /** Closed on purpose by the workload (soak churn), so its close is not a drop. */
  boolean closing;

  /** Echo acks still awaited on this connection (soak). */
  int echoPending;

  // Echo state, kept here to avoid a map lookup per ack.
  long nextId;
  final long[] sentAt = new long[64];

  private Map<Long, Consumer<String>> pending;

  Conn(Mode mode, int index, Listener listener) {
    this.mode = mode;
    this.index = index;
    this.listener = listener;
  }

  boolean raw() {
    return mode == Mode.RAW;
  }

  void sendText(String text) {
    send(ByteBufUtil.writeAscii(channel.alloc(), text));
  }

  void send(ByteBuf buf) {
    channel.writeAndFlush(new TextWebSocketFrame(buf), channel.voidPromise());
  }

  void write(ByteBuf buf) {
    channel.write(new TextWebSocketFrame(buf), channel.voidPromise());
  }

  void flush() {
    channel.flush();
  }

  /**
   * Sends a request with an ack id and calls {@code onAck} with the ack's body: for Socket.IO the
   * JSON array, for raw the text after the id.
   */
  void request(long id, String frame, Consumer<String> onAck) {
    if (pending == null) {
      pending = new HashMap<>();
    }
    pending.put(id, onAck);
    sendText(frame);
  }

  /** As {@link #request}, but only written: the caller flushes once for a batch. */
  void requestWrite(long id, String frame, Consumer<String> onAck) {
    if (pending == null) {
      pending = new HashMap<>();
    }
    pending.put(id, onAck);
    write(ByteBufUtil.writeAscii(channel.alloc(), frame));
  }

  void close() {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      if (mode == Mode.SIO_UPGRADE) {
        sendText("2probe");
      }
    } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof TextWebSocketFrame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    TextWebSocketFrame frame = (TextWebSocketFrame) msg;
    try {
      onFrame(frame.content());
    } finally {
      frame.release();
    }
  }

  private void onFrame(ByteBuf in) {
    int r = in.readerIndex();
    int len = in.readableBytes();
    if (len == 0) {
      return;
    }
    byte b0 = in.getByte(r);
    if (!ready) {
      switch (mode) {
        case RAW:
          ready = b0 == 'O';
          break;
        case SIO:
          if (b0 == '4' && len >= 2 && in.getByte(r + 1) == '0') {
            ready = true;
          } else if (b0 == '0') {
            sendText("40");
          } else if (b0 == '4' && len >= 2 && in.getByte(r + 1) == '4') {
            channel.close();
          }
          break;
        case SIO_UPGRADE:
          if (len == 6 && b0 == '3' && in.getByte(r + 1) == 'p') {
            sendText("5");
            ready = true;
          }
          break;
        default:
          break;
      }
      if (ready) {
        listener.onReady(this);
      }
      return;
    }
    if (mode != Mode.RAW) {
      if (len == 1 && b0 == '2') {
        sendText("3");
        return;
      }
      if (b0 == '4' && len > 2 && in.getByte(r + 1) == '3') {
        dispatchAck(in, r + 2);
        return;
      }
    } else if (b0 == 'A') {
      dispatchAck(in, r + 1);
      return;
    }
    listener.onOther(this, in);
  }

  private void dispatchAck(ByteBuf in, int from) {
    long id = 0;
    int i = from;
    int end = in.writerIndex();
    while (i < end) {
      byte c = in.getByte(i);
      if (c < '0' || c > '9') {
        break;
      }
      id = id * 10 + (c - '0');
      i++;
    }
    if (pending != null) {
      Consumer<String> cb = pending.remove(id);
      if (cb != null) {
        int bodyFrom = raw() && i < end ? i + 1 : i;
        cb.accept(in.toString(bodyFrom, end - bodyFrom, CharsetUtil.UTF_8));
        return;
      }
    }
    listener.onAck(this, id, in);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed(null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closed(cause);
    ctx.close();
  }

  void closed(Throwable cause) {
    if (closed) {
      return;
    }
    closed = true;
    listener.onClosed(this, cause);
  }

  static boolean startsWith(ByteBuf in, byte[] prefix) {
    if (in.readableBytes() < prefix.length) {
      return false;
    }
    int r = in.readerIndex();
    for (int i = 0; i < prefix.length; i++) {
      if (in.getByte(r + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static boolean isProbe(ByteBuf in) {
    return startsWith(in, PROBE);
  }
}
