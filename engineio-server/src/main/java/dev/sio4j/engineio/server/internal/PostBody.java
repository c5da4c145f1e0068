package dev.sio4j.engineio.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;

/**
 * A polling POST body being read, bounded by {@code maxHttpBufferSize}. As the reference's
 * transport, the session knows the POST from its head on (see {@link PollingDispatch#postStarted}):
 * a second POST while one is in flight closes the session, and a session that closes aborts its
 * POST in flight. Past the limit the request gets a 413 at once, the connection is closed without
 * reading the rest, and the session is closed; a connection lost mid-body closes the session too. A
 * complete body goes to the session's loop through {@link PollingDispatch}.
 *
 * <p>Thread-safety: one instance per request; {@link #append}, {@link #complete} and {@link
 * #discard} run on the request channel's loop, {@link #abort} and {@link #refuse} on any thread
 * (they only write to and close the channel).
 */
final class PostBody {
  private final HttpExchange exchange;
  private final Session session;
  private final boolean binary;
  private final int limit;
  private final CompositeByteBuf body;

  /** Set once the session heard how this POST ended (data, too large, connection lost). */
  private boolean ended;

  PostBody(HttpExchange exchange, Session session, boolean binary, int limit) {
    this.exchange = exchange;
    this.session = session;
    this.binary = binary;
    this.limit = limit;
    this.body = exchange.channel.alloc().compositeBuffer(64);
  }

  /** A chunk of the body; the caller keeps its reference (this retains what it keeps). */
  void append(ByteBuf chunk) {
    if (ended || !chunk.isReadable()) {
      return;
    }
    if (body.readableBytes() + chunk.readableBytes() > limit) {
      ended = true;
      body.release();
      exchange.respondAndClose(413);
      exchange.channel.config().setAutoRead(false);
      PollingDispatch.postFailed(session, this, "data request too large");
      return;
    }
    body.addComponent(true, chunk.retain());
  }

  /** The last chunk was appended. */
  void complete() {
    if (ended) {
      return;
    }
    ended = true;
    byte[] bytes = ByteBufUtil.getBytes(body);
    body.release();
    PollingDispatch.data(session, exchange, bytes, binary, this);
  }

  /** The connection closed before the body was complete. */
  void discard() {
    if (ended) {
      return;
    }
    ended = true;
    body.release();
    PollingDispatch.postFailed(session, this, "data request connection closed prematurely");
  }

  /** Ends the request without an answer: its session closed while the body was coming. */
  void abort() {
    exchange.channel.close();
  }

  /** Answers 400 and closes the connection: the POST overlapped another one. */
  void refuse() {
    exchange.respondAndClose(400);
  }
}
