package dev.sio4j.engineio.client.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loop a client runs on: one of the group the user lent, or a one-thread group of its own
 * that closing shuts down. The Engine.IO and the Socket.IO client both own their loop this way, so
 * the making and the release are written once.
 *
 * <p>Thread-safety: immutable; {@link #releaseAfter} may be called from any thread.
 */
public final class ClientLoop {
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Null when the loop belongs to the user's group (which the user shuts down). */
  private final EventLoopGroup ownedGroup;

  private final EventLoop loop;

  /** A loop of {@code lent}, or of a new daemon one-thread group when there is none. */
  public ClientLoop(Optional<EventLoopGroup> lent) {
    if (lent.isPresent()) {
      this.ownedGroup = null;
      this.loop = lent.get().next();
    } else {
      this.ownedGroup =
          new MultiThreadIoEventLoopGroup(
              1,
              new DefaultThreadFactory("sio4j-client-" + THREADS.incrementAndGet(), true),
              NioIoHandler.newFactory());
      this.loop = ownedGroup.next();
    }
  }

  public EventLoop loop() {
    return loop;
  }

  /**
   * Once {@code released} completes (however), shuts down the client's own group if it has one,
   * then completes {@code closed}.
   */
  public void releaseAfter(CompletableFuture<?> released, CompletableFuture<Void> closed) {
    released.whenComplete(
        (v, e) -> {
          if (ownedGroup == null) {
            closed.complete(null);
          } else {
            ownedGroup
                .shutdownGracefully(0, 2, TimeUnit.SECONDS)
                .addListener(f -> closed.complete(null));
          }
        });
  }
}
