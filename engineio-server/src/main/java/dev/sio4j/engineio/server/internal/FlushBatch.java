package dev.sio4j.engineio.server.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transports of one event loop written to during its current turn, flushed once each
 * by a single task queued behind the turn's reads and tasks. A broadcast reaching a thousand
 * sockets queues one task rather than a thousand, and every socket still gets one flush (one system
 * call) for all that was written to it in the turn.
 *
 * <p>Holds each transport at most once (the transport keeps the flag), so the list is bounded by
 * the sessions of the loop.
 *
 * <p>Thread-safety: one instance per event-loop thread, used only by that thread.
 */
final class FlushBatch implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(FlushBatch.class);

  private static final FastThreadLocal<FlushBatch> CURRENT =
      new FastThreadLocal<>() {
        @Override
        protected FlushBatch initialValue() {
          return new FlushBatch();
        }
      };

  private List<WebSocketTransport> pending = new ArrayList<>();
  private List<WebSocketTransport> spare = new ArrayList<>();
  private boolean scheduled;

  private FlushBatch() {}

  /** The batch of the calling event-loop thread. */
  static FlushBatch current() {
    return CURRENT.get();
  }

  /** Flushes {@code transport} at the end of this turn of {@code loop} (the calling thread's). */
  void add(WebSocketTransport transport, EventExecutor loop) {
    pending.add(transport);
    if (!scheduled) {
      scheduled = true;
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled = false;
    // Swapped first: a flush may run code that writes to another socket (a listener of a failed
    // write), which then lands in the next batch instead of this list being changed under the loop.
    List<WebSocketTransport> batch = pending;
    pending = spare;
    try {
      for (int i = 0, n = batch.size(); i < n; i++) {
        try {
          batch.get(i).scheduledFlush();
        } catch (RuntimeException e) {
          // The others must still be flushed (their flags are set until they are).
          log.debug("flush failed", e);
        }
      }
    } finally {
      batch.clear();
      spare = batch;
    }
  }
}
