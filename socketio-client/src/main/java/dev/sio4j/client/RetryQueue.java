package dev.sio4j.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.common.internal.AckRegistry;
import dev.sio4j.common.internal.EmitFlags;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * The {@code retries} option's queue: one emit in flight at a time, each sent with an ack of its
 * own and sent again until the server answers or the tries run out, as the reference's queue.
 *
 * <p>Why a class of its own: it is a small protocol on top of emitting, with its own state, which
 * the socket only feeds and drains.
 *
 * <p>Thread-safety: confined to the client's event loop.
 */
final class RetryQueue {
  /** Sends one try of a queued emit, with the queue's own ack callback. */
  @FunctionalInterface
  interface Sender {
    void send(ArrayNode data, EmitFlags flags, AckRegistry.Callback ack);
  }

  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private final int retries;
  private final BooleanSupplier connected;
  private final Sender sender;

  RetryQueue(SocketOptions opts, BooleanSupplier connected, Sender sender) {
    this.retries = opts.retries();
    this.connected = connected;
    this.sender = sender;
  }

  /** Queues an emit; {@code userAck} (or null) hears the final answer or failure. */
  void add(ArrayNode data, EmitFlags flags, AckRegistry.Callback userAck) {
    queue.addLast(new Entry(data, flags, userAck));
    drain(false);
  }

  /**
   * Sends the head of the queue if connected; {@code force} sends it again even though a try is in
   * flight (after a reconnection, whose disconnection the try's ack may not have heard of).
   */
  void drain(boolean force) {
    if (!connected.getAsBoolean() || queue.isEmpty()) {
      return;
    }
    Entry q = queue.peekFirst();
    if (q.pending && !force) {
      return;
    }
    q.pending = true;
    q.tryCount++;
    sender.send(q.data, q.flags, q);
  }

  private void onResponse(Entry q, SocketIoException error, ArrayNode args) {
    if (queue.peekFirst() != q) {
      return;
    }
    if (error != null) {
      if (q.tryCount > retries) {
        queue.pollFirst();
        if (q.userAck != null) {
          q.userAck.failed(error);
        }
      }
    } else {
      queue.pollFirst();
      if (q.userAck != null) {
        q.userAck.acknowledged(args);
      }
    }
    q.pending = false;
    drain(false);
  }

  /** A queued emit; it is itself the ack callback of each of its tries. */
  private final class Entry implements AckRegistry.Callback {
    final ArrayNode data;
    final EmitFlags flags;
    final AckRegistry.Callback userAck;
    int tryCount;
    boolean pending;

    Entry(ArrayNode data, EmitFlags flags, AckRegistry.Callback userAck) {
      this.data = data;
      this.flags = flags;
      this.userAck = userAck;
    }

    @Override
    public void acknowledged(ArrayNode args) {
      onResponse(this, null, args);
    }

    @Override
    public void failed(SocketIoException error) {
      onResponse(this, error, null);
    }
  }
}
