package dev.sio4j.engineio.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;

/**
 * A polling POST body being read, bounded by {@code maxHttpBufferSize}: past it the request gets a
 * 413 at once and the rest of its content is dropped, as the reference does. A complete body goes
 * to the session's loop through {@link PollingDispatch}.
 *
 * <p>Thread-safety: one instance per request, used on the request channel's loop.
 */
final class PostBody {
  private final HttpExchange exchange;
  private final Session session;
  private final boolean binary;
  private final int limit;
  private final CompositeByteBuf body;
  private boolean tooLarge;

  PostBody(HttpExchange exchange, Session session, boolean binary, int limit) {
    this.exchange = exchange;
    this.session = session;
    this.binary = binary;
    this.limit = limit;
    this.body = exchange.channel.alloc().compositeBuffer(64);
  }

  /** A chunk of the body; the caller keeps its reference (this retains what it keeps). */
  void append(ByteBuf chunk) {
    if (tooLarge || !chunk.isReadable()) {
      return;
    }
    if (body.readableBytes() + chunk.readableBytes() > limit) {
      tooLarge = true;
      body.release();
      exchange.respond(413, null, new byte[0], null, false);
      return;
    }
    body.addComponent(true, chunk.retain());
  }

  /** The last chunk was appended. */
  void complete() {
    if (tooLarge) {
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(body);
    body.release();
    PollingDispatch.data(session, exchange, bytes, binary);
  }

  /** The connection closed before the body was complete. */
  void discard() {
    if (!tooLarge) {
      body.release();
    }
  }
}
