package dev.sio4j.server;

import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.SioParser;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A parser that counts what goes through the one it wraps, so that a test can show which parser was
 * on the wire (a test where both ends fell back to JSON would otherwise pass as well).
 */
final class CountingParser implements SioParser {
  private final SioParser delegate;
  final AtomicInteger encoded = new AtomicInteger();
  final AtomicInteger decoded = new AtomicInteger();

  CountingParser(SioParser delegate) {
    this.delegate = delegate;
  }

  @Override
  public EncodedSioPacket encode(SioPacket packet) {
    encoded.incrementAndGet();
    return delegate.encode(packet);
  }

  @Override
  public SioPacketDecoder newDecoder() {
    SioPacketDecoder d = delegate.newDecoder();
    return new SioPacketDecoder() {
      @Override
      public Optional<SioPacket> add(String text) {
        return counted(d.add(text));
      }

      @Override
      public Optional<SioPacket> add(byte[] binary) {
        return counted(d.add(binary));
      }

      @Override
      public void destroy() {
        d.destroy();
      }
    };
  }

  private Optional<SioPacket> counted(Optional<SioPacket> packet) {
    packet.ifPresent(p -> decoded.incrementAndGet());
    return packet;
  }
}
