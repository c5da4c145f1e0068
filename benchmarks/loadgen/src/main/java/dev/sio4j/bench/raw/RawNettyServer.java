package dev.sio4j.bench.raw;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ceiling: a plain Netty WebSocket server doing the bench work with no Engine.IO/Socket.IO
 * framing. Protocol (text frames): on connect the server sends {@code O}; {@code E<id> <payload>}
 * is answered {@code A<id> <payload>}; {@code J<id> <room>} joins and is answered {@code A<id> ok};
 * {@code P<room> <payload>} sends {@code T<payload>} to the room (encoded once); {@code S<id> <gc>}
 * is answered {@code A<id> {"rss":..,"heapUsed":..,"connections":..}}.
 *
 * <p>Thread-safety: a main class; handlers run on the event loops.
 */
public final class RawNettyServer {
  private RawNettyServer() {}

  public static void main(String[] argv) throws Exception {
    int port = 3000;
    for (int i = 0; i < argv.length; i++) {
      if ("--port".equals(argv[i])) {
        port = Integer.parseInt(argv[++i]);
      }
    }
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    Map<String, ChannelGroup> rooms = new ConcurrentHashMap<>();
    WebSocketServerProtocolConfig wsConfig =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/socket.io/")
            .checkStartsWith(true)
            .maxFramePayloadLength(1 << 20)
            .build();
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
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
                        .addLast(new Handler(all, rooms));
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
    System.out.println("READY raw-netty port=" + port);
    System.out.flush();
  }

  /** One per connection. */
  private static final class Handler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final ChannelGroup all;
    private final Map<String, ChannelGroup> rooms;

    Handler(ChannelGroup all, Map<String, ChannelGroup> rooms) {
      this.all = all;
      this.rooms = rooms;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        all.add(ctx.channel());
        ctx.writeAndFlush(new TextWebSocketFrame("O"));
      }
      super.userEventTriggered(ctx, evt);
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
            ctx.writeAndFlush(new TextWebSocketFrame(out), ctx.voidPromise());
            break;
          }
        case 'J':
          {
            String id =
                in.toString(in.readerIndex() + 1, space - in.readerIndex() - 1, CharsetUtil.UTF_8);
            String room = in.toString(space + 1, in.writerIndex() - space - 1, CharsetUtil.UTF_8);
            rooms
                .computeIfAbsent(room, r -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))
                .add(ctx.channel());
            ctx.writeAndFlush(new TextWebSocketFrame("A" + id + " ok"), ctx.voidPromise());
            break;
          }
        case 'P':
          {
            String room =
                in.toString(in.readerIndex() + 1, space - in.readerIndex() - 1, CharsetUtil.UTF_8);
            ChannelGroup group = rooms.get(room);
            if (group != null) {
              ByteBuf out = ctx.alloc().buffer(in.writerIndex() - space);
              out.writeByte('T');
              out.writeBytes(in, space + 1, in.writerIndex() - space - 1);
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
            ctx.writeAndFlush(new TextWebSocketFrame("A" + id + " " + json), ctx.voidPromise());
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
