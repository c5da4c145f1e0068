package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoRequest;
import dev.sio4j.engineio.server.WebTransportOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.http3.Http3UnknownFrame;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/3 listener that accepts WebTransport sessions (draft-ietf-webtrans-http3, as browsers
 * speak it) on Netty's QUIC and HTTP/3 codecs, which know HTTP/3 but not WebTransport. What this
 * adds to them:
 *
 * <ul>
 *   <li>the SETTINGS a browser requires before it opens a session: extended CONNECT, HTTP datagrams
 *       (RFC 9297 and draft-04), WebTransport (draft-02's enable flag), with QUIC datagrams on as
 *       HTTP datagrams oblige;
 *   <li>the extended CONNECT ({@code :protocol webtransport}) on the Engine.IO path, answered 200
 *       (with draft-02's version header); the stream then stays open for the session's life, its
 *       end (either side) ends the session;
 *   <li>the client's bidirectional streams that start with the WebTransport stream signal (varint
 *       0x41) and a session id instead of an HTTP/3 frame: each new stream is read first by a
 *       {@link StreamSniffer}, which either hands it back to the HTTP/3 codec, bytes replayed, or
 *       swaps the codec for Engine.IO's {@link WebTransportFrames.Decoder} and {@link
 *       WebTransportStreamHandler}.
 * </ul>
 *
 * <p>A session that opens no stream, or whose stream sends no packet, within {@code upgradeTimeout}
 * is closed, as the reference does.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} may be called from any thread; everything of
 * a connection runs on the listener's single event loop.
 */
final class WebTransportListener {
  private static final Logger log = LoggerFactory.getLogger(WebTransportListener.class);

  // HTTP/3 SETTINGS identifiers browsers look for before they open a WebTransport session.
  // Chromium 156 needs extended CONNECT, RFC 9297's H3_DATAGRAM and draft-02's flag (each checked
  // by leaving it out: the session then fails); draft-04's H3_DATAGRAM and draft-02's response
  // header are for older browsers.
  static final long SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x08;
  static final long SETTINGS_H3_DATAGRAM = 0x33;
  static final long SETTINGS_H3_DATAGRAM_DRAFT04 = 0xffd277L;
  // draft-02's flag: the draft Chromium speaks with a server that offers it. Offered alone, the
  // draft-07 session limit (0xc671706a) makes Chromium expect draft-07's session semantics, which
  // this listener does not implement (checked with Chromium 156: the session then fails).
  static final long SETTINGS_ENABLE_WEBTRANSPORT_DRAFT02 = 0x2b603742L;

  /** The first varint of a client-initiated WebTransport bidirectional stream. */
  static final long WEBTRANSPORT_STREAM = 0x41;

  private static final AttributeKey<Map<Long, WtSession>> SESSIONS =
      AttributeKey.valueOf(WebTransportListener.class, "sessions");

  private final EngineIoServerCore server;
  private final EngineIoOptions options;
  private final WebTransportOptions wt;
  private EventLoopGroup group;
  private Channel channel;

  WebTransportListener(EngineIoServerCore server, WebTransportOptions wt) {
    this.server = server;
    this.options = server.options();
    this.wt = wt;
  }

  /** Binds the UDP port; completes with the port bound. */
  synchronized CompletableFuture<Integer> start(String host, int tcpPort) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    ChannelHandler codec;
    try {
      codec = newCodec();
    } catch (RuntimeException | LinkageError e) {
      result.completeExceptionally(
          new IllegalStateException(
              "WebTransport needs netty-codec-http3 and netty-codec-native-quic: " + e, e));
      return result;
    }
    AtomicInteger threads = new AtomicInteger();
    group =
        new MultiThreadIoEventLoopGroup(
            1,
            (ThreadFactory)
                r -> new FastThreadLocalThread(r, "sio4j-quic-" + threads.incrementAndGet()),
            NioIoHandler.newFactory());
    new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(codec)
        .bind(new InetSocketAddress(host, wt.port().orElse(tcpPort)))
        .addListener(
            f -> {
              if (f.isSuccess()) {
                channel = ((io.netty.channel.ChannelFuture) f).channel();
                result.complete(((InetSocketAddress) channel.localAddress()).getPort());
              } else {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }

  synchronized CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (group == null) {
      done.complete(null);
      return done;
    }
    if (channel != null) {
      channel.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
    return done;
  }

  private ChannelHandler newCodec() {
    QuicSslContext ssl =
        QuicSslContextBuilder.forServer(
                wt.key(), null, wt.certificateChain().toArray(new X509Certificate[0]))
            .applicationProtocols(Http3.supportedApplicationProtocols())
            .build();
    long streamWindow = Math.max(1 << 20, 2L * options.maxHttpBufferSize());
    return Http3.newQuicServerCodecBuilder()
        .sslContext(ssl)
        .maxIdleTimeout(
            options.pingInterval().plus(options.pingTimeout()).toMillis() + 5_000,
            TimeUnit.MILLISECONDS)
        .initialMaxData(4 * streamWindow)
        .initialMaxStreamDataBidirectionalLocal(streamWindow)
        .initialMaxStreamDataBidirectionalRemote(streamWindow)
        .initialMaxStreamDataUnidirectional(1 << 16)
        .initialMaxStreamsBidirectional(16L * wt.maxSessionsPerConnection() + 16)
        .initialMaxStreamsUnidirectional(16)
        // H3_DATAGRAM=1 obliges the endpoint to accept QUIC datagrams (RFC 9297 section 2.1.1);
        // none are read (Engine.IO uses the stream), so small queues.
        .datagram(64, 64)
        .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
        .handler(
            new ChannelInitializer<QuicChannel>() {
              @Override
              protected void initChannel(QuicChannel ch) {
                ch.attr(SESSIONS).set(new HashMap<>());
                ch.pipeline().addLast(new StreamTap());
                ch.pipeline().addLast(newHttp3Handler());
                ch.closeFuture().addListener(f -> closeAll(ch));
              }
            })
        .build();
  }

  private ChannelHandler newHttp3Handler() {
    Http3Settings.NonStandardHttp3SettingsValidator keepAll = (id, value) -> true;
    Http3Settings settings = new Http3Settings(keepAll);
    settings.qpackMaxTableCapacity(0).qpackBlockedStreams(0);
    settings.put(SETTINGS_ENABLE_CONNECT_PROTOCOL, 1L);
    settings.put(SETTINGS_H3_DATAGRAM, 1L);
    settings.put(SETTINGS_H3_DATAGRAM_DRAFT04, 1L);
    settings.put(SETTINGS_ENABLE_WEBTRANSPORT_DRAFT02, 1L);
    return new Http3ServerConnectionHandler(
        new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel ch) {
            ch.pipeline().addLast(new ConnectHandler());
          }
        },
        null,
        null,
        new DefaultHttp3SettingsFrame(settings),
        true,
        keepAll);
  }

