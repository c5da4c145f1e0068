package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.server.EngineIoRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Engine.IO reads from a Netty request: the {@link EngineIoRequest} kept for a session, and
 * the checks the reference makes on headers.
 *
 * <p>Thread-safety: stateless.
 */
final class Requests {
  private Requests() {}

  /** The request as the server keeps it; common tokens are shared (see {@link CommonStrings}). */
  static EngineIoRequest toEngineRequest(Channel channel, HttpRequest req) {
    QueryStringDecoder decoder = new QueryStringDecoder(req.uri());
    Map<String, String> query = new HashMap<>();
    decoder
        .parameters()
        .forEach(
            (k, v) ->
                query.put(
                    CommonStrings.canonical(k),
                    v.isEmpty() ? "" : CommonStrings.canonical(v.get(v.size() - 1))));
    Map<String, List<String>> headers = new HashMap<>();
    for (Map.Entry<String, String> e : req.headers()) {
      headers
          .computeIfAbsent(
              CommonStrings.canonical(e.getKey().toLowerCase(Locale.ROOT)), k -> new ArrayList<>())
          .add(CommonStrings.canonical(e.getValue()));
    }
    SocketAddress address = channel.remoteAddress();
    InetSocketAddress remote =
        address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    boolean secure =
        channel instanceof HostedConnection
            ? ((HostedConnection) channel).secure()
            : channel.pipeline().get(SslHandler.class) != null;
    return EngineIoRequest.of(req.method().name(), req.uri(), query, headers, remote, secure);
  }

  static boolean isWebSocketUpgrade(HttpRequest req) {
    HttpHeaders h = req.headers();
    return h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && h.contains(HttpHeaderNames.UPGRADE)
        && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(h.get(HttpHeaderNames.UPGRADE));
  }

  /** Node's check for characters that may not appear in a header value. */
  static boolean hasInvalidHeaderChar(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return true;
      }
    }
    return false;
  }

  /**
   * A bodiless full copy of a request's head, for what needs a {@link FullHttpRequest} (the
   * WebSocket handshaker) or must outlive the message (a handshake waiting for {@code
   * allowRequest}). The caller releases it.
   */
  static FullHttpRequest copyHead(HttpRequest req) {
    return new DefaultFullHttpRequest(
        req.protocolVersion(),
        req.method(),
        req.uri(),
        Unpooled.EMPTY_BUFFER,
        req.headers().copy(),
        EmptyHttpHeaders.INSTANCE);
  }
}
