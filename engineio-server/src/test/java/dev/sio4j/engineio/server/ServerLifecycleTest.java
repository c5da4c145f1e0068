package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.testing.Await.join;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static dev.sio4j.engineio.testing.Http.get;
import static dev.sio4j.engineio.testing.Http.getAsync;
import static dev.sio4j.engineio.testing.Http.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.RawHttp;
import dev.sio4j.engineio.testing.RawWebSocket;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths, the standalone server's 501, mounting in a user's pipeline, close, and threading. */
class ServerLifecycleTest {

  private static String base(TestServer server) {
    return "http://127.0.0.1:" + server.port();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/other",
        "/engine.io?EIO=4&transport=polling",
        "/engine.iox/?EIO=4&transport=polling",
        "/socket.io/?EIO=4&transport=polling"
      })
  void requestsOutsideThePathGet501FromTheStandaloneServer(String target) {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> res = get(base(server) + target);
      assertEquals(501, res.statusCode());
      assertEquals(0, res.body().length);
      assertEquals(0, server.server.clientsCount());
    }
  }

  @Test
  void pathIsAPrefixMatch() {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> res = get(base(server) + "/engine.io/anything?EIO=4&transport=polling");
      assertEquals(200, res.statusCode());
      assertTrue(text(res).startsWith("0{\"sid\""));
    }
  }

  @Test
  void customPathWithAndWithoutTrailingSlash() {
    try (TestServer server = TestServer.start(EngineIoOptions.builder().path("/custom/"))) {
      assertEquals(200, get(base(server) + "/custom/?EIO=4&transport=polling").statusCode());
      assertEquals(501, get(base(server) + "/custom?EIO=4&transport=polling").statusCode());
      assertEquals(501, get(base(server) + "/engine.io/?EIO=4&transport=polling").statusCode());
    }
    try (TestServer server =
        TestServer.start(EngineIoOptions.builder().path("/custom").addTrailingSlash(false))) {
      assertEquals(200, get(base(server) + "/custom?EIO=4&transport=polling").statusCode());
      assertEquals(200, get(base(server) + "/custom/?EIO=4&transport=polling").statusCode());
    }
  }

  @Test
  void fallbackAnswersOutsideThePathWithTheChosenStatus() {
    try (TestServer server =
        TestServer.start(
            EngineIoServer.builder().fallback(EngineIoServer.Builder.statusFallback(404)),
            new Recorder())) {
      assertEquals(404, get(base(server) + "/other").statusCode());
    }
  }

  // ---- mounted in a user's pipeline ------------------------------------------------------------

  /** The user's own handler: answers every request it sees with its method, URI and body. */
  private static final class UserHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String text =
          "user:"
              + req.method()
              + " "
              + req.uri()
              + " "
              + req.content().toString(StandardCharsets.UTF_8);
      FullHttpResponse res =
          new DefaultFullHttpResponse(
              req.protocolVersion(),
              HttpResponseStatus.OK,
              Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
      ctx.writeAndFlush(res);
    }
  }

  @Test
  void newHttpHandlerSharesAUserPipelineWithTheUsersOwnHandler() throws Exception {
    Recorder recorder = new Recorder();
    EngineIoServer engine = EngineIoServer.builder().handler(recorder).build();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(engine.newHttpHandler())
                          .addLast(new HttpObjectAggregator(65536))
                          .addLast(new UserHandler());
                    }
                  })
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .sync()
              .channel();
      int port = ((InetSocketAddress) channel.localAddress()).getPort();
      String base = "http://127.0.0.1:" + port;

      assertEquals("user:GET /hello ", text(get(base + "/hello")));
      String polling = base + "/engine.io/?EIO=4&transport=polling";
      String sid = sidOf(text(get(polling)));
      String session = polling + "&sid=" + sid;
      // a body on another path reaches the user's handler whole
      HttpResponse<byte[]> userPost =
          Http.post(base + "/form", "x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
      assertEquals("user:POST /form " + "x".repeat(10_000), text(userPost));
      // and Engine.IO keeps working on the same connections
      assertEquals("ok", text(Http.post(session, "4from client")));
      assertEquals("from client", recorder.nextText(sid));
      recorder.socket(sid).send("from server");
      assertEquals("4from server", text(get(session)));
      assertEquals("user:GET /after ", text(get(base + "/after")));

      String wsSid;
      try (RawWebSocket ws =
          RawWebSocket.connect(
              URI.create("ws://127.0.0.1:" + port + "/engine.io/?EIO=4&transport=websocket"))) {
        wsSid = sidOf(ws.nextText());
        ws.send("4over ws");
        assertEquals("over ws", recorder.nextText(wsSid));
        assertEquals(2, engine.clientsCount());
      }
      assertEquals(CloseReason.TRANSPORT_CLOSE, recorder.awaitClose(wsSid).reason());
      assertTrue(recorder.socket(sid).isOpen());
      channel.close().sync();
    } finally {
      engine.close().get(10, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  // ---- close -----------------------------------------------------------------------------------

  @Test
  void closeDisconnectsEverySessionAndReleasesThePort() throws IOException {
    TestServer server = TestServer.start();
    int port = server.port();
    String pollingSid;
    String wsSid;
    try (RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      wsSid = sidOf(ws.nextText());
      pollingSid = handshake(server);
      CompletableFuture<HttpResponse<byte[]>> pending = getAsync(server.polling(pollingSid));
      Polling.awaitPendingGet(server.recorder.socket(pollingSid));

      server.close();

      assertEquals("1", text(join(pending)));
      ws.awaitClose();
    }
    assertEquals(CloseReason.FORCED_CLOSE, server.recorder.awaitClose(pollingSid).reason());
    assertEquals(CloseReason.FORCED_CLOSE, server.recorder.awaitClose(wsSid).reason());
    assertEquals(0, server.server.clientsCount());
    assertThrows(IllegalStateException.class, server.server::port);
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertEquals(port, again.getLocalPort());
    }
  }

  @Test
  void closeTwiceIsHarmless() {
    TestServer server = TestServer.start();
    server.close();
    server.close();
  }

  // ---- threading -------------------------------------------------------------------------------

  @Test
  void callbacksOfASessionAllRunOnOneEventLoopThread() throws Exception {
    Recorder recorder = new Recorder();
    try (TestServer server = TestServer.start(EngineIoServer.builder().ioThreads(4), recorder)) {
      List<String> sids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // a new connection each: accepted channels are spread over the loops round-robin
        try (RawHttp raw = new RawHttp(server.port())) {
          RawHttp.Response res =
              raw.exchange(
                  "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\n"
                      + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
          sids.add(sidOf(res.bodyText()));
        }
      }
      // every POST on a new connection: connections are spread over the four loops
      for (int round = 0; round < 5; round++) {
        for (String sid : sids) {
          try (RawHttp raw = new RawHttp(server.port())) {
            String body = "4m" + round;
            RawHttp.Response res =
                raw.exchange(
                    "POST /engine.io/?EIO=4&transport=polling&sid="
                        + sid
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body);
            assertEquals(200, res.status());
          }
        }
      }
      Set<String> allThreads = new java.util.HashSet<>();
      for (String sid : sids) {
        for (int round = 0; round < 5; round++) {
          assertEquals("m" + round, recorder.nextText(sid));
        }
        try (RawHttp raw = new RawHttp(server.port())) {
          raw.exchange(
              "POST /engine.io/?EIO=4&transport=polling&sid="
                  + sid
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                  + "Content-Length: 1\r\n\r\n1");
        }
        recorder.awaitClose(sid);
        Set<String> threads = recorder.threads(sid);
        assertEquals(1, threads.size(), sid + " ran on " + recorder.callbackThreads(sid));
        assertEquals(7, recorder.callbackThreads(sid).size()); // open, 5 messages, close
        String thread = threads.iterator().next();
        assertNotEquals(Thread.currentThread().getName(), thread);
        allThreads.add(thread);
      }
      // sessions are spread over the loops that accepted their handshakes
      assertTrue(allThreads.size() > 1, "all sessions on " + allThreads);
    }
  }
}
