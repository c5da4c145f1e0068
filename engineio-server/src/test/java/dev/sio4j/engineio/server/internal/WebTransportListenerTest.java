package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.EngineIoHandler;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoServer;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.engineio.server.WebTransportOptions;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.SelfSignedCertificate;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/3 listener against Netty's own HTTP/3 client in process: the extended CONNECT, the
 * WebTransport stream found among HTTP/3 request streams, the first-packet timeout, and the
 * refusals. (Chromium's own session is {@code WebTransportChromiumTest} in socketio-server.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebTransportListenerTest {
  private static final SelfSignedCertificate CERT = SelfSignedCertificate.generate();
  private static final EngineIoCodec V4 = EngineIoCodec.v4();
  private static final Object FIN = "FIN";
  private static final Object INACTIVE = "INACTIVE";

  private static final X509ExtendedTrustManager PINNED =
      new X509ExtendedTrustManager() {
        private void pinned(X509Certificate[] chain) throws CertificateException {
          if (chain.length == 0
              || !Arrays.equals(chain[0].getEncoded(), CERT.certificate().getEncoded())) {
            throw new CertificateException("not the test's certificate");
          }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
          pinned(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
          pinned(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
          pinned(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
          throw new CertificateException("no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
          throw new CertificateException("no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
          throw new CertificateException("no client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      };

  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<EngineIoSocket> opened = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private EventLoopGroup clientGroup;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    if (clientGroup != null) {
      clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private EngineIoServer server(Duration upgradeTimeout) {
    EngineIoServer server =
        EngineIoServer.builder()
            .options(
                EngineIoOptions.builder()
                    .upgradeTimeout(upgradeTimeout)
                    .webTransport(
                        WebTransportOptions.builder()
                            .port(0)
                            .certificate(CERT.key(), CERT.certificate())
                            .build())
                    .build())
            .handler(
                new EngineIoHandler() {
                  @Override
                  public void onOpen(EngineIoSocket socket) {
                    opened.add(socket);
                  }

                  @Override
                  public void onMessage(EngineIoSocket socket, String text) {
                    events.add("message:" + text);
                  }

                  @Override
                  public void onBinary(EngineIoSocket socket, byte[] data) {
                    events.add("binary:" + data.length);
                  }

                  @Override
                  public void onClose(EngineIoSocket s, CloseReason reason, String description) {
                    events.add("close:" + reason);
                  }
                })
            .build();
    server.start().orTimeout(10, TimeUnit.SECONDS).join();
    toClose.add(() -> server.close().get(10, TimeUnit.SECONDS));
    return server;
  }

  private QuicChannel connect(int udpPort) throws Exception {
    if (clientGroup == null) {
      clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }
    QuicSslContext ssl =
        QuicSslContextBuilder.forClient()
            // pinned: exactly the certificate the test made (BoringSSL will not take a
            // self-signed leaf as its own anchor), as browsers pin it by its hash
            .trustManager(PINNED)
            .applicationProtocols(Http3.supportedApplicationProtocols())
            .build();
    Channel udp =
        new Bootstrap()
            .group(clientGroup)
            .channel(NioDatagramChannel.class)
            .handler(
                Http3.newQuicClientCodecBuilder()
                    .sslContext(ssl)
                    .maxIdleTimeout(10, TimeUnit.SECONDS)
                    .initialMaxData(10_000_000)
                    .initialMaxStreamDataBidirectionalLocal(1_000_000)
                    .initialMaxStreamDataBidirectionalRemote(1_000_000)
                    .datagram(8, 8)
                    .build())
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    QuicChannel quic =
        QuicChannel.newBootstrap(udp)
            .handler(new Http3ClientConnectionHandler())
            .remoteAddress(new InetSocketAddress("127.0.0.1", udpPort))
            .connect()
            .get(10, TimeUnit.SECONDS);
    toClose.add(() -> quic.close().sync());
    toClose.add(() -> udp.close().sync());
    return quic;
  }

  /** A request stream whose answers (header frames, then {@link #FIN}) land in {@code into}. */
  private static QuicStreamChannel request(
      QuicChannel quic, String method, String protocol, String path, BlockingQueue<Object> into)
      throws Exception {
    return request(quic, method, protocol, path, null, into);
  }

  private static QuicStreamChannel request(
      QuicChannel quic,
      String method,
      String protocol,
      String path,
      String origin,
      BlockingQueue<Object> into)
      throws Exception {
    QuicStreamChannel stream =
        Http3.newRequestStream(
                quic,
                new Http3RequestStreamInboundHandler() {
                  @Override
                  protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                    into.add(frame.headers());
                  }

                  @Override
                  protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                    frame.release();
                  }

                  @Override
                  protected void channelInputClosed(ChannelHandlerContext ctx) {
                    into.add(FIN);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    DefaultHttp3HeadersFrame headers = new DefaultHttp3HeadersFrame();
    headers.headers().method(method).scheme("https").authority("127.0.0.1").path(path);
    if (protocol != null) {
      headers.headers().set(Http3Headers.PseudoHeaderName.PROTOCOL.value(), protocol);
    }
    if (origin != null) {
      headers.headers().set("origin", origin);
    }
    stream.writeAndFlush(headers).sync();
    return stream;
  }

  /** A raw bidirectional stream: what it reads is copied to {@code into}, then INACTIVE. */
  private static QuicStreamChannel rawStream(QuicChannel quic, BlockingQueue<Object> into)
      throws Exception {
    return quic.createStream(
            QuicStreamType.BIDIRECTIONAL,
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf) {
                  byte[] bytes = new byte[((ByteBuf) msg).readableBytes()];
                  ((ByteBuf) msg).readBytes(bytes);
                  into.add(bytes);
                }
                ReferenceCountUtil.release(msg);
              }

              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
                  into.add(FIN);
                }
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                into.add(INACTIVE);
              }
            })
        .get(10, TimeUnit.SECONDS);
  }

  private static ByteBuf streamHeader(long sessionId, Packet first) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeShort(0x4041); // varint 0x41 on two bytes, as browsers write it
    buf.writeLong(0xc000000000000000L | sessionId); // the session id on 8 bytes
    if (first != null) {
      ByteBuf frame = WebTransportFrames.encode(buf.alloc(), V4, first);
      buf.writeBytes(frame);
      frame.release();
    }
    return buf;
  }

  private static Object poll(BlockingQueue<Object> q) throws InterruptedException {
    Object o = q.poll(10, TimeUnit.SECONDS);
    assertNotNull(o, "nothing arrived in time");
    return o;
  }

  /** Reads packets from the raw stream's bytes until {@code n} decoded. */
  private static List<Packet> packets(BlockingQueue<Object> q, int n) throws InterruptedException {
    EmbeddedChannel decoder = new EmbeddedChannel(new WebTransportFrames.Decoder(V4, 1 << 20));
    List<Packet> out = new ArrayList<>();
    try {
      while (out.size() < n) {
        Object o = poll(q);
        assertTrue(o instanceof byte[], "stream ended: " + o + " after " + out);
        decoder.writeInbound(Unpooled.wrappedBuffer((byte[]) o));
        for (Object p; (p = decoder.readInbound()) != null; ) {
          out.add((Packet) p);
        }
      }
    } finally {
      decoder.finishAndReleaseAll();
    }
    return out;
  }

  @Test
  void aSessionOpensOnItsStreamAndMessagesGoBothWays() throws Exception {
    EngineIoServer server = server(Duration.ofSeconds(10));
    QuicChannel quic = connect(server.webTransportPort().orElseThrow());
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    QuicStreamChannel connect =
        request(
            quic, "CONNECT", "webtransport", "/engine.io/?EIO=4&transport=webtransport", answers);
    Http3Headers response = (Http3Headers) poll(answers);
    assertEquals("200", response.status().toString());
    assertEquals("draft02", response.get("sec-webtransport-http3-draft").toString());

    BlockingQueue<Object> read = new LinkedBlockingQueue<>();
    QuicStreamChannel stream = rawStream(quic, read);
    stream.writeAndFlush(streamHeader(connect.streamId(), Packet.of(PacketType.OPEN))).sync();
    Packet open = packets(read, 1).get(0);
    assertEquals(PacketType.OPEN, open.type());
    EngineIoSocket socket = opened.poll(10, TimeUnit.SECONDS);
    assertNotNull(socket);
    assertTrue(open.textData().contains("\"sid\":\"" + socket.id() + "\""), open.textData());
    assertEquals("webtransport", socket.transport().wireName());
    assertEquals("CONNECT", socket.request().method());
    assertEquals("webtransport", socket.request().query().get("transport"));

    ByteBuf message = WebTransportFrames.encode(stream.alloc(), V4, Packet.message("hi"));
    stream.writeAndFlush(message).sync();
    assertEquals("message:hi", events.poll(10, TimeUnit.SECONDS));
    socket.send("yo");
    socket.send(new byte[] {9, 8});
    List<Packet> got = packets(read, 2);
    assertEquals(Packet.message("yo"), got.get(0));
    assertEquals(2, got.get(1).binaryData().length);

    // closing the socket ends the WebTransport session: the CONNECT stream ends
    socket.close();
    assertEquals(FIN, poll(answers));
    assertEquals("close:" + CloseReason.FORCED_CLOSE, events.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void aPollingSessionUpgradesOntoTheStream() throws Exception {
    EngineIoServer server = server(Duration.ofSeconds(10));
    String base = "http://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=polling";
    String handshake = Http.text(Http.get(base));
    assertTrue(handshake.contains("\"upgrades\":[\"websocket\",\"webtransport\"]"), handshake);
    String sid = EngineIoWireClient.sidOf(handshake);
    EngineIoSocket socket = opened.poll(10, TimeUnit.SECONDS);
    assertEquals(sid, socket.id());
    assertEquals("polling", socket.transport().wireName());

    QuicChannel quic = connect(server.webTransportPort().orElseThrow());
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    QuicStreamChannel connect = request(quic, "CONNECT", "webtransport", "/engine.io/", answers);
    assertEquals("200", ((Http3Headers) poll(answers)).status().toString());
    BlockingQueue<Object> read = new LinkedBlockingQueue<>();
    QuicStreamChannel stream = rawStream(quic, read);
    stream
        .writeAndFlush(
            streamHeader(
                connect.streamId(), Packet.text(PacketType.OPEN, "{\"sid\":\"" + sid + "\"}")))
        .sync();
    stream.writeAndFlush(WebTransportFrames.encode(stream.alloc(), V4, Packet.PING_PROBE)).sync();
    assertEquals(Packet.PONG_PROBE, packets(read, 1).get(0));
    stream.writeAndFlush(WebTransportFrames.encode(stream.alloc(), V4, Packet.UPGRADE)).sync();
    stream
        .writeAndFlush(WebTransportFrames.encode(stream.alloc(), V4, Packet.message("after")))
        .sync();
    assertEquals("message:after", events.poll(10, TimeUnit.SECONDS));
    assertEquals("webtransport", socket.transport().wireName());
    assertTrue(socket.upgraded());
    socket.send("down the stream");
    assertEquals(Packet.message("down the stream"), packets(read, 1).get(0));
    // a second upgrade of the same session is refused: its WebTransport session ends
    BlockingQueue<Object> again = new LinkedBlockingQueue<>();
    QuicChannel quic2 = connect(server.webTransportPort().orElseThrow());
    QuicStreamChannel connect2 = request(quic2, "CONNECT", "webtransport", "/engine.io/", again);
    assertEquals("200", ((Http3Headers) poll(again)).status().toString());
    rawStream(quic2, new LinkedBlockingQueue<>())
        .writeAndFlush(
            streamHeader(
                connect2.streamId(), Packet.text(PacketType.OPEN, "{\"sid\":\"" + sid + "\"}")))
        .sync();
    assertEquals(FIN, poll(again));
    assertTrue(socket.isOpen());
  }

  @Test
  void theUpgradeIsOfferedOnlyWhileTheListenerRuns() {
    EngineIoServerCore core =
        new EngineIoServerCore(
            EngineIoOptions.builder()
                .webTransport(
                    WebTransportOptions.builder()
                        .port(0)
                        .certificate(CERT.key(), CERT.certificate())
                        .build())
                .build(),
            new EngineIoHandler() {
              @Override
              public void onOpen(EngineIoSocket socket) {}

              @Override
              public void onMessage(EngineIoSocket socket, String text) {}

              @Override
              public void onBinary(EngineIoSocket socket, byte[] data) {}

              @Override
              public void onClose(EngineIoSocket s, CloseReason reason, String description) {}
            });
    // mounted in an application's own server, never started: no listener, no offer
    assertEquals(List.of("websocket"), core.upgrades(TransportType.POLLING));
    core.startWebTransport("127.0.0.1", 0).orTimeout(10, TimeUnit.SECONDS).join();
    try {
      assertEquals(List.of("websocket", "webtransport"), core.upgrades(TransportType.POLLING));
      assertEquals(List.of(), core.upgrades(TransportType.WEBTRANSPORT));
    } finally {
      core.closeWebTransport().orTimeout(10, TimeUnit.SECONDS).join();
    }
    assertEquals(List.of("websocket"), core.upgrades(TransportType.POLLING));
  }

  @Test
  void aSessionThatOpensNoStreamIsClosedAfterTheUpgradeTimeout() throws Exception {
    EngineIoServer server = server(Duration.ofMillis(300));
    QuicChannel quic = connect(server.webTransportPort().orElseThrow());
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    request(quic, "CONNECT", "webtransport", "/engine.io/", answers);
    assertEquals("200", ((Http3Headers) poll(answers)).status().toString());
    assertEquals(FIN, poll(answers));
  }

  @Test
  void aStreamThatSendsNoPacketIsClosedAfterTheUpgradeTimeout() throws Exception {
    EngineIoServer server = server(Duration.ofMillis(300));
    QuicChannel quic = connect(server.webTransportPort().orElseThrow());
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    QuicStreamChannel connect = request(quic, "CONNECT", "webtransport", "/engine.io/", answers);
    assertEquals("200", ((Http3Headers) poll(answers)).status().toString());
    BlockingQueue<Object> read = new LinkedBlockingQueue<>();
    rawStream(quic, read).writeAndFlush(streamHeader(connect.streamId(), null)).sync();
    assertEquals(FIN, poll(answers));
    assertTrue(opened.isEmpty());
  }

  @Test
  void otherRequestsAndPathsAreNotFound() throws Exception {
    EngineIoServer server = server(Duration.ofSeconds(10));
    QuicChannel quic = connect(server.webTransportPort().orElseThrow());
    BlockingQueue<Object> get = new LinkedBlockingQueue<>();
    // an HTTP/3 request stream: its bytes are handed back to the HTTP/3 codec as they came
    request(quic, "GET", null, "/engine.io/?EIO=4&transport=polling", get);
    assertEquals("404", ((Http3Headers) poll(get)).status().toString());
    assertEquals(FIN, poll(get));
    BlockingQueue<Object> other = new LinkedBlockingQueue<>();
    request(quic, "CONNECT", "webtransport", "/elsewhere/", other);
    assertEquals("404", ((Http3Headers) poll(other)).status().toString());
    assertEquals(FIN, poll(other));
  }

  @Test
  void aForeignOriginIsRefusedAsOverHttp() throws Exception {
    EngineIoServer server = server(Duration.ofSeconds(10));
    QuicChannel quic = connect(server.webTransportPort().orElseThrow());
    BlockingQueue<Object> foreign = new LinkedBlockingQueue<>();
    request(quic, "CONNECT", "webtransport", "/engine.io/", "https://evil.example", foreign);
    assertEquals("403", ((Http3Headers) poll(foreign)).status().toString());
    assertEquals(FIN, poll(foreign));
    // its own origin (host and port, whatever the scheme) is welcome
    BlockingQueue<Object> own = new LinkedBlockingQueue<>();
    request(quic, "CONNECT", "webtransport", "/engine.io/", "http://127.0.0.1", own);
    assertEquals("200", ((Http3Headers) poll(own)).status().toString());
  }

  @Test
  void aStreamOfNoSessionIsClosed() throws Exception {
    EngineIoServer server = server(Duration.ofSeconds(10));
    QuicChannel quic = connect(server.webTransportPort().orElseThrow());
    BlockingQueue<Object> read = new LinkedBlockingQueue<>();
    QuicStreamChannel stream = rawStream(quic, read);
    stream.writeAndFlush(streamHeader(4000, Packet.of(PacketType.OPEN))).sync();
    Object end = poll(read);
    assertTrue(end == FIN || end == INACTIVE, String.valueOf(end));
    assertTrue(opened.isEmpty());
  }
}
