package dev.sio4j.engineio.server.internal;

import io.netty.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A request channel that stands for a connection owned by another HTTP server (a servlet
 * container): its TLS is that server's, and a WebSocket upgrade is done by that server rather than
 * by Netty's handshaker in this channel's pipeline.
 *
 * <p>Not API: public for the bindings to application servers; it may change in any release.
 *
 * <p>Thread-safety: {@link #upgradeToWebSocket} is called on the channel's loop; {@link #secure}
 * from any thread.
 */
public interface HostedConnection {
  /** Whether the request came over TLS. */
  boolean secure();

  /**
   * Accepts the request's WebSocket upgrade with Engine.IO's response headers. Once the WebSocket
   * is open, {@code onOpen} is to be called on the loop of this channel with a channel, registered
   * there, whose inbound side fires the WebSocket's messages as Netty WebSocket frames and whose
   * outbound side sends the frames written to it; if the upgrade fails, it is never called.
   */
  void upgradeToWebSocket(Map<String, List<String>> responseHeaders, Consumer<Channel> onOpen);
}