  private static void closeAll(QuicChannel ch) {
    Map<Long, WtSession> sessions = ch.attr(SESSIONS).get();
    if (sessions != null) {
      for (WtSession s : new ArrayList<>(sessions.values())) {
        s.close();
      }
    }
  }

  /**
   * On a connection's pipeline, ahead of the HTTP/3 handler: puts a {@link StreamSniffer} first on
   * each bidirectional stream the client opens, before the HTTP/3 handler adds its codec behind it.
   */
  private final class StreamTap extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof QuicStreamChannel) {
        QuicStreamChannel stream = (QuicStreamChannel) msg;
        if (stream.type() == QuicStreamType.BIDIRECTIONAL && !stream.isLocalCreated()) {
          stream.pipeline().addFirst("wt-sniffer", new StreamSniffer());
        }
      }
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * Reads a new bidirectional stream's first varint: 0x41 makes it a WebTransport stream (its
   * session id follows), anything else an HTTP/3 request stream. Holds at most 16 bytes meanwhile.
   */
  private final class StreamSniffer extends ChannelInboundHandlerAdapter {
    private ByteBuf held;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf)) {
        ctx.fireChannelRead(msg);
        return;
      }
      ByteBuf in = (ByteBuf) msg;
      if (held == null) {
        held = in;
      } else {
        held = Unpooled.wrappedBuffer(held, in);
      }
      int start = held.readerIndex();
      long first = readVarint(held);
      if (first < 0) {
        held.readerIndex(start);
        if (held.readableBytes() > 16) {
          ctx.close();
        }
        return;
      }
      if (first != WEBTRANSPORT_STREAM) {
        held.readerIndex(start);
        ByteBuf replay = held;
        held = null;
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(replay);
        return;
      }
      long sessionId = readVarint(held);
      if (sessionId < 0) {
        held.readerIndex(start);
        return;
      }
      ByteBuf rest = held;
      held = null;
      becomeWebTransport(ctx, sessionId, rest);
    }

    private void becomeWebTransport(ChannelHandlerContext ctx, long sessionId, ByteBuf rest) {
      QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
      Map<Long, WtSession> sessions = stream.parent().attr(SESSIONS).get();
      WtSession session = sessions == null ? null : sessions.get(sessionId);
      if (session == null || session.stream != null) {
        // Not a session of ours, or a second stream: Engine.IO uses one stream per session.
        rest.release();
        ctx.close();
        return;
      }
      ChannelPipeline p = ctx.pipeline();
      for (String name : new ArrayList<>(p.names())) {
        ChannelHandler h = p.get(name);
        if (h != null && h != this) {
          p.remove(h);
        }
      }
      session.stream = stream;
      p.addLast(
          "engineio-wt-decoder",
          new WebTransportFrames.Decoder(EngineIoCodec.v4(), options.maxHttpBufferSize()));
      p.addLast(
          "engineio-wt",
          new WebTransportStreamHandler(
              server, session.request, session::close, session::cancelTimeout));
      p.remove(this);
      if (rest.isReadable()) {
        p.fireChannelRead(rest);
        p.fireChannelReadComplete();
      } else {
        rest.release();
      }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (held != null) {
        held.release();
        held = null;
      }
    }
  }

  /** A QUIC variable-length integer, or -1 (reader index moved) when not all of it is there. */
  static long readVarint(ByteBuf in) {
    if (!in.isReadable()) {
      return -1;
    }
    int first = in.getUnsignedByte(in.readerIndex());
    int length = 1 << (first >> 6);
    if (in.readableBytes() < length) {
      return -1;
    }
    long value = in.readUnsignedByte() & 0x3f;
    for (int i = 1; i < length; i++) {
      value = (value << 8) | in.readUnsignedByte();
    }
    return value;
  }

  /** One WebTransport session: its CONNECT stream, and the Engine.IO stream once opened. */
  private final class WtSession {
    final QuicStreamChannel connect;
    final EngineIoRequest request;
    final ScheduledFuture<?> timeout;
    QuicStreamChannel stream;
    boolean closed;

    WtSession(QuicStreamChannel connect, EngineIoRequest request) {
      this.connect = connect;
      this.request = request;
      this.timeout =
          connect
              .eventLoop()
              .schedule(
                  () -> {
                    log.debug("WebTransport session sent no packet in time");
                    close();
                  },
                  options.upgradeTimeout().toMillis(),
                  TimeUnit.MILLISECONDS);
    }

    void cancelTimeout() {
      timeout.cancel(false);
    }

    /** Ends the session: its Engine.IO stream, then the CONNECT stream (FIN). Idempotent. */
    void close() {
      if (!connect.eventLoop().inEventLoop()) {
        connect.eventLoop().execute(this::close);
        return;
      }
      if (closed) {
        return;
      }
      closed = true;
      timeout.cancel(false);
      Map<Long, WtSession> sessions = connect.parent().attr(SESSIONS).get();
      if (sessions != null) {
        sessions.remove(connect.streamId());
      }
      if (stream != null && stream.isActive()) {
        stream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> stream.close());
      }
      if (connect.isActive()) {
        connect.shutdownOutput().addListener(f -> connect.close());
      }
    }
  }

  /** The request streams: the extended CONNECT of a WebTransport session, 404 for anything else. */
  private final class ConnectHandler extends Http3RequestStreamInboundHandler {
    private WtSession session;

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
      Http3Headers h = frame.headers();
      QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
      String path = h.path() == null ? "" : h.path().toString();
      boolean webTransport =
          session == null
              && "CONNECT".contentEquals(h.method() == null ? "" : h.method())
              && "webtransport"
                  .contentEquals(h.get(Http3Headers.PseudoHeaderName.PROTOCOL.value(), ""))
              && new QueryStringDecoder(path).path().startsWith(options.matchPath());
      if (!webTransport) {
        respond(ctx, "404", true);
        return;
      }
      Map<Long, WtSession> sessions = stream.parent().attr(SESSIONS).get();
      if (sessions.size() >= wt.maxSessionsPerConnection()) {
        respond(ctx, "429", true);
        return;
      }
      CharSequence origin = h.get("origin");
      if (origin != null
          && options.checkOrigin()
          && !Origins.allowed(
              origin.toString(),
              h.authority() == null ? null : h.authority().toString(),
              options)) {
        // The same origin check as the HTTP transports': a page of a foreign site is refused.
        respond(ctx, "403", true);
        return;
      }
      if (options.allowRequest().isPresent()) {
        // allowRequest decides on an HTTP request, which a WebTransport session does not have;
        // rather than let sessions past a check the application relies on, none is accepted (the
        // reference likewise refuses WebTransport when middlewares are set).
        respond(ctx, "403", true);
        return;
      }
      session = new WtSession(stream, toRequest(h, stream.parent().remoteSocketAddress(), path));
      sessions.put(stream.streamId(), session);
      respond(ctx, "200", false);
    }

    private void respond(ChannelHandlerContext ctx, String status, boolean end) {
      DefaultHttp3HeadersFrame response = new DefaultHttp3HeadersFrame();
      response.headers().status(status);
      if (!end) {
        // draft-02 clients check that the server speaks their draft
        response.headers().set("sec-webtransport-http3-draft", "draft02");
      }
      if (end) {
        ctx.writeAndFlush(response).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
      } else {
        ctx.writeAndFlush(response);
      }
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
      // Capsules of the session (its close among them) or a body nobody asked for.
      frame.release();
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3UnknownFrame frame) {
      frame.release();
    }

    @Override
    protected void channelInputClosed(ChannelHandlerContext ctx) {
      if (session != null) {
        session.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (session != null) {
        session.close();
      }
      super.channelInactive(ctx);
    }
  }

  private static EngineIoRequest toRequest(Http3Headers h, SocketAddress remote, String path) {
    Map<String, String> query = new HashMap<>();
    new QueryStringDecoder(path)
        .parameters()
        .forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(v.size() - 1)));
    Map<String, List<String>> headers = new HashMap<>();
    h.forEach(
        e -> {
          String name = e.getKey().toString().toLowerCase(Locale.ROOT);
          if (!name.startsWith(":")) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(e.getValue().toString());
          }
        });
    if (h.authority() != null) {
      headers.putIfAbsent("host", List.of(h.authority().toString()));
    }
    return EngineIoRequest.of(
        "CONNECT",
        path,
        query,
        headers,
        remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null,
        true);
  }
}
