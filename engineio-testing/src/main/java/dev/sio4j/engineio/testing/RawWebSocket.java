package dev.sio4j.engineio.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A WebSocket client on Netty that shows a test the wire: whole messages (text as {@code String},
 * binary as {@code byte[]}) with whether the server compressed them, the close code, the 101's
 * headers; and that sends what a well-behaved client would not always send (fragmented messages, a
 * message split over continuation frames). With {@link Options#perMessageDeflate()} it offers
 * permessage-deflate and, once the server accepts, compresses what it sends.
 *
 * <p>Every wait is bounded by {@link #WAIT}; a failed wait is an {@link AssertionError}. Frames are
 * read on a shared daemon event loop.
 *
 * <p>Thread-safety: sends may come from any thread (they are queued on the channel in call order);
 * reads are thread-safe.
 */
public final class RawWebSocket implements AutoCloseable {
  /** The bound of every wait. */
  public static final Duration WAIT = Await.WAIT;

  /** The close code reported for a close frame without a status (RFC 6455 §7.4.1). */
  public static final int NO_STATUS = 1005;

  /**
   * How the names of the clients' threads begin: a test measuring what the server does (such as the
   * memory it allocates) can leave them out.
   */
  public static final String THREAD_NAME_PREFIX = "raw-websocket";

  private static final EventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory(THREAD_NAME_PREFIX, true), NioIoHandler.newFactory());

  /**
   * One message as received. Thread-safety: immutable (do not change a binary message's array).
   *
   * @param data a {@code String} for a text message, a {@code byte[]} for a binary one
   * @param compressed whether its first frame had RSV1 set (permessage-deflate)
   */
  public record Message(Object data, boolean compressed) {}

  /** Marks the end of the connection in the queue, so that a wait for a message ends with it. */
  private static final Message END = new Message(new Object(), false);

  /**
   * How to connect. Thread-safety: immutable.
   *
   * @param perMessageDeflate whether to offer permessage-deflate
   * @param headers extra request headers of the handshake (none is added unasked: no {@code
   *     Origin})
   */
  public record Options(boolean perMessageDeflate, Map<String, String> headers) {
    public Options {
      headers = Map.copyOf(headers);
    }

    /** No extension, no extra header. */
    public static Options defaults() {
      return new Options(false, Map.of());
    }

    /** Offers permessage-deflate. */
    public Options withPerMessageDeflate() {
      return new Options(true, headers);
    }

    /** Adds a request header to the handshake. */
    public Options withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Options(perMessageDeflate, h);
    }
  }

  /**
   * The close code: the status of the server's close frame ({@link #NO_STATUS} without one), or -1
   * when the connection ended without a close frame.
   */
  public final CompletableFuture<Integer> closed;

  private final BlockingQueue<Message> received;
  private final Channel channel;
  private final HttpHeaders responseHeaders;

  private RawWebSocket(Channel channel, Receiver receiver, HttpHeaders responseHeaders) {
    this.channel = channel;
    this.closed = receiver.closed;
    this.received = receiver.received;
    this.responseHeaders = responseHeaders;
  }

  /** Connects with {@link Options#defaults()}; returns once the handshake is complete. */
  public static RawWebSocket connect(URI uri) {
    return connect(uri, Options.defaults());
  }

  /**
   * Connects and completes the handshake.
   *
   * @throws AssertionError if the connection or the handshake fails, or takes longer than {@link
   *     #WAIT}
   */
  public static RawWebSocket connect(URI uri, Options options) {
    return connect(uri, options, null);
  }

  /**
   * Connects and completes the handshake; every message goes to {@code listener} (on the client's
   * event loop: it must not block, nor call this client's blocking methods) instead of the queue
   * that {@link #next()} reads.
   *
   * @throws AssertionError if the connection or the handshake fails, or takes longer than {@link
   *     #WAIT}
   */
  public static RawWebSocket connect(URI uri, Options options, Consumer<Message> listener) {
    HttpHeaders headers = new DefaultHttpHeaders();
    options.headers().forEach(headers::set);
    WebSocketClientHandshaker handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(
            uri,
            WebSocketVersion.V13,
            null,
            true,
            headers,
            64 * 1024 * 1024,
            true, // mask what it sends, as a client must
            false,
            10_000,
            false,
            // No Origin unless the test sets one: a raw client sends what it is told to.
            false);
    Receiver receiver = new Receiver(handshaker, listener);
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    ChannelFuture connect =
        new Bootstrap()
            .group(GROUP)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) WAIT.toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536));
                    if (options.perMessageDeflate()) {
                      // Ahead of the extension's decoder: sees RSV1 before decompression.
                      ch.pipeline().addLast(receiver.compressionProbe);
                      ch.pipeline()
                          .addLast(
                              new WebSocketClientExtensionHandler(
                                  new PerMessageDeflateClientExtensionHandshaker()));
                    }
                    ch.pipeline().addLast(receiver);
                  }
                })
            .connect(uri.getHost(), port);
    Channel channel = connect.channel();
    try {
      if (!connect.await(WAIT.toMillis(), TimeUnit.MILLISECONDS) || !connect.isSuccess()) {
        channel.close();
        throw new AssertionError("cannot connect to " + uri, connect.cause());
      }
      // Started on the channel's loop: the handshaker adds its frame encoder in a listener of the
      // request's write. Registered from this thread, that listener could run after the 101 was
      // read and the HTTP codec removed; the encoder was then never added and every frame written
      // later failed ("unsupported message type: TextWebSocketFrame").
      channel
          .eventLoop()
          .submit(() -> handshaker.handshake(channel))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      HttpHeaders response = receiver.handshakeDone.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return new RawWebSocket(channel, receiver, response);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      channel.close();
      throw new AssertionError("WebSocket handshake with " + uri + " failed", e);
    }
  }

  /** A header of the server's 101 response. */
  public Optional<String> responseHeader(String name) {
    return Optional.ofNullable(responseHeaders.get(name));
  }

  /** Sends a text message in one frame. */
  public void send(String text) {
    write(new TextWebSocketFrame(text));
  }

  /** Sends a binary message in one frame. */
  public void send(byte[] data) {
    write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
  }

  /**
   * Sends a text frame carrying {@code payload} as it is: a test's way to send what a real client
   * never sends, such as bytes that are not UTF-8.
   */
  public void sendText(byte[] payload) {
    write(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
  }

  /**
   * Sends one text message as a text frame followed by continuation frames, one per part, each
   * carrying its bytes as they are (a UTF-8 sequence may be split between two parts, or be
   * invalid).
   */
  public void sendFragmentedText(byte[]... parts) {
    sendFragments(true, parts);
  }

  /** Sends one text message as a text frame followed by continuation frames, one per part. */
  public void sendFragmented(String... parts) {
    byte[][] bytes = new byte[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = parts[i].getBytes(StandardCharsets.UTF_8);
    }
    sendFragments(true, bytes);
  }

  /** Sends one binary message as a binary frame followed by continuation frames, one per part. */
  public void sendFragmented(byte[]... parts) {
    sendFragments(false, parts);
  }

  /**
   * Sends one message whose payload the caller has already compressed: raw DEFLATE data as
   * permessage-deflate carries it (the trailing {@code 00 00 ff ff} removed), one frame per part,
   * RSV1 on the first. Only for a connection where permessage-deflate was agreed; a test's way to
   * send what it could not afford to compress here, such as a message inflating to gigabytes.
   */
  public void sendDeflated(boolean text, byte[]... parts) {
    // RSV1 already set: the client's own compressor lets the frame through as it is.
    sendFragments(text, WebSocketExtension.RSV1, parts);
  }

  private void sendFragments(boolean text, byte[][] parts) {
    sendFragments(text, 0, parts);
  }

  /** The first frame carries {@code rsv}; the continuations carry none. */
  private void sendFragments(boolean text, int rsv, byte[][] parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("no parts");
    }
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      ByteBuf data = Unpooled.wrappedBuffer(parts[i]);
      WebSocketFrame frame =
          i > 0
              ? new ContinuationWebSocketFrame(last, 0, data)
              : text
                  ? new TextWebSocketFrame(last, rsv, data)
                  : new BinaryWebSocketFrame(last, rsv, data);
      write(frame);
    }
  }

  /** Sends a close frame with {@code status}; the server is expected to close the connection. */
  public void sendClose(int status) {
    write(new CloseWebSocketFrame(status, ""));
  }

  private void write(WebSocketFrame frame) {
    ChannelFuture f = channel.writeAndFlush(frame);
    try {
      if (!f.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("write not done within " + WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (!f.isSuccess()) {
      throw new AssertionError("write failed", f.cause());
    }
  }

  /** The next message with its compression flag. */
  public Message nextMessage() {
    try {
      Message m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (m == null) {
        throw new AssertionError("no WebSocket message within " + WAIT);
      }
      if (m == END) {
        received.add(END);
        throw new AssertionError("the connection closed (" + closed.getNow(null) + ") first");
      }
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next message: a {@code String} or a {@code byte[]}. */
  public Object next() {
    return nextMessage().data();
  }

  public String nextText() {
    Object m = next();
    if (!(m instanceof String)) {
      throw new AssertionError("expected a text message, got " + describe(m));
    }
    return (String) m;
  }

  public byte[] nextBinary() {
    Object m = next();
    if (!(m instanceof byte[])) {
      throw new AssertionError("expected a binary message, got " + describe(m));
    }
    return (byte[]) m;
  }

  /** Asserts that no message arrives within {@code quiet} (the connection's end is not one). */
  public void assertSilentFor(Duration quiet) {
    try {
      Message m = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (m == END) {
        received.add(END);
        return;
      }
      if (m != null) {
        throw new AssertionError("unexpected message " + describe(m.data()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits for the server to end the connection; returns the close code (see {@link #closed}). */
  public int awaitClose() {
    try {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the connection did not close within " + WAIT, e);
    }
  }

  /** Drops the connection without a close frame (a client that went away). */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly(WAIT.toMillis());
  }

  private static String describe(Object m) {
    return m instanceof byte[] ? "binary (" + ((byte[]) m).length + " bytes)" : "text " + m;
  }

  /**
   * Finishes the handshake, puts messages together from their frames, answers pings, records the
   * close. Runs on the channel's loop.
   */
  private static final class Receiver extends ChannelInboundHandlerAdapter {
    final CompletableFuture<HttpHeaders> handshakeDone = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final CompressionProbe compressionProbe = new CompressionProbe();
    private final WebSocketClientHandshaker handshaker;
    private final Consumer<Message> listener;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private boolean messageIsText;
    private boolean inMessage;

    Receiver(WebSocketClientHandshaker handshaker, Consumer<Message> listener) {
      this.handshaker = handshaker;
      this.listener = listener != null ? listener : received::add;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (!handshaker.isHandshakeComplete() && msg instanceof FullHttpResponse) {
          FullHttpResponse response = (FullHttpResponse) msg;
          try {
            handshaker.finishHandshake(ctx.channel(), response);
            handshakeDone.complete(response.headers().copy());
          } catch (RuntimeException e) {
            handshakeDone.completeExceptionally(
                new AssertionError(
                    "handshake refused: "
                        + response.status()
                        + " "
                        + response.content().toString(StandardCharsets.UTF_8),
                    e));
            ctx.close();
          }
          return;
        }
        if (msg instanceof WebSocketFrame) {
          onFrame(ctx, (WebSocketFrame) msg);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        return;
      }
      if (frame instanceof CloseWebSocketFrame) {
        int status = ((CloseWebSocketFrame) frame).statusCode();
        if (closed.complete(status < 0 ? NO_STATUS : status)) {
          received.add(END);
        }
        ctx.close();
        return;
      }
      if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
        inMessage = true;
        messageIsText = frame instanceof TextWebSocketFrame;
        message.reset();
      } else if (!(frame instanceof ContinuationWebSocketFrame) || !inMessage) {
        return;
      }
      message.writeBytes(ByteBufUtil.getBytes(frame.content()));
      if (frame.isFinalFragment()) {
        inMessage = false;
        byte[] bytes = message.toByteArray();
        Object data = messageIsText ? new String(bytes, StandardCharsets.UTF_8) : bytes;
        boolean compressed = compressionProbe.nextMessageCompressed();
        listener.accept(new Message(data, compressed));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      handshakeDone.completeExceptionally(new AssertionError("connection closed in the handshake"));
      if (closed.complete(-1)) {
        received.add(END);
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      handshakeDone.completeExceptionally(cause);
      ctx.close();
    }
  }

  /**
   * Notes RSV1 on the first frame of each message before the permessage-deflate decoder clears it.
   * Only in the pipeline when the client offered the extension.
   */
  private static final class CompressionProbe extends ChannelInboundHandlerAdapter {
    private final Deque<Boolean> firstFrameRsv1 = new ArrayDeque<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
        firstFrameRsv1.add((((WebSocketFrame) msg).rsv() & 0x4) != 0);
      }
      ctx.fireChannelRead(msg);
    }

    boolean nextMessageCompressed() {
      Boolean b = firstFrameRsv1.poll();
      return b != null && b;
    }
  }

  @Override
  public String toString() {
    return "RawWebSocket[" + channel + "]";
  }
}
