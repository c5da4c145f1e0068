package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.EngineIoParseException;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.TransportType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket transport: one Engine.IO packet per frame, text frames for text, binary frames for
 * binary (or {@code b}+base64 text when the client asked for base64 with {@code b64}). Text packets
 * are encoded alike in every protocol revision, so they take the same fast path (a raw frame
 * written past the frame encoder) whatever the session's codec; binary packets and decoding go
 * through the codec.
 *
 * <p>Backpressure: the transport is {@link #writable} while its channel is (below the high water
 * mark, {@link #WATER_MARK}); past it the session keeps what is sent in its own bounded buffer and
 * feeds the channel again once it drained below the low mark. So a client that stops reading costs
 * the channel at most the high mark plus one packet of direct memory, the rest waiting in the
 * session, bounded by the slow-consumer policy.
 *
 * <p>Thread-safety: confined to the session's event loop. Frames read on the WebSocket channel's
 * loop are handed to the session's loop by {@link WebSocketFrameHandler} (they are the same loop
 * unless the socket came through an upgrade).
 */
final class WebSocketTransport extends Transport {
  /**
   * 32 KiB / 64 KiB, Netty's defaults, set explicitly since the session's bound relies on them:
   * enough for a burst of small packets to go out in one system call, little enough that a thousand
   * stalled clients hold 64 MB of direct memory, not gigabytes.
   */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  private final Channel channel;
  private final EventLoop sessionLoop;
  private FlushBatch flushBatch;
  private boolean flushScheduled;
  private ChannelHandlerContext frameEncoder;
  private final boolean base64;
  private final boolean deflate;
  private final int deflateThreshold;
  // Set on the channel's loop, read by doClose on the session's loop (they differ after an
  // upgrade).
  private volatile boolean closeFrameSent;

  /**
   * Whether frames are checked for the upgrade's probe as they are read, on the channel's loop: set
   * there when this WebSocket claims its session's upgrade, cleared at the {@code upgrade} packet
   * (on the channel's loop) or when the upgrade ends (on the session's loop).
   */
  private volatile boolean answerProbes;

  WebSocketTransport(
      Channel channel,
      EventLoop sessionLoop,
      EngineIoCodec codec,
      boolean base64,
      boolean deflate,
      int deflateThreshold) {
    super(codec);
    this.channel = channel;
    this.sessionLoop = sessionLoop;
    this.base64 = base64;
    this.deflate = deflate;
    this.deflateThreshold = deflateThreshold;
    channel.config().setWriteBufferWaterMark(WATER_MARK);
    this.writable = true;
  }

  @Override
  TransportType type() {
    return TransportType.WEBSOCKET;
  }

  Channel channel() {
    return channel;
  }

  @Override
  EventLoop channelLoop() {
    return channel.eventLoop();
  }

  /** See {@link #answerProbes}. */
  @Override
  void answerProbesOnRead(boolean on) {
    answerProbes = on;
  }

  /**
   * On the channel's loop, for each frame read before it is handed to the session's loop: while
   * this WebSocket holds an upgrade, a {@code 2probe} is answered at once, and the {@code upgrade}
   * packet ends the watch (a probe after it is a heartbeat in the wrong direction, the session's to
   * refuse).
   */
  void checkProbe(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!answerProbes || !(frame instanceof TextWebSocketFrame)) {
      return;
    }
    ByteBuf content = frame.content();
    if (content.readableBytes() == PROBE.length && ByteBufUtil.equals(content, PROBE_BUF)) {
      ByteBuf answer = ctx.alloc().buffer(PROBE_ANSWER.length).writeBytes(PROBE_ANSWER);
      ctx.writeAndFlush(
          deflate ? new UncompressedTextFrame(answer) : new TextWebSocketFrame(answer),
          ctx.voidPromise());
    } else if (content.readableBytes() == 1 && content.getByte(content.readerIndex()) == '5') {
      answerProbes = false;
    }
  }

  private static final byte[] PROBE = {'2', 'p', 'r', 'o', 'b', 'e'};
  private static final ByteBuf PROBE_BUF =
      Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(PROBE));
  private static final byte[] PROBE_ANSWER = {'3', 'p', 'r', 'o', 'b', 'e'};

  /** A frame arrived (on the session's loop). The frame is released by the caller. */
  void onFrame(WebSocketFrame frame) {
    if (listener == null || state == State.CLOSED) {
      return;
    }
    Packet packet;
    try {
      if (frame instanceof TextWebSocketFrame) {
        packet = codec.decodePacket(((TextWebSocketFrame) frame).text());
      } else if (frame instanceof BinaryWebSocketFrame) {
        packet = codec.decodeBinaryFrame(ByteBufUtil.getBytes(frame.content()));
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
      write(o);
    }
    afterWrite();
  }

  @Override
  void send(Outgoing packet) {
    if (!channel.isActive()) {
      return;
    }
    write(packet);
    afterWrite();
  }

  private void afterWrite() {
    // Netty updates the channel's writability as the write is queued (atomically, on any thread),
    // so this is exact even when the channel lives on another loop: one volatile read per send.
    if (!channel.isWritable()) {
      writable = false;
    }
    scheduleFlush();
  }

  /**
   * The channel's writability changed (on the channel's loop). The session learns on its own loop,
   * in a task rather than inline: the change is reported from inside a flush, where writing more
   * would re-enter the channel.
   */
  void onChannelWritabilityChanged() {
    sessionLoop.execute(this::updateWritable);
  }

  private void updateWritable() {
    if (state == State.CLOSED || writable || !channel.isWritable()) {
      return;
    }
    writable = true;
    if (listener != null) {
      listener.onReady();
    }
  }

  @Override
  long channelPendingBytes() {
    return pendingWriteBytes(channel);
  }

  @Override
  void abort() {
    channel.close();
  }

  private void scheduleFlush() {
    // One flush per loop turn rather than per packet: the writes of a read batch (8 acks from 8
    // events that arrived together) or of a broadcast reaching this socket several times go out in
    // one system call. The loop's batch flushes once this turn's reads and tasks are done, so a
    // packet waits for no more than the work already under way on the loop; one task for all the
    // sockets a broadcast reached, not one each.
    if (!flushScheduled) {
      flushScheduled = true;
      FlushBatch batch = flushBatch;
      if (batch == null) {
        // Confined to the session's loop: the batch of the thread running this is that loop's.
        batch = FlushBatch.current();
        flushBatch = batch;
      }
      batch.add(this, sessionLoop);
    }
  }

  /** Called by the loop's {@link FlushBatch}. */
  void scheduledFlush() {
    flushScheduled = false;
    flushNow();
  }

  @Override
  void flushNow() {
    ChannelHandlerContext encoder = frameEncoder;
    if (encoder != null && !encoder.isRemoved()) {
      // Everything written is already past this point of the pipeline (raw frames were written
      // here, frame objects went through the encoder): flushing from here skips the walk from the
      // tail, once per socket per broadcast.
      encoder.flush();
    } else {
      channel.flush();
    }
  }

  private void write(Outgoing o) {
    Packet p = o.packet;
    if (!deflate && !p.isBinary()) {
      ChannelHandlerContext encoder = frameEncoder();
      if (encoder != null) {
        // A complete frame, written where the frame encoder would write it.
        ByteBuf frame =
            o.shared
                // Encoded once for every socket the packet goes to (a broadcast).
                ? SharedFrames.frame(channel.alloc(), codec, p, sessionLoop)
                : RawTextFrames.frame(channel.alloc(), p.type().code(), p.textData());
        encoder.write(frame, channel.voidPromise());
        return;
      }
    }
    channel.write(toFrame(o), channel.voidPromise());
  }

  /** The context of Netty's WebSocket frame encoder, or null once it is gone (channel closing). */
  private ChannelHandlerContext frameEncoder() {
    ChannelHandlerContext ctx = frameEncoder;
    if (ctx == null || ctx.isRemoved()) {
      ctx = channel.pipeline().context(WebSocketFrameEncoder.class);
      frameEncoder = ctx;
    }
    return ctx;
  }

  private WebSocketFrame toFrame(Outgoing o) {
    Packet p = o.packet;
    boolean skipDeflate = deflate && !o.compress;
    if (p.isBinary() && !base64) {
      byte[] data = codec.encodeBinaryFrame(p);
      if (deflate && (skipDeflate || data.length < deflateThreshold)) {
        return new UncompressedBinaryFrame(Unpooled.wrappedBuffer(data));
      }
      return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data));
    }
    ByteBuf buf;
    if (p.isBinary()) {
      buf = ByteBufUtil.writeUtf8(channel.alloc(), codec.encodePacket(p)); // b + base64
    } else if (o.shared) {
      buf = Unpooled.wrappedBuffer(codec.encodePacketUtf8(p));
    } else {
      String data = p.textData();
      buf = channel.alloc().buffer(1 + ByteBufUtil.utf8MaxBytes(data));
      buf.writeByte(p.type().code());
      ByteBufUtil.writeUtf8(buf, data);
    }
    if (deflate && (skipDeflate || buf.readableBytes() < deflateThreshold)) {
      return new UncompressedTextFrame(buf);
    }
    return new TextWebSocketFrame(buf);
  }

  /**
   * A close frame with a status (1007, 1009) went out ahead of the transport's own close, on the
   * channel's loop: the session's close must not send a second one (RFC 6455 §5.5.1).
   */
  void closeFrameSent() {
    closeFrameSent = true;
  }

  @Override
  void doClose(Runnable onClosed) {
    if (channel.isActive() && !closeFrameSent) {
      ChannelFuture written = channel.writeAndFlush(new CloseWebSocketFrame());
      written.addListener(ChannelFutureListener.CLOSE);
      if (!written.isDone()) {
        // Behind at most a high water mark of backlog, but a client that does not read never
        // takes it: the connection (and its buffers) must not outlive the session for long.
        io.netty.util.concurrent.ScheduledFuture<?> timeout =
            channel
                .eventLoop()
                .schedule(() -> channel.close(), closeTimeoutMillis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> timeout.cancel(false));
      }
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
