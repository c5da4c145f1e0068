package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.TransportType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * What a session writes through and reads from: the polling pair of requests, or a WebSocket.
 * Mirrors the reference's transport life cycle (open, closing, closed) so that closing twice is
 * harmless. Speaks the wire format of its session's {@link EngineIoCodec}.
 *
 * <p>Thread-safety: confined to the owning session's event loop, except {@link #writable}, which is
 * volatile so that {@code EngineIoSocket.isWritable()} may read it from any thread, and {@link
 * #channelPendingBytes()}.
 */
abstract class Transport {
  enum State {
    OPEN,
    CLOSING,
    CLOSED
  }

  final EngineIoCodec codec;
  TransportListener listener;
  State state = State.OPEN;

  /**
   * Whether a write now goes out at once (polling: a GET is held; WebSocket: its channel is below
   * its high water mark). Written on the loop only; volatile for {@code isWritable()} on other
   * threads. A volatile read is a plain load on the platforms Netty runs on, so the loop's own
   * checks (one per send) cost nothing more.
   */
  volatile boolean writable;

  boolean discarded;

  /** How long a close may take before the connection is dropped; set by the session. */
  long closeTimeoutMillis = 30_000;

  Transport(EngineIoCodec codec) {
    this.codec = codec;
  }

  abstract TransportType type();

  /** Writes packets; only called while {@link #writable}. */
  abstract void send(List<Outgoing> packets);

  /** {@link #send(List)} for one packet; the list may be changed by the transport. */
  void send(Outgoing packet) {
    List<Outgoing> one = new ArrayList<>(2);
    one.add(packet);
    send(one);
  }

  /**
   * Writes out now what {@link #send} queued. Transports that write each response whole (polling)
   * have nothing to do.
   */
  void flushNow() {}

  /**
   * Bytes written to the network connection but not yet taken by the kernel (a WebSocket channel's
   * outbound buffer, with Netty's estimate of writes still queued for its loop). Any thread.
   * Transports that write each response whole (polling) hold nothing between writes.
   */
  long channelPendingBytes() {
    return 0;
  }

  /** What {@code channel} holds in its outbound buffer (0 once it is closed). Any thread. */
  static long pendingWriteBytes(Channel channel) {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes();
  }

  /**
   * Drops the network connection at once, discarding what it has not written (a client dropped for
   * reading too slowly). Called after {@link #close()} or with the listener detached: it reports
   * nothing to the session.
   */
  void abort() {}

  /**
   * The loop that reads this transport's connection, for a transport that can be the target of an
   * upgrade (it then answers the probe there, see {@link #answerProbesOnRead}).
   */
  EventLoop channelLoop() {
    throw new UnsupportedOperationException(type() + " is no upgrade target");
  }

  /**
   * While on, the transport answers {@code 2probe} with {@code 3probe} on its connection's loop as
   * it reads it, ahead of anything the session sends later; the {@code upgrade} packet turns it
   * off.
   */
  void answerProbesOnRead(boolean on) {}

  /** Starts closing; {@code onClosed} runs once the transport is done. */
  abstract void doClose(Runnable onClosed);

  final void close(Runnable onClosed) {
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    doClose(onClosed);
  }

  final void close() {
    close(() -> {});
  }

  /** Marks the transport as replaced by an upgrade: it closes without waiting for a request. */
  void discard() {
    discarded = true;
  }

  /** The transport is closed (by the peer or by us). */
  void onClose() {
    state = State.CLOSED;
    if (listener != null) {
      listener.onClose();
    }
  }

  void onError(String description) {
    if (listener != null) {
      listener.onError(description);
    }
  }
}
