package dev.sio4j.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Emits on a {@link ClientSocket} with flags: {@code socket.timeout(d)}, {@code socket.volatile_()}
 * and {@code socket.compress(false)} return one, and each flag method returns a new operator, so an
 * operator can be kept and reused.
 *
 * <p>Thread-safety: immutable; emits may be made from any thread.
 */
public final class SocketEmitter {
  private final ClientSocket socket;
  private final boolean volatile_;
  private final boolean compress;
  private final Duration timeout;

  SocketEmitter(ClientSocket socket, boolean volatile_, boolean compress, Duration timeout) {
    this.socket = socket;
    this.volatile_ = volatile_;
    this.compress = compress;
    this.timeout = timeout;
  }

  /**
   * Acknowledgements of emits through this operator fail with {@code "operation has timed out"}
   * when the server has not answered within {@code timeout}.
   */
  public SocketEmitter timeout(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative");
    }
    return new SocketEmitter(socket, volatile_, compress, timeout);
  }

  /**
   * Emits through this operator are dropped, never buffered, when the socket is not connected or
   * the transport cannot write right now.
   */
  public SocketEmitter volatile_() {
    return new SocketEmitter(socket, true, compress, timeout);
  }

  /**
   * Compression hint, passed to the transport (our transports do not compress client to server
   * data, like the Node client against a server without per-message deflate).
   */
  public SocketEmitter compress(boolean compress) {
    return new SocketEmitter(socket, volatile_, compress, timeout);
  }

  /** Whether emits are volatile. */
  public boolean isVolatile() {
    return volatile_;
  }

  /** The ack timeout of this operator, if set. */
  public Optional<Duration> ackTimeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * Emits an event. Arguments are converted to JSON with the client's mapper at once, on the
   * calling thread; {@code byte[]} and {@code ByteBuffer} become binary attachments.
   *
   * @throws IllegalArgumentException if the event name is reserved ({@code connect}, {@code
   *     disconnect}...)
   */
  public void emit(String event, Object... args) {
    socket.send(event, args, this, null);
  }

  /**
   * Emits an event asking the server for an acknowledgement.
   *
   * @return completes with the server's ack arguments; fails with a {@link SocketIoException} on
   *     timeout ({@code "operation has timed out"}) or when the socket disconnects first ({@code
   *     "socket has been disconnected"}). Completed on the client's event thread.
   */
  public CompletableFuture<Arguments> emitWithAck(String event, Object... args) {
    CompletableFuture<Arguments> future = new CompletableFuture<>();
    socket.send(event, args, this, Objects.requireNonNull(future));
    return future;
  }
}
