package dev.sio4j.engineio.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The permessage-deflate decoder of one WebSocket channel, bounded by {@code maxHttpBufferSize}: it
 * stops inflating a message (summed over its continuation frames) as soon as its inflated size
 * passes the limit and fails with a {@link TooLongFrameException}, which the frame handler answers
 * with 1009, as the reference's ws does with {@code maxPayload}. Netty's own decoder inflates a
 * whole frame before anything can look at its size, so a frame of a few hundred kilobytes of
 * deflate data could make the server allocate gigabytes first; its {@code maxAllocation} does not
 * help: it bounds each inflated chunk's buffer (not the message), asks for 512 bytes of spare room
 * after every inflate call (so a message a little under the bound is refused), and fails with a
 * decompression error (1007) rather than 1009.
 *
 * <p>Allocation stays within the limit plus one byte per message (plus the inflater's own window):
 * every output buffer is sized to what the message may still take.
 *
 * <p>Thread-safety: one instance per channel, used on that channel's loop.
 */
final class BoundedInflater extends WebSocketExtensionDecoder {
  // RFC 7692 7.2.2: the sender drops this empty stored block's marker from each message's end.
  private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};
  // Small enough that a message near the limit does not hold much slack, large enough that a big
  // message is not cut into many small components.
  private static final int CHUNK = 64 * 1024;
  private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";

  private final int maxMessageSize;
  private final boolean resetAfterMessage;
  private Inflater inflater;
  // Inside a compressed message: its continuation frames are inflated too.
  private boolean inMessage;
  private long inflatedSoFar;
  // A message went over the limit or did not inflate: the channel is closing, data is dropped.
  private boolean failed;

  /**
   * @param maxMessageSize the most bytes a message may inflate to
   * @param resetAfterMessage whether the client compresses each message on its own
   *     (client_no_context_takeover was agreed), so the window can be let go between messages
   */
  BoundedInflater(int maxMessageSize, boolean resetAfterMessage) {
    this.maxMessageSize = maxMessageSize;
    this.resetAfterMessage = resetAfterMessage;
  }

  /**
   * {@code handshaker}'s negotiation (parameters, response, encoder) with this decoder in place of
   * the one it would install.
   */
  static WebSocketServerExtensionHandshaker bounding(
      WebSocketServerExtensionHandshaker handshaker, int maxMessageSize) {
    return offer -> {
      WebSocketServerExtension agreed = handshaker.handshakeExtension(offer);
      if (agreed == null) {
        return null;
      }
      return new WebSocketServerExtension() {
        @Override
        public int rsv() {
          return agreed.rsv();
        }

        @Override
        public WebSocketExtensionEncoder newExtensionEncoder() {
          return agreed.newExtensionEncoder();
        }

        @Override
        public WebSocketExtensionDecoder newExtensionDecoder() {
          boolean reset =
              agreed.newReponseData().parameters().containsKey(CLIENT_NO_CONTEXT_TAKEOVER);
          return new BoundedInflater(maxMessageSize, reset);
        }

        @Override
        public WebSocketExtensionData newReponseData() {
          return agreed.newReponseData();
        }
      };
    };
  }

  @Override
  public boolean acceptInboundMessage(Object msg) throws Exception {
    if (!super.acceptInboundMessage(msg)) {
      return false;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    if (failed) {
      return frame instanceof TextWebSocketFrame
          || frame instanceof BinaryWebSocketFrame
          || frame instanceof ContinuationWebSocketFrame;
    }
    if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
      return (frame.rsv() & WebSocketExtension.RSV1) != 0;
    }
    return frame instanceof ContinuationWebSocketFrame && inMessage;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    if (failed) {
      return;
    }
    if (!(frame instanceof ContinuationWebSocketFrame)) {
      inflatedSoFar = 0;
    }
    if (inflater == null) {
      inflater = new Inflater(true);
    }
    boolean last = frame.isFinalFragment();
    CompositeByteBuf inflated = ctx.alloc().compositeHeapBuffer(Integer.MAX_VALUE);
    try {
      ByteBuf content = frame.content();
      if (content.isReadable()) {
        inflate(ctx, content.nioBuffer(), inflated);
      }
      if (last) {
        inflate(ctx, ByteBuffer.wrap(TAIL), inflated);
      }
    } catch (TooLongFrameException | DecompressionException e) {
      inflated.release();
      fail();
      throw e;
    } catch (RuntimeException | Error e) {
      inflated.release();
      throw e;
    }
    inMessage = !last;
    if (last && (resetAfterMessage || inflater.finished())) {
      // A sender that ended its stream (a final deflate block) starts a new one with the next
      // message.
      inflater.reset();
    }
    int rsv = frame.rsv() & ~WebSocketExtension.RSV1;
    if (frame instanceof TextWebSocketFrame) {
      out.add(new TextWebSocketFrame(last, rsv, inflated));
    } else if (frame instanceof BinaryWebSocketFrame) {
      out.add(new BinaryWebSocketFrame(last, rsv, inflated));
    } else {
      out.add(new ContinuationWebSocketFrame(last, rsv, inflated));
    }
  }

  /** Inflates all of {@code input} into {@code into}, one bounded buffer at a time. */
  private void inflate(ChannelHandlerContext ctx, ByteBuffer input, CompositeByteBuf into) {
    if (inflater.finished()) {
      // Data after the end of the sender's stream (at least the tail we add) inflates to nothing.
      return;
    }
    // Sized from the input, doubling: a small message does not hold a large buffer.
    int next = (int) Math.min(CHUNK, Math.max(256L, input.remaining() * 2L));
    inflater.setInput(input);
    for (; ; ) {
      // One byte more than the message may still take: inflating it is how we learn the message
      // is over the limit.
      long room = maxMessageSize - inflatedSoFar + 1;
      int size = (int) Math.min(Math.min(next, CHUNK), room);
      next = Math.min(CHUNK, next * 2);
      ByteBuf buf = ctx.alloc().heapBuffer(size);
      int n;
      try {
        n = inflater.inflate(buf.nioBuffer(0, size));
      } catch (DataFormatException e) {
        buf.release();
        throw new DecompressionException("invalid permessage-deflate data: " + e.getMessage());
      }
      if (n == 0) {
        buf.release();
      } else {
        buf.writerIndex(n);
        into.addComponent(true, buf);
        inflatedSoFar += n;
        if (inflatedSoFar > maxMessageSize) {
          throw new TooLongFrameException(
              "inflated message over maxHttpBufferSize (" + maxMessageSize + " bytes)");
        }
      }
      if (inflater.finished() || inflater.needsDictionary()) {
        return;
      }
      // A full buffer may leave output pending in the inflater even with no input left: only a
      // call that did not fill its buffer proves there is nothing more. A call that produced
      // nothing with room to spare cannot progress either.
      if (n < size) {
        return;
      }
    }
  }

  private void fail() {
    failed = true;
    inMessage = false;
    release();
  }

  private void release() {
    if (inflater != null) {
      inflater.end();
      inflater = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    release();
    super.handlerRemoved(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release();
    super.channelInactive(ctx);
  }
}
