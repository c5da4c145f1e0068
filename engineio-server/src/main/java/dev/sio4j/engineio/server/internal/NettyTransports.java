package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.server.IoTransport;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves an {@link IoTransport} to what Netty needs: the event loops' I/O handler and the server
 * channel class. {@code AUTO} walks epoll, io_uring, NIO and takes the first the machine offers
 * (see {@link IoTransport} for why epoll comes first).
 *
 * <p>The io_uring classes are only touched inside {@link Uring}: an application that leaves the
 * io_uring jars out (they are a separate Netty artifact) still gets epoll or NIO.
 *
 * <p>Not API: public for {@code EngineIoServer}; it may change in any release.
 *
 * <p>Thread-safety: stateless; Netty's availability checks are thread-safe.
 */
public final class NettyTransports {
  private static final Logger log = LoggerFactory.getLogger(NettyTransports.class);

  private NettyTransports() {}

  /** A resolved transport. */
  public static final class Selected {
    private final IoTransport transport;
    private final IoHandlerFactory ioHandlerFactory;
    private final Class<? extends ServerChannel> serverChannel;

    Selected(
        IoTransport transport,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel) {
      this.transport = transport;
      this.ioHandlerFactory = ioHandlerFactory;
      this.serverChannel = serverChannel;
    }

    /** The transport taken: never {@code AUTO}. */
    public IoTransport transport() {
      return transport;
    }

    public IoHandlerFactory ioHandlerFactory() {
      return ioHandlerFactory;
    }

    public Class<? extends ServerChannel> serverChannel() {
      return serverChannel;
    }
  }

  /**
   * The transport to use for {@code requested}.
   *
   * @throws IllegalStateException when a forced transport is not available here (the cause says
   *     why)
   */
  public static Selected select(IoTransport requested) {
    switch (requested) {
      case IO_URING:
        {
          Throwable why = Uring.unavailability();
          if (why != null) {
            throw new IllegalStateException("io_uring is not available here: " + why, why);
          }
          return Uring.selected();
        }
      case EPOLL:
        if (!Epoll.isAvailable()) {
          throw new IllegalStateException(
              "epoll is not available here: " + Epoll.unavailabilityCause(),
              Epoll.unavailabilityCause());
        }
        return epoll();
      case NIO:
        return nio();
      case AUTO:
      default:
        {
          if (Epoll.isAvailable()) {
            return epoll();
          }
          log.debug(
              "epoll not available, trying io_uring: {}", Epoll.unavailabilityCause().toString());
          Throwable why = Uring.unavailability();
          if (why == null) {
            return Uring.selected();
          }
          log.debug("io_uring not available, using NIO: {}", why.toString());
          return nio();
        }
    }
  }

  private static Selected epoll() {
    return new Selected(
        IoTransport.EPOLL, EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
  }

  private static Selected nio() {
    return new Selected(IoTransport.NIO, NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }

  /** Everything that names an io_uring class, loaded only when asked. */
  private static final class Uring {
    private Uring() {}

    /** Why io_uring cannot be used, or null when it can. */
    static Throwable unavailability() {
      try {
        return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
      } catch (LinkageError e) {
        // netty-transport-classes-io_uring (or its native part) is not on the class path.
        return e;
      }
    }

    static Selected selected() {
      return new Selected(
          IoTransport.IO_URING, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
    }
  }
}
