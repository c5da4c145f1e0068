package dev.sio4j.common;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sio4j.common.internal.Typed;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Emits to one socket with flags: {@code socket.timeout(d).emitWithAck(...)}, {@code
 * socket.volatile_().emit(...)}, {@code socket.compress(false).emit(...)}. Every flag method
 * returns a new emitter and the socket keeps no pending flags (the reference's flags apply to the
 * next emit of whatever thread comes first), so an emitter can be kept and reused.
 *
 * <p>Thread-safety: immutable; emits may be made from any thread. Arguments are converted to JSON
 * on the calling thread.
 */
public interface SocketEmitter {
  /**
   * Acknowledgements of emits through the returned emitter fail with {@link AckTimeoutException}
   * when the peer has not answered within {@code timeout}.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  SocketEmitter timeout(Duration timeout);

  /**
   * Emits through the returned emitter are dropped, never buffered, when the transport cannot write
   * them now ({@code volatile} in the reference: a Java keyword).
   */
  SocketEmitter volatile_();

  /** The compression hint for emits through the returned emitter. */
  SocketEmitter compress(boolean compress);

  /**
   * Emits an event. {@code byte[]} and {@code ByteBuffer} arguments (anywhere) become binary
   * attachments; everything else goes through the JSON mapper.
   *
   * @throws IllegalArgumentException if the event name is reserved ({@code connect}, {@code
   *     disconnect}...)
   */
  void emit(String event, Object... args);

  /**
   * Emits an event asking the peer for an acknowledgement.
   *
   * @return completes with the peer's ack arguments; fails with {@link AckTimeoutException} after
   *     the {@link #timeout(Duration)} and with {@link SocketDisconnectedException} when the socket
   *     disconnects first
   * @throws IllegalArgumentException if the event name is reserved
   */
  CompletableFuture<Arguments> emitWithAck(String event, Object... args);

  /**
   * Emits an event asking for an acknowledgement, and converts the first argument of the answer to
   * {@code replyType} with the JSON mapper: {@code emitWithAck(Receipt.class, "chat", msg)}. The
   * reply type comes first so that it cannot be taken for an argument of the event (as it would be
   * after the event name, by {@link #emitWithAck(String, Object...)}).
   *
   * @return completes with the converted answer; fails as {@link #emitWithAck(String, Object...)}
   *     does, and with {@link ArgumentTypeException} when the answer has no argument or the first
   *     one does not fit {@code replyType}
   * @throws IllegalArgumentException if the event name is reserved
   */
  default <R> CompletableFuture<R> emitWithAck(Class<R> replyType, String event, Object... args) {
    java.util.Objects.requireNonNull(replyType, "replyType");
    return emitWithAck(event, args).thenApply(reply -> Typed.reply(event, reply, replyType));
  }

  /**
   * Like {@link #emitWithAck(Class, String, Object...)}, for a generic reply type: {@code
   * emitWithAck(new TypeReference<List<Receipt>>() {}, "batch", msgs)}.
   */
  default <R> CompletableFuture<R> emitWithAck(
      TypeReference<R> replyType, String event, Object... args) {
    java.util.Objects.requireNonNull(replyType, "replyType");
    return emitWithAck(event, args).thenApply(reply -> Typed.reply(event, reply, replyType));
  }
}
