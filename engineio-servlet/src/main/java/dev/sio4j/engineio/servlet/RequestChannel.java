package dev.sio4j.engineio.servlet;

import dev.sio4j.engineio.server.internal.HostedConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.FullHttpResponse;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One servlet request as a Netty channel: the request is fired in as Netty HTTP messages, the
 * response the Engine.IO handlers write goes to a {@link Sink} (the asynchronous servlet response
 * of a polling request, or the servlet thread waiting to upgrade a WebSocket request).
 *
 * <p>Thread-safety: see {@link BridgeChannel}; the sink is called on the channel's loop.
 */
final class RequestChannel extends BridgeChannel implements HostedConnection {
  /** Where the channel's response goes. */
  interface Sink {
    /** The response; the channel releases it after the call. */
    void respond(FullHttpResponse response);

    /** The WebSocket upgrade was accepted with these headers (see {@link HostedConnection}). */
    void upgrade(Map<String, List<String>> headers, Consumer<Channel> onOpen);

    /** The channel closed; whatever was not answered ends now. */
    void closed();
  }

  private final boolean secure;
  private final Sink sink;

  RequestChannel(InetSocketAddress local, InetSocketAddress remote, boolean secure, Sink sink) {
    super(local, remote);
    this.secure = secure;
    this.sink = sink;
  }

  @Override
  public boolean secure() {
    return secure;
  }

  @Override
  public void upgradeToWebSocket(Map<String, List<String>> headers, Consumer<Channel> onOpen) {
    sink.upgrade(headers, onOpen);
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    for (Object msg = in.current(); msg != null; msg = in.current()) {
      if (msg instanceof FullHttpResponse) {
        try {
          sink.respond((FullHttpResponse) msg);
        } catch (RuntimeException e) {
          in.remove(e);
          continue;
        }
        in.remove();
      } else {
        // The Engine.IO handlers write whole responses only.
        in.remove(new UnsupportedOperationException("not a full response: " + msg.getClass()));
      }
    }
  }

  @Override
  void onClosed() {
    sink.closed();
  }
}
