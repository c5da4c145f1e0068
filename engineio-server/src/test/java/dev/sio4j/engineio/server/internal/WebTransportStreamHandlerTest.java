package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.EngineIoHandler;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoRequest;
import dev.sio4j.engineio.server.EngineIoSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Engine.IO side of a WebTransport stream, in process: the stream's bytes (after the
 * WebTransport stream header, which the HTTP/3 listener strips) through {@link
 * WebTransportFrames.Decoder} and {@link WebTransportStreamHandler} on an embedded channel.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WebTransportStreamHandlerTest {
  private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
  private static final EngineIoCodec V4 = EngineIoCodec.v4();

  private final List<String> events = new ArrayList<>();
  private final List<EngineIoSocket> sockets = new ArrayList<>();
  private final AtomicInteger sessionCloses = new AtomicInteger();
  private final AtomicInteger firstPackets = new AtomicInteger();
  private EmbeddedChannel channel;
  private EngineIoServerCore server;

  private final EngineIoHandler handler =
      new EngineIoHandler() {
        @Override
        public void onOpen(EngineIoSocket socket) {
          sockets.add(socket);
          events.add("open:" + socket.transport());
        }

        @Override
        public void onMessage(EngineIoSocket socket, String text) {
          events.add("message:" + text);
          socket.send("echo:" + text);
        }

        @Override
        public void onBinary(EngineIoSocket socket, byte[] data) {
          events.add("binary:" + data.length);
          socket.send(data);
        }

        @Override
        public void onClose(EngineIoSocket socket, CloseReason reason, String description) {
          events.add("close:" + reason);
        }
      };

  private EmbeddedChannel stream(EngineIoOptions options) {
    server = new EngineIoServerCore(options, handler);
    EngineIoRequest request =
        EngineIoRequest.of(
            "CONNECT", "/engine.io/?EIO=4", Map.of("EIO", "4"), Map.of(), null, true);
    channel =
        new EmbeddedChannel(
            new WebTransportFrames.Decoder(V4, options.maxHttpBufferSize()),
            new WebTransportStreamHandler(
                server, request, sessionCloses::incrementAndGet, firstPackets::incrementAndGet));
    return channel;
  }

  @AfterEach
  void release() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  private static ByteBuf frame(Packet p) {
    return WebTransportFrames.encode(Unpooled.buffer().alloc(), V4, p);
  }

  /** The packets the server wrote, decoded. */
  private List<Packet> written(EmbeddedChannel ch) {
    ch.runPendingTasks();
    EmbeddedChannel reader = new EmbeddedChannel(new WebTransportFrames.Decoder(V4, 10_000_000));
    for (Object o; (o = ch.readOutbound()) != null; ) {
      reader.writeInbound(o);
    }
    List<Packet> out = new ArrayList<>();
    for (Object o; (o = reader.readInbound()) != null; ) {
      out.add((Packet) o);
    }
    reader.finishAndReleaseAll();
    return out;
  }

  @Test
  void anOpenPacketOpensAProtocol4SessionWithoutUpgrades() {
    EmbeddedChannel ch =
        stream(EngineIoOptions.builder().pingInterval(java.time.Duration.ofSeconds(7)).build());
    ch.writeInbound(frame(Packet.of(PacketType.OPEN)));
    List<Packet> out = written(ch);
    assertEquals(1, out.size(), out.toString());
    assertEquals(PacketType.OPEN, out.get(0).type());
    String open = out.get(0).textData();
    Matcher m = SID.matcher(open);
    assertTrue(m.find(), open);
    assertTrue(open.contains("\"upgrades\":[]"), open);
    assertTrue(open.contains("\"pingInterval\":7000"), open);
    assertEquals(List.of("open:webtransport"), events);
    assertEquals(1, firstPackets.get());
    EngineIoSocket socket = sockets.get(0);
    assertEquals(m.group(1), socket.id());
    assertEquals(4, socket.protocol());
    assertEquals(TransportType.WEBTRANSPORT, socket.transport());
    assertEquals(1, server.clientsCount());
  }

  @Test
  void textAndBinaryMessagesGoBothWays() {
    EmbeddedChannel ch = stream(EngineIoOptions.defaults());
    ch.writeInbound(frame(Packet.of(PacketType.OPEN)));
    written(ch);
    ch.writeInbound(frame(Packet.message("héllo")));
    ch.writeInbound(frame(Packet.binary(new byte[] {1, 2, 3})));
    List<Packet> out = written(ch);
    assertEquals(Packet.message("echo:héllo"), out.get(0));
    assertArrayEquals(new byte[] {1, 2, 3}, out.get(1).binaryData());
    assertEquals(List.of("open:webtransport", "message:héllo", "binary:3"), events);
  }

  @Test
  void closingTheSocketEndsTheWebTransportSession() {
    EmbeddedChannel ch = stream(EngineIoOptions.defaults());
    ch.writeInbound(frame(Packet.of(PacketType.OPEN)));
    written(ch);
    sockets.get(0).close();
    // As the reference: the WebTransport session is closed, no close packet is written first.
    assertTrue(written(ch).isEmpty());
    assertEquals(1, sessionCloses.get());
    assertTrue(events.contains("close:" + CloseReason.FORCED_CLOSE), events.toString());
    assertEquals(0, server.clientsCount());
  }

  @Test
  void theHeartbeatRunsOverTheStream() {
    EmbeddedChannel ch =
        stream(
            EngineIoOptions.builder()
                .pingInterval(java.time.Duration.ofSeconds(1))
                .pingTimeout(java.time.Duration.ofSeconds(1))
                .build());
    ch.freezeTime();
    ch.writeInbound(frame(Packet.of(PacketType.OPEN)));
    written(ch);
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(List.of(Packet.PING), written(ch));
    ch.writeInbound(frame(Packet.PONG));
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(List.of(Packet.PING), written(ch));
    assertEquals(List.of("open:webtransport"), events);
    // no pong this time: the session ends when the timeout passes
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    ch.runPendingTasks();
    assertTrue(events.contains("close:" + CloseReason.PING_TIMEOUT), events.toString());
    assertEquals(1, sessionCloses.get());
  }

  @Test
  void aFirstPacketOtherThanOpenEndsTheWebTransportSession() {
    EmbeddedChannel ch = stream(EngineIoOptions.defaults());
    ch.writeInbound(frame(Packet.message("hi")));
    assertEquals(1, sessionCloses.get());
    assertEquals(1, firstPackets.get());
    assertTrue(events.isEmpty(), events.toString());
    assertEquals(0, server.clientsCount());
    // what follows is ignored
    ch.writeInbound(frame(Packet.of(PacketType.OPEN)));
    assertTrue(written(ch).isEmpty());
    assertEquals(0, server.clientsCount());
  }

  @Test
  void anUpgradeOfAnUnknownOrMalformedSidEndsTheWebTransportSession() {
    EmbeddedChannel ch = stream(EngineIoOptions.defaults());
    ch.writeInbound(frame(Packet.text(PacketType.OPEN, "{\"sid\":\"nobody\"}")));
    assertEquals(1, sessionCloses.get());
    release();
    sessionCloses.set(0);
    ch = stream(EngineIoOptions.defaults());
    ch.writeInbound(frame(Packet.text(PacketType.OPEN, "{\"sid\":42}")));
    assertEquals(1, sessionCloses.get());
    assertTrue(events.isEmpty(), events.toString());
  }

  @Test
  void aPacketOverMaxHttpBufferSizeClosesTheSessionAsAParseError() {
    EmbeddedChannel ch = stream(EngineIoOptions.builder().maxHttpBufferSize(100).build());
    ch.writeInbound(frame(Packet.of(PacketType.OPEN)));
    written(ch);
    // only the header of a 101-byte packet: refused as announced
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {101}));
    ch.runPendingTasks();
    assertTrue(events.contains("close:" + CloseReason.PARSE_ERROR), events.toString());
    assertEquals(0, server.clientsCount());
    assertEquals(1, sessionCloses.get());
  }

  @Test
  void theStreamEndingClosesTheSession() {
    EmbeddedChannel ch = stream(EngineIoOptions.defaults());
    ch.writeInbound(frame(Packet.of(PacketType.OPEN)));
    written(ch);
    ch.close();
    ch.runPendingTasks();
    assertTrue(events.contains("close:" + CloseReason.TRANSPORT_CLOSE), events.toString());
    assertEquals(0, server.clientsCount());
    assertFalse(sockets.get(0).isOpen());
    assertNull(ch.readInbound());
  }
}
