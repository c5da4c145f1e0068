package dev.sio4j.engineio.servlet;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polling request (or any request that is not a WebSocket upgrade) served asynchronously: its
 * body is read without blocking and fired into the channel chunk by chunk, stopping past {@code
 * maxHttpBufferSize} (the Engine.IO handler answers 413 then); its response is written without
 * blocking, then the request completes. The container's timeout, error or completion closes the
 * channel, which the session sees as a connection lost.
 *
 * <p>Thread-safety: {@link #respond} and {@link #closed} run on the channel's loop, the listeners
 * on the container's threads; the response's state is guarded by this object's lock.
 */
final class AsyncExchange
    implements RequestChannel.Sink, WriteListener, ReadListener, AsyncListener {
  private static final Logger log = LoggerFactory.getLogger(AsyncExchange.class);

  /** Headers of the connection, which the container manages. */
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "keep-alive", "transfer-encoding", "upgrade");

  private static final int CHUNK = 8192;

  private final AsyncContext async;
  private final HttpServletResponse response;
  private final long bodyLimit;
  private RequestChannel channel;

  /** Body bytes fired so far (container threads, one at a time). */
  private long bodyRead;

  private boolean answered;
  private boolean completed;
  private byte[] pendingBody;

  AsyncExchange(AsyncContext async, HttpServletResponse response, long bodyLimit) {
    this.async = async;
    this.response = response;
    this.bodyLimit = bodyLimit;
  }

  void attach(RequestChannel channel) {
    this.channel = channel;
  }

  // ---- request body (container threads) ---------------------------------------------------------

  @Override
  public void onDataAvailable() throws IOException {
    ServletInputStream in = async.getRequest().getInputStream();
    byte[] buf = new byte[CHUNK];
    while (in.isReady() && !in.isFinished()) {
      if (bodyRead > bodyLimit || !channel.isOpen() || !channel.config().isAutoRead()) {
        // Past the limit the handler answered 413 and closes: the rest is not read.
        return;
      }
      int n = in.read(buf);
      if (n < 0) {
        return;
      }
      if (n > 0) {
        bodyRead += n;
        channel.fireLater(new DefaultHttpContent(Unpooled.copiedBuffer(buf, 0, n)));
      }
    }
  }

  @Override
  public void onAllDataRead() {
    channel.fireLater(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  // ---- response (channel loop, then container threads)
  // -------------------------------------------

  @Override
  public synchronized void respond(FullHttpResponse r) {
    if (answered || completed) {
      return;
    }
    answered = true;
    response.setStatus(r.status().code());
    for (Map.Entry<String, String> h : r.headers()) {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        response.addHeader(h.getKey(), h.getValue());
      }
    }
    pendingBody = ByteBufUtil.getBytes(r.content());
    response.setContentLength(pendingBody.length);
    try {
      response.getOutputStream().setWriteListener(this);
    } catch (IOException | RuntimeException e) {
      log.debug("cannot write the response of {}: {}", channel, e.toString());
      complete();
    }
  }

  @Override
  public synchronized void onWritePossible() throws IOException {
    ServletOutputStream out = response.getOutputStream();
    if (pendingBody != null) {
      if (!out.isReady()) {
        return;
      }
      byte[] body = pendingBody;
      pendingBody = null;
      out.write(body);
    }
    if (out.isReady()) {
      // Written out (or handed to the container whole): the request is done.
      complete();
    }
  }

  @Override
  public void upgrade(Map<String, List<String>> headers, Consumer<Channel> onOpen) {
    // Only requests without the upgrade headers come here, which the router does not upgrade.
    throw new IllegalStateException("not an upgrade request");
  }

  @Override
  public synchronized void closed() {
    if (!answered && !completed) {
      // Ended without an answer (a POST whose session closed under it): the reference drops such
      // a request; a servlet can only end it, as an error.
      answered = true;
      try {
        response.setStatus(500);
        response.setContentLength(0);
      } catch (RuntimeException e) {
        // already committed by the container (timeout, error)
      }
      complete();
    }
  }

  private synchronized void complete() {
    if (completed) {
      return;
    }
    completed = true;
    try {
      async.complete();
    } catch (IllegalStateException e) {
      // completed by the container already (timeout or error)
    }
  }

  // ---- container events
  // ---------------------------------------------------------------------------

  @Override
  public void onError(Throwable t) {
    log.debug("request {} failed: {}", channel, t.toString());
    channel.closeLater();
    complete();
  }

  @Override
  public void onComplete(AsyncEvent event) {
    channel.closeLater();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    channel.closeLater();
    complete();
  }

  @Override
  public void onError(AsyncEvent event) {
    onError(event.getThrowable() != null ? event.getThrowable() : new IOException("async error"));
  }

  @Override
  public void onStartAsync(AsyncEvent event) {}
}
