package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.EngineIoRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the Engine.IO stream of a WebTransport session, after {@link WebTransportFrames.Decoder}.
 * The first packet says what the stream is for, as in the reference: {@code open} without data
 * opens a new session on this stream, {@code open} with {@code {"sid":"…"}} offers the stream as
 * the upgrade of that session, anything else ends the WebTransport session. Later packets go to the
 * transport on the session's loop; {@code 2probe} is answered on this loop as it is read.
 *
 * <p>Thread-safety: one instance per stream, used on the stream's loop.
 */
final class WebTransportStreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebTransportStreamHandler.class);
  private static final Pattern SID =
      Pattern.compile("\\A\\s*\\{\\s*\"sid\"\\s*:\\s*\"([^\"\\\\]{1,200})\"\\s*}\\s*\\z");

  private final EngineIoServerCore server;
  private final EngineIoRequest request;
  private final EngineIoCodec codec;
  private final Runnable closeSession;
  private final Runnable firstPacketRead;
  private WebTransportTransport transport;
  private EventLoop sessionLoop;
  private boolean refused;

  /**
   * @param closeSession ends the WebTransport session (its CONNECT stream) and this stream
   * @param firstPacketRead cancels the session's wait for its first packet
   */
  WebTransportStreamHandler(
      EngineIoServerCore server,
      EngineIoRequest request,
      Runnable closeSession,
      Runnable firstPacketRead) {
    this.server = server;
    this.request = request;
    this.codec = EngineIoCodec.v4();
    this.closeSession = closeSession;
    this.firstPacketRead = firstPacketRead;
  }

  /** The transport once the first packet opened or upgraded a session; null before. */
  WebTransportTransport transport() {
    return transport;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (transport == null) {
      firstPacket(ctx, msg);
      return;
    }
    WebTransportTransport t = transport;
    if (msg instanceof WebTransportFrames.DecodeError) {
      String description = ((WebTransportFrames.DecodeError) msg).description;
      run(() -> t.onDecodeError(description));
    } else if (msg instanceof Packet) {
      Packet packet = (Packet) msg;
      t.checkProbe(packet);
      run(() -> t.onPacketRead(packet));
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void firstPacket(ChannelHandlerContext ctx, Object msg) {
    firstPacketRead.run();
    if (!(msg instanceof Packet) || ((Packet) msg).type() != PacketType.OPEN) {
      ReferenceCountUtil.release(msg);
      refuse("invalid WebTransport handshake");
      return;
    }
    Packet open = (Packet) msg;
    String data = open.isBinary() ? null : open.textData();
    if (data == null || data.isEmpty()) {
      openSession(ctx);
      return;
    }
    Matcher m = SID.matcher(data);
    Session session = m.matches() ? server.session(m.group(1)) : null;
    if (session == null) {
      refuse("WebTransport upgrade of an unknown session");
      return;
    }
    if (session.protocol() != 4) {
      // WebTransport speaks protocol 4 only, as in the reference (no EIO3 client offers it).
      refuse("WebTransport upgrade of a protocol " + session.protocol() + " session");
      return;
    }
    sessionLoop = session.loop();
    transport =
        new WebTransportTransport(ctx.channel(), sessionLoop, session.codec(), closeSession);
    // Refused there (closed) when the session is already upgrading or upgraded.
    session.offerUpgrade(transport);
  }

  private void openSession(ChannelHandlerContext ctx) {
    String id;
    try {
      id = server.options().idGenerator().apply(request);
    } catch (RuntimeException e) {
      refuse("id generator failed: " + e);
      return;
    }
    sessionLoop = ctx.channel().eventLoop();
    transport = new WebTransportTransport(ctx.channel(), sessionLoop, codec, closeSession);
    Session session = new Session(server, id, codec, request, sessionLoop, transport);
    server.add(session);
    session.open(server.upgrades(TransportType.WEBTRANSPORT));
    try {
      server.handler().onOpen(session);
    } catch (RuntimeException e) {
      log.warn("open handler of session {} failed", session.id(), e);
    }
  }

  private void refuse(String why) {
    log.debug("WebTransport session closed: {}", why);
    refused = true;
    closeSession.run();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (transport != null) {
      transport.onChannelWritabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    WebTransportTransport t = transport;
    if (t != null) {
      run(t::onClose);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String description = String.valueOf(cause.getMessage());
    log.debug("WebTransport stream error: {}", description);
    WebTransportTransport t = transport;
    if (t != null) {
      run(() -> t.onError(description));
    }
    closeSession.run();
  }

  private void run(Runnable task) {
    if (sessionLoop.inEventLoop()) {
      task.run();
    } else {
      try {
        sessionLoop.execute(task);
      } catch (RejectedExecutionException e) {
        // the session's loop is stopping with the server: its sessions close with it
      }
    }
  }
}
