package dev.sio4j.engineio.servlet;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta WebSocket endpoint of one accepted Engine.IO upgrade: it turns the container's
 * session into a {@link WebSocketChannel} on the request's loop and hands it to the Engine.IO
 * server.
 *
 * <p>Not API: public only because the Jakarta WebSocket containers require endpoint classes to be;
 * instances are made by {@link EngineIoServlet} alone.
 *
 * <p>Thread-safety: one instance per upgrade; the container calls it on its threads, one callback
 * at a time.
 */
public final class BridgeEndpoint extends Endpoint {
  private static final Logger log = LoggerFactory.getLogger(BridgeEndpoint.class);

  private static final String TOMCAT_BLOCKING_SEND_TIMEOUT =
      "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
  private static final String TOMCAT_SESSION_CLOSE_TIMEOUT =
      "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";
  private static final Long CLOSE_WAIT_MILLIS = 5000L;

  private final EventLoop loop;
  private final Consumer<Channel> onOpen;
  private final InetSocketAddress local;
  private final InetSocketAddress remote;
  private final Executor closer;
  private final int maxMessageSize;
  private final long idleTimeoutMillis;
  private volatile WebSocketChannel channel;

  BridgeEndpoint(
      EventLoop loop,
      Consumer<Channel> onOpen,
      InetSocketAddress local,
      InetSocketAddress remote,
      Executor closer,
      int maxMessageSize,
      long idleTimeoutMillis) {
    this.loop = loop;
    this.onOpen = onOpen;
    this.local = local;
    this.remote = remote;
    this.closer = closer;
    this.maxMessageSize = maxMessageSize;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  /** The endpoint's configuration: this instance, and the 101 carrying Engine.IO's headers. */
  ServerEndpointConfig config(String path, Map<String, List<String>> headers) {
    BridgeEndpoint self = this;
    return ServerEndpointConfig.Builder.create(BridgeEndpoint.class, path)
        .configurator(
            new ServerEndpointConfig.Configurator() {
              @Override
              public <T> T getEndpointInstance(Class<T> endpointClass) {
                return endpointClass.cast(self);
              }

              @Override
              public void modifyHandshake(
                  ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
                headers.forEach((k, v) -> response.getHeaders().put(k, new ArrayList<>(v)));
              }
            })
        .build();
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    // The container reassembles and bounds messages (1009 past the limit) as Netty's aggregator
    // does on the server's own port.
    session.setMaxTextMessageBufferSize(maxMessageSize);
    session.setMaxBinaryMessageBufferSize(maxMessageSize);
    // The Engine.IO heartbeat watches the connection; the container's own idle timeout only backs
    // it up.
    session.setMaxIdleTimeout(idleTimeoutMillis);
    // The API has no abort: a session dropped for reading too slowly is closed, and Tomcat's close
    // waits for the send in flight, then writes the close frame (blocking up to 20 s by default),
    // then waits for the peer's close frame (30 s by default) before it drops the connection. A
    // client that stopped reading answers neither. Other containers ignore these properties.
    session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, CLOSE_WAIT_MILLIS);
    session.getUserProperties().put(TOMCAT_SESSION_CLOSE_TIMEOUT, CLOSE_WAIT_MILLIS);
    WebSocketChannel ch = new WebSocketChannel(session, local, remote, closer);
    channel = ch;
    // Registered and handed over before any message: they are queued behind on the same loop.
    loop.register(ch)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                onOpen.accept(ch);
              } else {
                ch.unsafe().closeForcibly();
                closer.execute(() -> closeQuietly(session));
              }
            });
    session.addMessageHandler(String.class, ch::inbound);
    session.addMessageHandler(ByteBuffer.class, ch::inbound);
  }

  private static void closeQuietly(Session session) {
    try {
      session.close();
    } catch (Exception e) {
      log.debug("closing {} failed: {}", session.getId(), e.toString());
    }
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    WebSocketChannel ch = channel;
    if (ch != null) {
      ch.closeLater();
    }
  }

  @Override
  public void onError(Session session, Throwable cause) {
    log.debug("WebSocket {} failed: {}", session.getId(), cause.toString());
    WebSocketChannel ch = channel;
    if (ch != null) {
      ch.closeLater();
    }
  }
}
