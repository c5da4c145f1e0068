package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.internal.JsStrings;
import dev.sio4j.engineio.server.EngineIoError;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoRequest;
import dev.sio4j.engineio.server.HeadersHook;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One HTTP request that Engine.IO answers, and the means to answer it once: the response gets the
 * headers every Engine.IO response carries (CORS, user hooks, cookie on a handshake).
 *
 * <p>Thread-safety: {@link #respond} may be called from any thread (Netty hands the write to the
 * channel's loop); the first call answers, later ones are ignored.
 */
final class HttpExchange {
  final Channel channel;
  final EngineIoRequest request;
  final HttpVersion version;
  final boolean keepAlive;
  final String acceptEncoding;
  private final EngineIoServerCore server;
  private final Map<String, List<String>> baseHeaders;
  private String sessionIdForCookie;

  /** 1 once a response was written: a request is answered once, whoever tries again. */
  private volatile int responded;

  private static final AtomicIntegerFieldUpdater<HttpExchange> RESPONDED =
      AtomicIntegerFieldUpdater.newUpdater(HttpExchange.class, "responded");

  HttpExchange(
      EngineIoServerCore server,
      Channel channel,
      EngineIoRequest request,
      HttpVersion version,
      boolean keepAlive,
      Map<String, List<String>> baseHeaders) {
    this.server = server;
    this.channel = channel;
    this.request = request;
    this.version = version;
    this.keepAlive = keepAlive;
    this.acceptEncoding = request.header("accept-encoding").orElse("");
    this.baseHeaders = baseHeaders;
  }

  /** True for a request without {@code sid}: the first of a session. */
  boolean isInitial() {
    return !request.query().containsKey("sid");
  }

  void setSessionIdForCookie(String sid) {
    this.sessionIdForCookie = sid;
  }

  /**
   * The headers for this request's response: CORS and Engine.IO's own, the cookie on a handshake,
   * then the user's hooks, which may change any of them.
   */
  Map<String, List<String>> responseHeaders(Map<String, String> own) {
    Map<String, List<String>> headers = new LinkedHashMap<>(baseHeaders);
    own.forEach((k, v) -> headers.put(k, new ArrayList<>(List.of(v))));
    String ua = request.header("user-agent").orElse("");
    if (ua.contains(";MSIE") || ua.contains("Trident/")) {
      headers.put("X-XSS-Protection", new ArrayList<>(List.of("0")));
    }
    EngineIoOptions options = server.options();
    if (isInitial()) {
      if (sessionIdForCookie != null && options.cookie().isPresent()) {
        headers.put(
            "Set-Cookie",
            new ArrayList<>(List.of(options.cookie().get().serialize(sessionIdForCookie))));
      }
      for (HeadersHook hook : options.initialHeaders()) {
        hook.apply(headers, request);
      }
    }
    for (HeadersHook hook : options.headers()) {
      hook.apply(headers, request);
    }
    return headers;
  }

  void respond(int status, String contentType, byte[] body) {
    respond(status, contentType, body, null, true);
  }

  void respond(
      int status, String contentType, byte[] body, String contentEncoding, boolean engineHeaders) {
    ByteBuf content = body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
    respondWith(status, contentType, content, contentEncoding, engineHeaders);
  }

  void respondWith(
      int status,
      String contentType,
      ByteBuf content,
      String contentEncoding,
      boolean engineHeaders) {
    respondWith(status, contentType, content, contentEncoding, engineHeaders, false);
  }

  /**
   * An empty response with the CORS headers, then the connection is closed: what is left of the
   * request is not read.
   */
  void respondAndClose(int status) {
    respondWith(status, null, Unpooled.EMPTY_BUFFER, null, false, true);
  }

  private void respondWith(
      int status,
      String contentType,
      ByteBuf content,
      String contentEncoding,
      boolean engineHeaders,
      boolean forceClose) {
    if (!RESPONDED.compareAndSet(this, 0, 1)) {
      // Already answered (e.g. refused as an overlapping POST while its body was still coming).
      content.release();
      return;
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status), content);
    HttpHeaders h = response.headers();
    Map<String, String> own = new LinkedHashMap<>();
    if (contentType != null) {
      own.put("Content-Type", contentType);
    }
    if (contentEncoding != null) {
      own.put("Content-Encoding", contentEncoding);
    }
    if (engineHeaders) {
      own.put("cache-control", "no-store");
    }
    Map<String, List<String>> all = engineHeaders ? responseHeaders(own) : merge(own);
    all.forEach(h::add);
    h.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    boolean close = !keepAlive || forceClose;
    if (close) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (version.equals(HttpVersion.HTTP_1_0)) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    if (close) {
      channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.writeAndFlush(response);
    }
  }

  private Map<String, List<String>> merge(Map<String, String> own) {
    Map<String, List<String>> headers = new LinkedHashMap<>(baseHeaders);
    own.forEach((k, v) -> headers.put(k, List.of(v)));
    return headers;
  }

  /**
   * Refuses the request as the reference does: the handler hears {@code connection_error}, then a
   * polling request gets the JSON error body and a WebSocket upgrade a raw 400 before the
   * connection closes.
   *
   * @param message replaces the error's own message when not null
   */
  void refuse(EngineIoError error, String message, boolean upgrade) {
    server.connectionError(request, error, message);
    if (upgrade) {
      String body = message != null ? message : error.message();
      PlainResponses.send(channel, version, 400, body, true);
    } else {
      respondError(error, message);
    }
  }

  /** The reference's JSON error body for a refused polling request. */
  void respondError(EngineIoError error, String message) {
    String msg = message != null ? message : error.message();
    String body = "{\"code\":" + error.code() + ",\"message\":" + JsStrings.quote(msg) + "}";
    respond(
        error.httpStatus(), "application/json", body.getBytes(StandardCharsets.UTF_8), null, false);
  }
}
