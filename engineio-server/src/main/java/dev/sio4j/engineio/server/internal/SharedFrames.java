package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The WebSocket frame of the packet being broadcast on this event loop, built once and written to
 * every target on the loop as a retained duplicate of the same buffer: a broadcast to a thousand
 * sockets allocates and fills one buffer per loop instead of a thousand. The cached frame is
 * released at the end of the loop turn (or when the next packet replaces it); each target's
 * duplicate is released by Netty once written.
 *
 * <p>Thread-safety: one instance per event-loop thread, used only by that thread.
 */
final class SharedFrames {
  private static final FastThreadLocal<SharedFrames> CURRENT =
      new FastThreadLocal<>() {
        @Override
        protected SharedFrames initialValue() {
          return new SharedFrames();
        }
      };

  private final Runnable releaseTask = this::release;
  private Packet packet;
  private ByteBuf frame;
  private boolean releaseScheduled;

  private SharedFrames() {}

  /**
   * A frame for the text {@code packet}, to be written and released by the caller. Must be called
   * on {@code loop}'s thread. The cache is keyed by the packet alone: a text packet's bytes are the
   * same in every protocol revision, so sessions of different codecs share the frame.
   */
  static ByteBuf frame(
      ByteBufAllocator alloc, EngineIoCodec codec, Packet packet, EventExecutor loop) {
    return CURRENT.get().duplicateFor(alloc, codec, packet, loop);
  }

  private ByteBuf duplicateFor(
      ByteBufAllocator alloc, EngineIoCodec codec, Packet p, EventExecutor loop) {
    if (packet != p) {
      drop();
      frame = RawTextFrames.frame(alloc, codec.encodePacketUtf8(p));
      packet = p;
      if (!releaseScheduled) {
        releaseScheduled = true;
        loop.execute(releaseTask);
      }
    }
    return frame.retainedDuplicate();
  }

  private void release() {
    releaseScheduled = false;
    drop();
  }

  private void drop() {
    if (frame != null) {
      frame.release();
      frame = null;
      packet = null;
    }
  }
}
