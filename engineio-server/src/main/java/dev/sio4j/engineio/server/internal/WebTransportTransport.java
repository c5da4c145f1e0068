package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.List;

/**
 * The WebTransport transport: one bidirectional stream of a WebTransport session, carrying packets
 * in {@link WebTransportFrames}' framing. Closing it ends the whole WebTransport session, as the
 * reference does (a client opens one session per Engine.IO transport).
 *
 * <p>Backpressure as the WebSocket's: {@link #writable} while the stream channel is below its high
 * water mark, the rest waiting in the session's bounded buffer.
 *
 * <p>Thread-safety: confined to the session's event loop; packets read on the stream's loop are
 * handed over by {@link WebTransportStreamHandler} (the loops differ after an upgrade from
 * polling). {@link #answerProbes} is volatile for the stream's loop.
 */
final class WebTransportTransport extends Transport {
  private final Channel stream;
  private final EventLoop sessionLoop;
  private final Runnable closeSession;
  private boolean flushScheduled;
  private volatile boolean answerProbes;

  WebTransportTransport(
      Channel stream, EventLoop sessionLoop, EngineIoCodec codec, Runnable closeSession) {
    super(codec);
    this.stream = stream;
    this.sessionLoop = sessionLoop;
    this.closeSession = closeSession;
    stream.config().setWriteBufferWaterMark(WebSocketTransport.WATER_MARK);
    this.writable = true;
  }

  @Override
  TransportType type() {
    return TransportType.WEBTRANSPORT;
  }

  @Override
  EventLoop channelLoop() {
    return stream.eventLoop();
  }

  @Override
  void answerProbesOnRead(boolean on) {
    answerProbes = on;
  }

  /**
   * On the stream's loop, for each packet read: while this stream holds an upgrade, {@code 2probe}
   * is answered at once (the client waits for {@code 3probe} before it pauses polling), and the
   * {@code upgrade} packet ends the watch.
   */
  void checkProbe(Packet packet) {
    if (!answerProbes || packet.isBinary()) {
      return;
    }
    if (packet.type() == PacketType.PING && "probe".equals(packet.textData())) {
      stream.writeAndFlush(WebTransportFrames.encode(stream.alloc(), codec, Packet.PONG_PROBE));
    } else if (packet.type() == PacketType.UPGRADE) {
      answerProbes = false;
    }
  }

  /** A packet arrived (on the session's loop). */
  void onPacketRead(Packet packet) {
    if (listener != null && state != State.CLOSED) {
      listener.onPacket(packet);
    }
  }

  void onDecodeError(String description) {
    if (listener != null && state != State.CLOSED) {
      listener.onParseError(description);
    }
  }

  @Override
  void send(List<Outgoing> packets) {
    if (!stream.isActive()) {
      return;
    }
    for (Outgoing o : packets) {
      stream.write(
          WebTransportFrames.encode(stream.alloc(), codec, o.packet), stream.voidPromise());
    }
    afterWrite();
  }

  @Override
  void send(Outgoing packet) {
    if (!stream.isActive()) {
      return;
    }
    stream.write(
        WebTransportFrames.encode(stream.alloc(), codec, packet.packet), stream.voidPromise());
    afterWrite();
  }

  private void afterWrite() {
    if (!stream.isWritable()) {
      writable = false;
    }
    // One flush per loop turn, as the WebSocket's (a read batch's answers go out together).
    if (!flushScheduled) {
      flushScheduled = true;
      sessionLoop.execute(
          () -> {
            flushScheduled = false;
            stream.flush();
          });
    }
  }

  @Override
  void flushNow() {
    stream.flush();
  }

  /** The stream's writability changed (on its loop): the session learns on its own. */
  void onChannelWritabilityChanged() {
    sessionLoop.execute(
        () -> {
          if (state == State.CLOSED || writable || !stream.isWritable()) {
            return;
          }
          writable = true;
          if (listener != null) {
            listener.onReady();
          }
        });
  }

  @Override
  long channelPendingBytes() {
    return pendingWriteBytes(stream);
  }

  @Override
  void abort() {
    closeSession.run();
  }

  @Override
  void doClose(Runnable onClosed) {
    if (stream.isActive()) {
      // What was written (the close packet among it) goes out before the session ends.
      stream
          .writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(f -> closeSession.run());
    } else {
      closeSession.run();
    }
    onClosed.run();
  }
}
