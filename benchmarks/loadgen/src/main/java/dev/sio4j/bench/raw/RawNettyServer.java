package dev.sio4j.bench.raw;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ceiling: a plain Netty WebSocket server doing the bench work with no Engine.IO/Socket.IO
 * framing. Protocol (text frames): on connect the server sends {@code O}; {@code E<id> <payload>}
 * is answered {@code A<id> <payload>}; {@code J<id> <room>} joins and is answered {@code A<id> ok};
 * {@code P<room> <payload>} sends {@code T<payload>} to the room (encoded once); {@code S<id> <gc>}
 * is answered {@code A<id> {"rss":..,"heapUsed":..,"connections":..}}.
 *
 * <p>Two modes. By default (run.sh's {@code raw}, the ceiling) every write is flushed on its own
 * and a broadcast goes through a {@link ChannelGroup} and the frame encoder, as the simplest Netty
 * server does. With {@code --coalesce} ({@code raw-coalesce}, the floor) it writes the way a server
 * that batches does, and no more: a broadcast's frame (header included) is built once and written
 * to each target as a retained duplicate past the frame encoder, without a flush; each event loop
 * keeps the channels written to during its turn and flushes each once in one task queued behind the
 * turn's reads, so several broadcasts in flight share one write system call per socket.
 *
 * <p>{@code --transport auto|io_uring|epoll|nio} picks the Netty transport; {@code auto} (the
 * default) takes epoll, else io_uring, else NIO, as our server does.
 *
 * <p>Thread-safety: a main class; handlers run on the event loops.
 */
public final class RawNettyServer {
  private RawNettyServer() {}

  public static void main(String[] argv) throws Exception {
    int port = 3000;
    boolean coalesce = false;
    String transport = "auto";
    for (int i = 0; i < argv.length; i++) {
      if ("--port".equals(argv[i])) {
        port = Integer.parseInt(argv[++i]);
      } else if ("--coalesce".equals(argv[i])) {
        coalesce = true;
      } else if ("--transport".equals(argv[i])) {
        transport = argv[++i];
      }
    }
    if ("auto".equals(transport)) {
      transport = Epoll.isAvailable() ? "epoll" : IoUring.isAvailable() ? "io_uring" : "nio";
    }
    IoHandlerFactory io;
    Class<? extends ServerChannel> serverChannel;
    switch (transport) {
      case "io_uring":
        IoUring.ensureAvailability();
        io = IoUringIoHandler.newFactory();
        serverChannel = IoUringServerSocketChannel.class;
        break;
      case "epoll":
        Epoll.ensureAvailability();
        io = EpollIoHandler.newFactory();
        serverChannel = EpollServerSocketChannel.class;
        break;
      case "nio":
        io = NioIoHandler.newFactory();
        serverChannel = NioServerSocketChannel.class;
        break;
      default:
        throw new IllegalArgumentException("unknown transport " + transport);
    }
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
    ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    Map<String, ChannelGroup> rooms = new ConcurrentHashMap<>();
    Map<String, Set<Handler>> coalescedRooms = new ConcurrentHashMap<>();
    boolean batched = coalesce;
    WebSocketServerProtocolConfig wsConfig =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/socket.io/")
            .checkStartsWith(true)
            .maxFramePayloadLength(1 << 20)
            .build();
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(serverChannel)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(new WebSocketServerProtocolHandler(wsConfig))
                        .addLast(new Handler(all, rooms, coalescedRooms, batched));
                  }
                });
    Channel server = b.bind("127.0.0.1", port).sync().channel();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close().syncUninterruptibly();
                  workers.shutdownGracefully();
                  boss.shutdownGracefully();
                }));
    System.out.println(
        "READY raw-netty port="
            + port
            + " transport="
            + transport
            + (coalesce ? " coalescing" : " flushing every write"));
    System.out.flush();
  }

  /** One per connection. */
  private static final class Handler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final ChannelGroup all;
    private final Map<String, ChannelGroup> rooms;
    private final Map<String, Set<Handler>> coalescedRooms;
    private final boolean coalesce;
    private Channel channel;
    private ChannelHandlerContext encoder;
    private boolean dirty;

    Handler(
        ChannelGroup all,
        Map<String, ChannelGroup> rooms,
        Map<String, Set<Handler>> coalescedRooms,
        boolean coalesce) {
      this.all = all;
      this.rooms = rooms;
      this.coalescedRooms = coalescedRooms;
      this.coalesce = coalesce;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        channel = ctx.channel();
        encoder = ctx.pipeline().context(WebSocketFrameEncoder.class);
        all.add(ctx.channel());
        ctx.writeAndFlush(new TextWebSocketFrame("O"));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (coalesce) {
        for (Set<Handler> members : coalescedRooms.values()) {
          members.remove(this);
        }
      }
      super.channelInactive(ctx);
    }

    /** A reply: flushed at once, or (coalescing) with the loop's other writes. */
    private void reply(ChannelHandlerContext ctx, ByteBuf text) {
      if (coalesce) {
        write(frame(ctx.alloc(), text));
      } else {
        ctx.writeAndFlush(new TextWebSocketFrame(text), ctx.voidPromise());
      }
    }

    /** Writes a complete frame past the encoder; flushed at the end of the loop's turn. */
    private void write(ByteBuf frame) {
      ChannelHandlerContext enc = encoder;
      if (enc == null || enc.isRemoved() || !channel.isActive()) {
        frame.release();
        return;
      }
      enc.write(frame, channel.voidPromise());
      if (!dirty) {
        dirty = true;
        Flusher.CURRENT.get().add(this);
      }
    }

    private void flush() {
      dirty = false;
      ChannelHandlerContext enc = encoder;
      if (enc != null && !enc.isRemoved()) {
        enc.flush();
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      ByteBuf in = frame.content();
      if (!in.isReadable()) {
        return;
      }
      byte kind = in.getByte(in.readerIndex());
      int space = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) ' ');
      switch (kind) {
        case 'E':
          {
            // The same bytes back with the A marker: the least work an ack can be.
            ByteBuf out = ctx.alloc().buffer(in.readableBytes());
            out.writeByte('A');
            out.writeBytes(in, in.readerIndex() + 1, in.readableBytes() - 1);
            reply(ctx, out);
            break;
          }
        case 'J':
          {
            String id =
                in.toString(in.readerIndex() + 1, space - in.readerIndex() - 1, CharsetUtil.UTF_8);
            String room = in.toString(space + 1, in.writerIndex() - space - 1, CharsetUtil.UTF_8);
            if (coalesce) {
              coalescedRooms.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(this);
            } else {
              rooms
                  .computeIfAbsent(room, r -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))
                  .add(ctx.channel());
            }
            reply(ctx, ByteBufUtil.writeUtf8(ctx.alloc(), "A" + id + " ok"));
            break;
          }
        case 'P':
          {
            String room =
                in.toString(in.readerIndex() + 1, space - in.readerIndex() - 1, CharsetUtil.UTF_8);
            int length = in.writerIndex() - space;
            if (coalesce) {
              Set<Handler> members = coalescedRooms.get(room);
              if (members != null) {
                ByteBuf payload = ctx.alloc().buffer(length);
                payload.writeByte('T');
                payload.writeBytes(in, space + 1, length - 1);
                ByteBuf shared = frame(ctx.alloc(), payload);
                try {
                  for (Handler h : members) {
                    ByteBuf dup = shared.retainedDuplicate();
                    if (h.channel.eventLoop().inEventLoop()) {
                      h.write(dup);
                    } else {
                      h.channel.eventLoop().execute(() -> h.write(dup));
                    }
                  }
                } finally {
                  shared.release();
                }
              }
              break;
            }
            ChannelGroup group = rooms.get(room);
            if (group != null) {
              ByteBuf out = ctx.alloc().buffer(length);
              out.writeByte('T');
              out.writeBytes(in, space + 1, length - 1);
              group.writeAndFlush(new TextWebSocketFrame(out));
            }
            break;
          }
        case 'S':
          {
            String id =
                in.toString(in.readerIndex() + 1, space - in.readerIndex() - 1, CharsetUtil.UTF_8);
            if (in.getByte(space + 1) == '1') {
              System.gc();
              System.gc();
            }
            Runtime rt = Runtime.getRuntime();
            String json =
                "{\"rss\":"
                    + rss()
                    + ",\"heapUsed\":"
                    + (rt.totalMemory() - rt.freeMemory())
                    + ",\"connections\":"
                    + all.size()
                    + "}";
            reply(ctx, ByteBufUtil.writeUtf8(ctx.alloc(), "A" + id + " " + json));
            break;
          }
        default:
          break;
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /**
   * A whole unmasked text frame (RFC 6455: FIN + opcode 1, then the length) in one buffer, so that
   * it is written past the frame encoder. Releases {@code payload}.
   */
  private static ByteBuf frame(ByteBufAllocator alloc, ByteBuf payload) {
    int n = payload.readableBytes();
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuf buf = alloc.ioBuffer(header + n);
    buf.writeByte(0x81);
    if (n < 126) {
      buf.writeByte(n);
    } else if (n <= 0xFFFF) {
      buf.writeByte(126);
      buf.writeShort(n);
    } else {
      buf.writeByte(127);
      buf.writeLong(n);
    }
    buf.writeBytes(payload);
    payload.release();
    return buf;
  }

  /**
   * The channels of one event loop written to during its current turn, flushed once each by one
   * task queued behind the turn's reads and tasks. Thread-safety: one per event-loop thread.
   */
  private static final class Flusher implements Runnable {
    static final FastThreadLocal<Flusher> CURRENT =
        new FastThreadLocal<>() {
          @Override
          protected Flusher initialValue() {
            return new Flusher();
          }
        };

    private List<Handler> pending = new ArrayList<>();
    private List<Handler> spare = new ArrayList<>();
    private boolean scheduled;

    void add(Handler h) {
      pending.add(h);
      if (!scheduled) {
        scheduled = true;
        h.channel.eventLoop().execute(this);
      }
    }

    @Override
    public void run() {
      scheduled = false;
      List<Handler> batch = pending;
      pending = spare;
      for (int i = 0, n = batch.size(); i < n; i++) {
        batch.get(i).flush();
      }
      batch.clear();
      spare = batch;
    }
  }

  private static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
