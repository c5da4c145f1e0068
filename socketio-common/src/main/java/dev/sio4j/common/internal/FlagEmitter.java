package dev.sio4j.common.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketEmitter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link SocketEmitter} of both sides: keeps the flags, converts the arguments on the caller's
 * thread and hands the event to its socket.
 *
 * <p>Not part of the public API. Thread-safety: immutable; usable from any thread.
 */
public final class FlagEmitter implements SocketEmitter {
  /**
   * What a socket does with an emit.
   *
   * <p>Thread-safety: called on the emitting thread; must not block.
   */
  @FunctionalInterface
  public interface Target {
    /**
     * Sends {@code [event, ...args]}.
     *
     * @param ack completes with the answer, or {@code null} for an emit without ack
     */
    void emit(ArrayNode eventArray, EmitFlags flags, CompletableFuture<Arguments> ack);
  }

  private final Target target;
  private final ObjectMapper mapper;
  private final EmitFlags flags;

  public FlagEmitter(Target target, ObjectMapper mapper, EmitFlags flags) {
    this.target = target;
    this.mapper = mapper;
    this.flags = flags;
  }

  /** The flags of this emitter. */
  public EmitFlags flags() {
    return flags;
  }

  @Override
  public FlagEmitter timeout(Duration timeout) {
    return new FlagEmitter(target, mapper, flags.withTimeout(timeout));
  }

  @Override
  public FlagEmitter volatile_() {
    return new FlagEmitter(target, mapper, flags.withVolatile(true));
  }

  @Override
  public FlagEmitter compress(boolean compress) {
    return new FlagEmitter(target, mapper, flags.withCompress(compress));
  }

  @Override
  public void emit(String event, Object... args) {
    target.emit(Json.eventArray(mapper, event, args), flags, null);
  }

  @Override
  public CompletableFuture<Arguments> emitWithAck(String event, Object... args) {
    ArrayNode array = Json.eventArray(mapper, event, args);
    CompletableFuture<Arguments> future = new CompletableFuture<>();
    target.emit(array, flags, future);
    return future;
  }
}
