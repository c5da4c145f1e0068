package dev.sio4j.engineio.servlet;

import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * A Netty channel standing for a connection a servlet container owns, so that the Engine.IO
 * server's handlers, written against channels and their event loops, serve it unchanged. It does no
 * I/O of its own: the container's threads push what they read with {@link #fireLater}, and the
 * subclass hands what the handlers write to the container.
 *
 * <p>Thread-safety: as every Netty channel, its pipeline and outbound side run on its event loop;
 * {@link #fireLater} may be called from any thread.
 */
abstract class BridgeChannel extends AbstractChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false);

  private final DefaultChannelConfig config = new DefaultChannelConfig(this);
  private final InetSocketAddress local;
  private final InetSocketAddress remote;
  private volatile boolean open = true;

  BridgeChannel(InetSocketAddress local, InetSocketAddress remote) {
    super(null);
    this.local = local;
    this.remote = remote;
  }

  /**
   * Fires {@code msg} into the pipeline on the channel's loop, in the order of the calls; releases
   * it when the loop no longer takes tasks (the application is stopping).
   */
  final void fireLater(Object msg) {
    try {
      eventLoop().execute(() -> pipeline().fireChannelRead(msg));
    } catch (RejectedExecutionException e) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Closes the channel from any thread; harmless once closed or when the loop is gone. */
  final void closeLater() {
    try {
      eventLoop().execute(() -> close());
    } catch (RejectedExecutionException e) {
      // the loops are stopping: the sessions are being closed with them
    }
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new AbstractUnsafe() {
      @Override
      public void connect(
          SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        promise.setFailure(new UnsupportedOperationException("a bridged connection"));
      }
    };
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    // No I/O is registered with the loop: any loop can run the channel's tasks and timers.
    return true;
  }

  @Override
  protected SocketAddress localAddress0() {
    return local;
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return remote;
  }

  @Override
  protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("a bridged connection");
  }

  @Override
  protected void doDisconnect() {
    close();
  }

  @Override
  protected void doClose() {
    open = false;
    onClosed();
  }

  @Override
  protected void doBeginRead() {
    // Reads are pushed by the container's threads.
  }

  /** The channel was closed (on its loop): let the container's side of it go. */
  abstract void onClosed();
}
