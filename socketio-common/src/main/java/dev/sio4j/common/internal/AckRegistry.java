package dev.sio4j.common.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.common.SocketIoException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgements one socket (server or client) waits for, by ack id: each ends exactly once,
 * when its answer arrives ({@link #complete}), when its timeout fires (failing with {@link
 * AckTimeoutException}), when it is dropped ({@link #fail}), or when the socket disconnects ({@link
 * #disconnect}, failing with {@link SocketDisconnectedException} the ones that asked to hear about
 * it). Whatever ends it removes it, so {@link #size()} falls back to zero once nothing is pending.
 *
 * <p>Not part of the public API. Thread-safety: confined to the socket's event loop (the {@code
 * scheduler} given here must run its tasks there, as a Netty event loop does): every method but
 * {@link #size()} must be called on it. {@link #size()} may be read from any thread.
 */
public final class AckRegistry {
  private static final Logger log = LoggerFactory.getLogger(AckRegistry.class);

  /**
   * How a pending acknowledgement ends.
   *
   * <p>Thread-safety: called on the socket's event loop.
   */
  public interface Callback {
    /** The answer arrived with these arguments (the ACK packet's data). */
    void acknowledged(ArrayNode args);

    /** It timed out, was dropped, or the socket disconnected. */
    void failed(SocketIoException error);

    /** A callback for an {@code emitWithAck} future. */
    static Callback future(CompletableFuture<Arguments> future, ObjectMapper mapper) {
      return new Callback() {
        @Override
        public void acknowledged(ArrayNode args) {
          future.complete(Arguments.slice(mapper, args, 0, args.size()));
        }

        @Override
        public void failed(SocketIoException error) {
          future.completeExceptionally(error);
        }
      };
    }

    /** A callback that only hears about answers (a broadcast ack collects them elsewhere). */
    static Callback answers(Consumer<ArrayNode> onAnswer) {
      return new Callback() {
        @Override
        public void acknowledged(ArrayNode args) {
          onAnswer.accept(args);
        }

        @Override
        public void failed(SocketIoException error) {}
      };
    }
  }

  private static final LongConsumer NO_HOOK = id -> {};

  /** For registries made without a context (tests): the line still says what failed. */
  private static final CallbackContext NO_CONTEXT =
      new CallbackContext() {
        @Override
        public String namespace() {
          return "-";
        }

        @Override
        public String socketId() {
          return "-";
        }

        @Override
        public org.slf4j.Logger logger() {
          return log;
        }
      };

  private final CallbackContext context;

  private final ScheduledExecutorService scheduler;
  private final LongConsumer onTimeout;

  /** Created with the first pending ack: most sockets never wait for one. */
  private Map<Long, Pending> pending;

  private long nextId;

  /** Written on the loop only, read anywhere. */
  private volatile int size;

  /** {@code scheduler} runs the timeouts; it must run them on the socket's event loop. */
  public AckRegistry(ScheduledExecutorService scheduler) {
    this(scheduler, NO_HOOK);
  }

  /**
   * @param onTimeout runs with the id of an ack that timed out, before its callback fails (the
   *     client drops the packet from its send buffer there)
   */
  public AckRegistry(ScheduledExecutorService scheduler, LongConsumer onTimeout) {
    this(scheduler, onTimeout, NO_CONTEXT);
  }

  /**
   * @param onTimeout as in {@link #AckRegistry(ScheduledExecutorService, LongConsumer)}
   * @param context names the socket when a callback throws
   */
  public AckRegistry(
      ScheduledExecutorService scheduler, LongConsumer onTimeout, CallbackContext context) {
    this.scheduler = scheduler;
    this.onTimeout = onTimeout;
    this.context = context;
  }

  /** The next id of this registry's own counter (the client's; the server counts per namespace). */
  public long nextId() {
    return nextId++;
  }

  /**
   * Waits for the answer to ack id {@code id}.
   *
   * @param timeout fails the ack with {@link AckTimeoutException} after it; {@code null} waits
   *     until the answer or the disconnection
   * @param failOnDisconnect whether {@link #disconnect} fails this ack (error-first callers) or
   *     drops it silently
   */
  public void register(long id, Callback callback, Duration timeout, boolean failOnDisconnect) {
    Pending p = new Pending(callback, failOnDisconnect);
    if (timeout != null) {
      p.timer = scheduler.schedule(() -> timedOut(id), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (pending == null) {
      pending = new HashMap<>(4);
    }
    Pending previous = pending.put(id, p);
    if (previous != null) {
      // Ids are unique per socket; a reuse would leave the first caller waiting forever.
      previous.cancelTimer();
      end(id, previous, null, new SocketIoException("ack id " + id + " reused"));
    }
    size = pending.size();
  }

  /** The answer to ack {@code id} arrived; false when nothing waited for it (late or unknown). */
  public boolean complete(long id, ArrayNode args) {
    Pending p = take(id);
    if (p == null) {
      return false;
    }
    p.cancelTimer();
    end(id, p, args, null);
    return true;
  }

  /** Ends ack {@code id} with {@code error}; false when nothing waited for it. */
  public boolean fail(long id, SocketIoException error) {
    Pending p = take(id);
    if (p == null) {
      return false;
    }
    p.cancelTimer();
    end(id, p, null, error);
    return true;
  }

  /**
   * The socket disconnected: every pending ack but the {@code kept} ones ends, those registered
   * with {@code failOnDisconnect} failing with {@link SocketDisconnectedException}, the others
   * silently.
   */
  public void disconnect(LongPredicate kept) {
    if (pending == null || pending.isEmpty()) {
      return;
    }
    List<Map.Entry<Long, Pending>> failed = new ArrayList<>();
    Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Pending> e = it.next();
      if (kept.test(e.getKey())) {
        continue;
      }
      it.remove();
      e.getValue().cancelTimer();
      if (e.getValue().failOnDisconnect) {
        failed.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    size = pending.size();
    // Callbacks run once the registry is consistent: one may emit again.
    for (Map.Entry<Long, Pending> e : failed) {
      end(e.getKey(), e.getValue(), null, new SocketDisconnectedException());
    }
  }

  /** The number of acknowledgements still waited for. */
  public int size() {
    return size;
  }

  private void timedOut(long id) {
    Pending p = take(id);
    if (p != null) {
      onTimeout.accept(id);
      end(id, p, null, new AckTimeoutException());
    }
  }

  private Pending take(long id) {
    if (pending == null) {
      return null;
    }
    Pending p = pending.remove(id);
    if (p != null) {
      size = pending.size();
    }
    return p;
  }

  private void end(long id, Pending p, ArrayNode args, SocketIoException error) {
    try {
      if (error == null) {
        p.callback.acknowledged(args);
      } else {
        p.callback.failed(error);
      }
    } catch (RuntimeException | Error e) {
      // Stages chained on an emitWithAck future keep their own exceptions (the JDK's rule); what
      // lands here is a callback that completes something else.
      UserCallbacks.failed(context, "ack callback", "ack " + id, e);
    }
  }

  private static final class Pending {
    final Callback callback;
    final boolean failOnDisconnect;
    ScheduledFuture<?> timer;

    Pending(Callback callback, boolean failOnDisconnect) {
      this.callback = callback;
      this.failOnDisconnect = failOnDisconnect;
    }

    void cancelTimer() {
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }
}
