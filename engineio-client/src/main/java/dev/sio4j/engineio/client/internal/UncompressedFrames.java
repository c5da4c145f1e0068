package dev.sio4j.engineio.client.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;

/**
 * WebSocket frames of packets sent with {@code compress=false}: marked by their class, so that a
 * permessage-deflate encoder given {@link #FILTER_PROVIDER} leaves them uncompressed (RSV1 clear),
 * as the reference client's {@code ws} does for {@code send(data, {compress: false})}.
 *
 * <p>Thread-safety: stateless; the frames are ordinary Netty frames (confined like any other).
 */
final class UncompressedFrames {
  private UncompressedFrames() {}

  /** A text frame, marked when {@code compress} is false. */
  static WebSocketFrame text(String text, boolean compress) {
    return compress ? new TextWebSocketFrame(text) : new Text(text);
  }

  /** A binary frame over {@code data} (not copied), marked when {@code compress} is false. */
  static WebSocketFrame binary(byte[] data, boolean compress) {
    return compress ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)) : new Binary(data);
  }

  /** Whether this frame must not be compressed. */
  static boolean isUncompressed(WebSocketFrame frame) {
    return frame instanceof Text || frame instanceof Binary;
  }

  /** Skips marked frames when encoding; decodes everything. */
  static final WebSocketExtensionFilter ENCODER_FILTER = UncompressedFrames::isUncompressed;

  /** For {@code PerMessageDeflateClientExtensionHandshaker}: exempts the marked frames. */
  static final WebSocketExtensionFilterProvider FILTER_PROVIDER =
      new WebSocketExtensionFilterProvider() {
        @Override
        public WebSocketExtensionFilter encoderFilter() {
          return ENCODER_FILTER;
        }

        @Override
        public WebSocketExtensionFilter decoderFilter() {
          return WebSocketExtensionFilter.NEVER_SKIP;
        }
      };

  private static final class Text extends TextWebSocketFrame {
    Text(String text) {
      super(text);
    }
  }

  private static final class Binary extends BinaryWebSocketFrame {
    Binary(byte[] data) {
      super(Unpooled.wrappedBuffer(data));
    }
  }
}
