package dev.sio4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Emits to one socket with flags: {@code socket.timeout(d).emitWithAck(...)}, {@code
 * socket.volatile_().emit(...)}, {@code socket.compress(false).emit(...)}. Each call returns a new
 * emitter; the socket itself keeps no pending flags.
 *
 * <p>Thread-safety: immutable; usable from any thread.
 */
public final class SocketEmitter {
  private final Socket socket;
  private final BroadcastFlags flags;

  SocketEmitter(Socket socket, BroadcastFlags flags) {
    this.socket = socket;
    this.flags = flags;
  }

  public SocketEmitter timeout(Duration timeout) {
    return new SocketEmitter(socket, flags.withTimeout(Objects.requireNonNull(timeout)));
  }

  public SocketEmitter volatile_() {
    return new SocketEmitter(socket, flags.withVolatile(true));
  }

  public SocketEmitter compress(boolean compress) {
    return new SocketEmitter(socket, flags.withCompress(compress));
  }

  /**
   * Emits an event.
   *
   * @throws IllegalArgumentException for a reserved event name
   */
  public void emit(String event, Object... args) {
    checkEvent(event);
    ArrayNode array = Json.eventArray(socket.namespace().server().mapper(), event, args);
    socket.emitPacket(event, array, flags, null, null);
  }

  /** Emits an event and completes with the client's ack arguments (or times out). */
  public CompletableFuture<Arguments> emitWithAck(String event, Object... args) {
    checkEvent(event);
    ArrayNode array = Json.eventArray(socket.namespace().server().mapper(), event, args);
    CompletableFuture<Arguments> future = new CompletableFuture<>();
    socket.emitPacket(event, array, flags, future, flags.timeout().orElse(null));
    return future;
  }

  static void checkEvent(String event) {
    Objects.requireNonNull(event, "event");
    if (SioPacket.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
  }
}
