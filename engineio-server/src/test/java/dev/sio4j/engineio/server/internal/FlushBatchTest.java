package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.CharsetUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket writes of one loop turn: every socket is flushed once for all that was written to it,
 * by one task for the whole loop rather than one per socket.
 */
@Timeout(30)
class FlushBatchTest {
  private static final int SOCKETS = 50;

  /** A session loop that counts the tasks handed to it. */
  private static final class CountingLoop extends DefaultEventLoop {
    final AtomicInteger executed = new AtomicInteger();

    @Override
    public void execute(Runnable task) {
      executed.incrementAndGet();
      super.execute(task);
    }
  }

  /** Counts what reaches the socket: writes and flushes. */
  private static final class Wire extends ChannelOutboundHandlerAdapter {
    int writes;
    int flushes;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      writes++;
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }

  @Test
  void broadcastsOfOneTurnReachEachSocketInOneFlushQueuedOnceForTheLoop() throws Exception {
    CountingLoop loop = new CountingLoop();
    List<EmbeddedChannel> channels = new ArrayList<>();
    List<Wire> wires = new ArrayList<>();
    List<WebSocketTransport> transports = new ArrayList<>();
    try {
      for (int i = 0; i < SOCKETS; i++) {
        Wire wire = new Wire();
        // Outbound goes from the encoder towards the head: the wire sees the finished frames.
        EmbeddedChannel ch = new EmbeddedChannel(wire, new WebSocket13FrameEncoder(false));
        channels.add(ch);
        wires.add(wire);
        transports.add(new WebSocketTransport(ch, loop, EngineIoCodec.v4(), false, false, 1024));
      }
      Packet[] broadcasts = {Packet.message("a"), Packet.message("b"), Packet.message("c")};
      int before = loop.executed.get();
      int queuedDuringTurn =
          loop.submit(
                  () -> {
                    for (Packet p : broadcasts) {
                      for (WebSocketTransport t : transports) {
                        t.send(new Outgoing(p, true, true));
                      }
                    }
                    return loop.executed.get();
                  })
              .get(5, TimeUnit.SECONDS);
      // The submit itself, one flush batch, one release of the shared frame cache; not one task
      // per socket.
      assertEquals(3, queuedDuringTurn - before);
      loop.submit(() -> null).get(5, TimeUnit.SECONDS);
      for (int i = 0; i < SOCKETS; i++) {
        assertEquals(3, wires.get(i).writes, "writes to socket " + i);
        assertEquals(1, wires.get(i).flushes, "flushes of socket " + i);
        EmbeddedChannel ch = channels.get(i);
        for (String expected : new String[] {"4a", "4b", "4c"}) {
          ByteBuf frame = ch.readOutbound();
          try {
            assertEquals(0x81, frame.getUnsignedByte(frame.readerIndex()));
            assertEquals(
                expected,
                frame.toString(
                    frame.readerIndex() + 2, frame.readableBytes() - 2, CharsetUtil.UTF_8));
          } finally {
            frame.release();
          }
        }
      }

      // A later turn's writes are flushed by that turn's batch.
      loop.submit(() -> transports.get(0).send(new Outgoing(Packet.message("d"), true)))
          .get(5, TimeUnit.SECONDS);
      loop.submit(() -> null).get(5, TimeUnit.SECONDS);
      assertEquals(2, wires.get(0).flushes);
      ByteBuf frame = channels.get(0).readOutbound();
      try {
        assertEquals(
            "4d",
            frame.toString(frame.readerIndex() + 2, frame.readableBytes() - 2, CharsetUtil.UTF_8));
      } finally {
        frame.release();
      }
    } finally {
      for (EmbeddedChannel ch : channels) {
        ch.finishAndReleaseAll();
      }
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }
}
