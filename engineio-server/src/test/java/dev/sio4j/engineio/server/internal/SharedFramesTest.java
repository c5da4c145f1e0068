package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.CharsetUtil;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedFramesTest {
  @Test
  void oneBufferPerPacketAndLoopTurnReleasedAfterTheTurn() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      Packet hello = Packet.message("héllo");
      Packet other = Packet.message("other");
      ByteBuf[] parents = new ByteBuf[2];
      loop.submit(
              () -> {
                ByteBuf a =
                    SharedFrames.frame(ByteBufAllocator.DEFAULT, EngineIoCodec.v4(), hello, loop);
                ByteBuf b =
                    SharedFrames.frame(ByteBufAllocator.DEFAULT, EngineIoCodec.v4(), hello, loop);
                try {
                  // Two views of one buffer: same memory, own indexes.
                  assertNotSame(a, b);
                  assertEquals(a, b);
                  byte first = a.getByte(a.readerIndex() + 2);
                  a.setByte(a.readerIndex() + 2, 'X');
                  assertEquals('X', b.getByte(b.readerIndex() + 2));
                  a.setByte(a.readerIndex() + 2, first);
                  assertEquals(0x81, a.getUnsignedByte(a.readerIndex()));
                  assertEquals(
                      "4héllo",
                      a.toString(a.readerIndex() + 2, a.readableBytes() - 2, CharsetUtil.UTF_8));
                  parents[0] = a;
                  ByteBuf c =
                      SharedFrames.frame(ByteBufAllocator.DEFAULT, EngineIoCodec.v4(), other, loop);
                  try {
                    c.setByte(c.readerIndex() + 2, 'Y');
                    assertEquals('4', a.getByte(a.readerIndex() + 2));
                    c.setByte(c.readerIndex() + 2, '4');
                    parents[1] = c;
                    // The first packet's frame was dropped from the cache: only a and b hold it.
                    assertEquals(2, parents[0].refCnt());
                  } finally {
                    c.release();
                  }
                } finally {
                  a.release();
                  b.release();
                }
                assertEquals(0, parents[0].refCnt());
                return null;
              })
          .get(5, TimeUnit.SECONDS);
      // The next turn has run the release task: the cached frame of "other" is freed too.
      loop.submit(() -> null).get(5, TimeUnit.SECONDS);
      assertEquals(0, parents[1].refCnt());
    } finally {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }
}
