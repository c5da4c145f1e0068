package dev.sio4j.engineio.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.client.EngineIoClientOptions;
import dev.sio4j.engineio.parser.Packet;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code compress=false} down to the wire: the WebSocket transport marks the frame of a packet sent
 * so, and a permessage-deflate encoder given {@link UncompressedFrames#FILTER_PROVIDER} leaves
 * exactly the marked frames uncompressed (RSV1 clear).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UncompressedFramesTest {
  private static final int RSV1 = 0x4;

  @Test
  void theTransportMarksTheFramesOfPacketsSentWithoutCompression() {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      TransportContext context =
          new TransportContext(
              EngineIoClientOptions.builder().uri(URI.create("http://127.0.0.1:1")).build(), loop);
      WebSocketTransport transport = new WebSocketTransport(context, null);
      Packet plain = Packet.message("a");
      Packet uncompressedText = Packet.message("b");
      Packet uncompressedBinary = Packet.binary(new byte[] {1, 2});
      context.uncompressed.add(uncompressedText);
      context.uncompressed.add(uncompressedBinary);

      assertMarked(false, transport.frame(plain));
      assertMarked(true, transport.frame(uncompressedText));
      assertMarked(true, transport.frame(uncompressedBinary));
      assertTrue(context.uncompressed.isEmpty(), "a written packet leaves the set");
    } finally {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  private static void assertMarked(boolean marked, WebSocketFrame frame) {
    try {
      assertEquals(marked, UncompressedFrames.isUncompressed(frame));
    } finally {
      frame.release();
    }
  }

  @Test
  void permessageDeflateSkipsTheMarkedFrames() {
    WebSocketClientExtension deflate =
        new PerMessageDeflateClientExtensionHandshaker(
                6, false, 15, false, false, UncompressedFrames.FILTER_PROVIDER)
            .handshakeExtension(new WebSocketExtensionData("permessage-deflate", Map.of()));
    EmbeddedChannel channel = new EmbeddedChannel(deflate.newExtensionEncoder());
    String text = "x".repeat(200);

    channel.writeOutbound(UncompressedFrames.text(text, true));
    WebSocketFrame compressed = channel.readOutbound();
    channel.writeOutbound(UncompressedFrames.text(text, false));
    WebSocketFrame plainText = channel.readOutbound();
    channel.writeOutbound(UncompressedFrames.binary(new byte[200], false));
    WebSocketFrame plainBinary = channel.readOutbound();
    try {
      assertEquals(RSV1, compressed.rsv() & RSV1);
      assertTrue(compressed.content().readableBytes() < 200);
      assertEquals(0, plainText.rsv() & RSV1);
      assertEquals(200, plainText.content().readableBytes());
      assertEquals(0, plainBinary.rsv() & RSV1);
      assertEquals(200, plainBinary.content().readableBytes());
    } finally {
      compressed.release();
      plainText.release();
      plainBinary.release();
      assertFalse(channel.finishAndReleaseAll());
    }
  }
}
