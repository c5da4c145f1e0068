package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.Delivery;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoRequest;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.engineio.server.SlowConsumerPolicy;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one Engine.IO session: ready state, write buffer, heartbeat, transport and
 * upgrade. Follows the reference socket's state machine. Its codec and heartbeat are fixed at the
 * handshake: nothing here asks which protocol revision the client speaks.
 *
 * <p>The write buffer is bounded ({@link EngineIoOptions#maxBufferedBytes()}, {@link
 * EngineIoOptions#maxBufferedPackets()}): packets wait in it while the transport cannot take them
 * (polling without a pending GET, a WebSocket whose channel is above its high water mark), and when
 * it is full the {@link SlowConsumerPolicy} applies. A WebSocket is fed from it only while its
 * channel is writable, so the channel itself never holds much more than its high water mark.
 *
 * <p>Thread-safety: all state is confined to {@link #loop}. Public methods called from another
 * thread are handed to the loop; what the accessors read from other threads is final or volatile:
 * the mirrors of the open state, the transport and the upgrade, the transport's {@code writable}
 * flag and the buffer's counters.
 */
final class Session implements EngineIoSocket, TransportListener {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  enum State {
    OPENING,
    OPEN,
    CLOSING,
    CLOSED
  }

  private final EngineIoServerCore server;
  private final EngineIoOptions options;
  private final String id;
  private final EngineIoCodec codec;
  private final Heartbeat heartbeat;
  private final EngineIoRequest request;
  private final EventLoop loop;

  private Transport transport;
  private State state = State.OPENING;
  private volatile boolean openMirror;

  /** {@link #transport}, published for {@link #transport()} and {@link #isWritable()}. */
  private volatile Transport transportMirror;

  private volatile boolean upgradedMirror;

  /**
   * Whether a WebSocket holds this session's upgrade, in progress or done (the reference's {@code
   * upgrading || upgraded}). Claimed on the WebSocket's loop ({@link #offerUpgrade}), so that the
   * WebSocket knows from its first frame that it answers the probe; released on this loop when an
   * upgrade in progress fails; kept once upgraded.
   */
  private final AtomicBoolean upgradeClaimed = new AtomicBoolean();

  /**
   * The loop of the WebSocket that holds an upgrade in progress, when it is not {@link #loop}; null
   * otherwise. Set on that loop with the claim, cleared on this loop when the upgrade ends.
   */
  private volatile EventLoop upgradeReadLoop;

  private boolean upgraded;
  private boolean closeOnDrain;
  private ScheduledFuture<?> closeOnDrainTimer;

  /** Small at first: most sessions never buffer more than a packet or two. */
  private final ArrayDeque<Outgoing> writeBuffer = new ArrayDeque<>(1);

  /**
   * The estimated bytes of {@link #writeBuffer}. Written on the loop only (when the buffer changes,
   * never on the write-through path); volatile for {@link #bufferedBytes()}.
   */
  private volatile long writeBufferBytes;

  /** Packets dropped for a slow client. Written on the loop only. */
  private volatile long droppedPackets;

  private ScheduledFuture<?> pingIntervalTimer;
  private ScheduledFuture<?> pingTimeoutTimer;
  private Upgrade pendingUpgrade;
  private volatile Object attachment;

  Session(
      EngineIoServerCore server,
      String id,
      EngineIoCodec codec,
      EngineIoRequest request,
      EventLoop loop,
      Transport transport) {
    this.server = server;
    this.options = server.options();
    this.id = id;
    this.codec = codec;
    this.heartbeat = Heartbeat.of(codec);
    this.request = request;
    this.loop = loop;
    setTransport(transport);
  }

  // ---- EngineIoSocket ------------------------------------------------------------------------

  @Override
  public String id() {
    return id;
  }

  @Override
  public int protocol() {
    return codec.protocol();
  }

  @Override
  public EngineIoRequest request() {
    return request;
  }

  @Override
  public TransportType transport() {
    return transportMirror.type();
  }

  @Override
  public boolean upgraded() {
    return upgradedMirror;
  }

  @Override
  public boolean isOpen() {
    return openMirror;
  }

  /**
   * Any thread: every value combined here is volatile (or final), so another thread sees the loop's
   * latest writes rather than a stale copy. The answer is a snapshot: the loop may change it right
   * after.
   */
  @Override
  public boolean isWritable() {
    return openMirror && transportMirror.writable;
  }

  @Override
  public void send(String text) {
    send(text, true);
  }

  @Override
  public void send(byte[] data) {
    send(data, true);
  }

  @Override
  public void send(String text, boolean compress) {
    sendPacket(Packet.message(text), compress);
  }

  @Override
  public void send(byte[] data, boolean compress) {
    sendPacket(Packet.binary(data), compress);
  }

  @Override
  public void send(String text, boolean compress, Delivery delivery) {
    submit(new Outgoing(Packet.message(text), compress, false, checked(delivery)));
  }

  @Override
  public void send(byte[] data, boolean compress, Delivery delivery) {
    submit(new Outgoing(Packet.binary(data), compress, false, checked(delivery)));
  }

  @Override
  public void send(Packet message, boolean compress) {
    send(message, compress, Delivery.ESSENTIAL);
  }

  @Override
  public void send(Packet message, boolean compress, Delivery delivery) {
    if (message.type() != PacketType.MESSAGE) {
      throw new IllegalArgumentException("not a message packet: " + message.type());
    }
    submit(new Outgoing(message, compress, true, checked(delivery)));
  }

  private static Delivery checked(Delivery delivery) {
    if (delivery == null) {
      throw new NullPointerException("delivery");
    }
    return delivery;
  }

  /**
   * Any thread: the buffer's count is the loop's latest; the channel's is Netty's own (volatile)
   * counter, which includes writes still on their way to another loop.
   */
  @Override
  public long bufferedBytes() {
    return writeBufferBytes + transportMirror.channelPendingBytes();
  }

  @Override
  public long droppedPackets() {
    return droppedPackets;
  }

  @Override
  public void flushNow() {
    if (loop.inEventLoop()) {
      flushTransportNow();
    } else {
      loop.execute(this::flushTransportNow);
    }
  }

  private void flushTransportNow() {
    if (state != State.CLOSED) {
      transport.flushNow();
    }
  }

  @Override
  public void close() {
    if (loop.inEventLoop()) {
      close(false);
    } else {
      loop.execute(() -> close(false));
    }
  }

  @Override
  public ScheduledExecutorService executor() {
    return loop;
  }

  @Override
  public void attachment(Object value) {
    this.attachment = value;
  }

  @Override
  public Object attachment() {
    return attachment;
  }

  EventLoop loop() {
    return loop;
  }

  EngineIoCodec codec() {
    return codec;
  }

  Transport currentTransport() {
    return transport;
  }

  State state() {
    return state;
  }

  // ---- life cycle --------------------------------------------------------------------------

  /** Queues the open packet (and the initial packet) and starts the heartbeat. */
  void open(List<String> upgrades) {
    state = State.OPEN;
    openMirror = true;
    StringBuilder json = new StringBuilder(128);
    json.append("{\"sid\":\"").append(id).append("\",\"upgrades\":[");
    for (int i = 0; i < upgrades.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append('"').append(upgrades.get(i)).append('"');
    }
    json.append("],\"pingInterval\":")
        .append(options.pingInterval().toMillis())
        .append(",\"pingTimeout\":")
        .append(options.pingTimeout().toMillis())
        .append(",\"maxPayload\":")
        .append(options.maxHttpBufferSize())
        .append('}');
    sendPacketOnLoop(Packet.text(PacketType.OPEN, json.toString()), true);
    options.initialPacket().ifPresent(p -> sendPacketOnLoop(Packet.message(p), true));
    // The client waits for the open packet before anything else: no reason to hold it.
    transport.flushNow();
    heartbeat.start(this);
  }

  void sendPacket(Packet packet, boolean compress) {
    submit(new Outgoing(packet, compress));
  }

  private void submit(Outgoing outgoing) {
    if (loop.inEventLoop()) {
      sendOnLoop(outgoing);
    } else {
      loop.execute(() -> sendOnLoop(outgoing));
    }
  }

  private void sendPacketOnLoop(Packet packet, boolean compress) {
    sendOnLoop(new Outgoing(packet, compress));
  }

  private void sendOnLoop(Outgoing outgoing) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (writeBuffer.isEmpty() && transport.writable) {
      // The common case: nothing waiting, write through without the buffer.
      transport.send(outgoing);
      return;
    }
    if (outgoing.delivery == Delivery.VOLATILE) {
      // The reference's volatile: sent only if it goes out at once.
      droppedPackets++;
      return;
    }
    long size = outgoing.size();
    if (!makeRoom(outgoing, size)) {
      return;
    }
    writeBuffer.add(outgoing);
    writeBufferBytes += size;
    flush();
  }

  /**
   * Applies the slow-consumer policy until {@code outgoing} fits; false when it is not to be
   * buffered (dropped, or the session closed). A packet always fits an empty buffer, however large:
   * the bound is on a backlog, not on a message.
   */
  private boolean makeRoom(Outgoing outgoing, long size) {
    long maxBytes = options.maxBufferedBytes();
    int maxPackets = options.maxBufferedPackets();
    while (!writeBuffer.isEmpty()
        && (writeBuffer.size() >= maxPackets
            || writeBufferBytes + transport.channelPendingBytes() + size > maxBytes)) {
      if (options.slowConsumerPolicy() == SlowConsumerPolicy.DROP_OLDEST && dropOldest()) {
        continue;
      }
      if (outgoing.delivery == Delivery.DROPPABLE
          && options.slowConsumerPolicy() == SlowConsumerPolicy.DROP_OLDEST) {
        // Nothing older may go: the newest droppable packet is the one to drop.
        droppedPackets++;
        return false;
      }
      closeSlowConsumer(size);
      return false;
    }
    return true;
  }

  /**
   * Drops the oldest droppable packet of the buffer; false if it holds none. Linear in the
   * essential packets ahead of it, usually none: under a flood the head of the buffer is what the
   * flood sent.
   */
  private boolean dropOldest() {
    for (Iterator<Outgoing> it = writeBuffer.iterator(); it.hasNext(); ) {
      Outgoing o = it.next();
      if (o.delivery == Delivery.DROPPABLE) {
        it.remove();
        writeBufferBytes -= o.size();
        droppedPackets++;
        return true;
      }
    }
    return false;
  }

  private void closeSlowConsumer(long size) {
    log.debug(
        "session {} reads too slowly ({} bytes in {} packets waiting, {} more to send): closing",
        id,
        bufferedBytes(),
        writeBuffer.size(),
        size);
    // This may run inside a broadcast or a handler of another socket: the session stops taking
    // packets now, and reports its close from a task of its own rather than call the close
    // handlers in the middle of someone else's emit.
    state = State.CLOSING;
    openMirror = false;
    cancel(pingIntervalTimer);
    cancel(pingTimeoutTimer);
    discardBuffer();
    Transport t = transport;
    t.listener = null; // its close is ours, not a "transport close"
    // Nothing the client has not read yet is worth delivering: free the channel's memory now
    // rather than queue a close frame behind it.
    t.abort();
    loop.execute(() -> onClose(CloseReason.SLOW_CONSUMER, "outbound buffer full"));
  }

  /**
   * Writes the buffer to the transport when it can take it. A WebSocket (or WebTransport stream)
   * takes packets only while its channel stays writable: the rest waits here, where it is bounded
   * and can be dropped, rather than in the channel's outbound buffer, where it could not.
   */
  void flush() {
    if (state == State.CLOSED || !transport.writable || writeBuffer.isEmpty()) {
      return;
    }
    if (transport.type() != TransportType.POLLING) {
      long bytes = writeBufferBytes;
      do {
        Outgoing o = writeBuffer.poll();
        bytes -= o.size();
        transport.send(o);
      } while (!writeBuffer.isEmpty() && transport.writable);
      writeBufferBytes = bytes;
    } else {
      List<Outgoing> buffer = new ArrayList<>(writeBuffer);
      writeBuffer.clear();
      writeBufferBytes = 0;
      transport.send(buffer);
    }
    if (closeOnDrain && writeBuffer.isEmpty()) {
      closeOnDrain = false;
      cancel(closeOnDrainTimer);
      closeTransport(false);
    }
  }

  private void discardBuffer() {
    writeBuffer.clear();
    writeBufferBytes = 0;
  }

  /** Closes after the buffered packets are written, as the reference's {@code close()}. */
  void close(boolean discard) {
    if (discard && (state == State.OPEN || state == State.CLOSING)) {
      closeTransport(true);
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    openMirror = false;
    if (!writeBuffer.isEmpty()) {
      // As the reference, the buffer goes out first; unlike it, not for ever: a client that does
      // not read is dropped after closeTimeout, its backlog discarded.
      closeOnDrain = true;
      closeOnDrainTimer =
          loop.schedule(
              this::closeUndrained, options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    closeTransport(false);
  }

  private void closeUndrained() {
    if (!closeOnDrain || state != State.CLOSING) {
      return;
    }
    closeOnDrain = false;
    discardBuffer();
    Transport t = transport;
    closeTransport(true);
    t.abort();
  }

  private void closeTransport(boolean discard) {
    if (discard) {
      transport.discard();
    }
    transport.close(() -> onClose(CloseReason.FORCED_CLOSE, ""));
  }

  void onClose(CloseReason reason, String description) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    openMirror = false;
    cancel(pingIntervalTimer);
    cancel(pingTimeoutTimer);
    cancel(closeOnDrainTimer);
    closeOnDrain = false;
    // Discarded at once: a client that is dropped gets nothing more, however much was waiting.
    discardBuffer();
    if (pendingUpgrade != null) {
      pendingUpgrade.abort();
    }
    clearTransport();
    server.remove(this);
    try {
      server.handler().onClose(this, reason, description);
    } catch (RuntimeException e) {
      log.warn("close handler of session {} failed", id, e);
    }
  }

  private void setTransport(Transport t) {
    this.transport = t;
    this.transportMirror = t;
    t.listener = this;
    t.closeTimeoutMillis = options.closeTimeout().toMillis();
  }

  private void clearTransport() {
    Transport old = transport;
    old.listener = null;
    old.close();
    cancel(pingTimeoutTimer);
  }

  // ---- heartbeat -----------------------------------------------------------------------------

  void schedulePing() {
    cancel(pingIntervalTimer);
    pingIntervalTimer =
        loop.schedule(
            () -> {
              sendPacketOnLoop(Packet.PING, true);
              resetPingTimeout();
            },
            options.pingInterval().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  void resetPingTimeout() {
    cancel(pingTimeoutTimer);
    long delay = heartbeat.timeoutMillis(options);
    pingTimeoutTimer =
        loop.schedule(() -> onClose(CloseReason.PING_TIMEOUT, ""), delay, TimeUnit.MILLISECONDS);
  }

  void cancelPingTimeout() {
    cancel(pingTimeoutTimer);
  }

  /** Answers a client's ping (v3). */
  void sendPong(String data) {
    sendPacketOnLoop(Packet.text(PacketType.PONG, data), true);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  // ---- TransportListener (current transport) ----------------------------------------------

  @Override
  public void onPacket(Packet packet) {
    if (state != State.OPEN) {
      return;
    }
    switch (packet.type()) {
      case PING:
        heartbeat.onPing(this, packet);
        break;
      case PONG:
        heartbeat.onPong(this);
        break;
      case MESSAGE:
        try {
          if (packet.isBinary()) {
            server.handler().onBinary(this, packet.binaryData());
          } else {
            server.handler().onMessage(this, packet.textData());
          }
        } catch (RuntimeException e) {
          log.warn("message handler of session {} failed", id, e);
        }
        break;
      default:
        // open, close (over WebSocket), upgrade and noop carry no meaning here, as in the
        // reference.
        break;
    }
  }

  @Override
  public void onParseError(String description) {
    onClose(CloseReason.PARSE_ERROR, description);
  }

  @Override
  public void onError(String description) {
    onClose(CloseReason.TRANSPORT_ERROR, description);
  }

  @Override
  public void onClose() {
    onClose(CloseReason.TRANSPORT_CLOSE, "");
  }

  @Override
  public void onReady() {
    flush();
    if (state == State.OPEN && writeBuffer.isEmpty()) {
      try {
        server.handler().onDrain(this);
      } catch (RuntimeException e) {
        log.warn("drain handler of session {} failed", id, e);
      }
    }
  }

  // ---- upgrade -----------------------------------------------------------------------------

  /**
   * A WebSocket opened with this session's sid, on the WebSocket channel's loop once its 101 is
   * written and before it reads a frame. As the reference: the WebSocket is accepted, then closed
   * if the session cannot take it (gone, already upgrading, or already upgraded); otherwise its
   * probe starts.
   *
   * <p>The claim is taken here, not on the session's loop, so that the WebSocket answers the probe
   * on its own loop as it reads it ({@link WebSocketTransport#answerProbesOnRead}): the reference
   * answers it synchronously, and clients rely on {@code 3probe} being on the wire before anything
   * the server sends after it reads the {@code upgrade} packet that follows (the {@code 400} to a
   * poll sent after it). Waiting for the session's loop, which may be busy with other sockets, let
   * that {@code 400} go out first.
   */
  void offerUpgrade(Transport ws) {
    boolean taken = openMirror && upgradeClaimed.compareAndSet(false, true);
    if (taken) {
      ws.answerProbesOnRead(true);
      if (!loop.inEventLoop()) {
        upgradeReadLoop = ws.channelLoop();
      }
    }
    if (!taken) {
      // Refused after what the client sent before it on the WebSocket holding the upgrade: a
      // client that probes on one WebSocket and then opens another sees the probe answered first.
      dispatchRequest(ws::close);
    } else if (loop.inEventLoop()) {
      startUpgrade(ws);
    } else {
      // Queued before the frames this loop hands over next, so they find the upgrade in place.
      loop.execute(() -> startUpgrade(ws));
    }
  }

  /**
   * Runs the task of a request on another connection (a GET, a POST with its body, a WebSocket
   * refused) on this loop; called on the request channel's loop.
   *
   * <p>While a WebSocket on another loop holds an upgrade, the task first passes that loop, after
   * its next read of its sockets. The reference handles a session's connections in the order their
   * data arrives: a client that sends {@code 5} on the WebSocket and then a poll gets a {@code 400}
   * for the poll, the session being upgraded by then. Whatever the client sent on the WebSocket
   * before the request was in the kernel when the request was read, so that read hands it to this
   * loop ahead of the task. A task scheduled without delay by a task of that loop runs after its
   * next read: a Netty loop reads its sockets, then runs its tasks, taking in the scheduled ones
   * due at the start of that run only. Only during an upgrade (a few milliseconds); otherwise the
   * hop is direct.
   */
  void dispatchRequest(Runnable task) {
    EventLoop via = upgradeReadLoop;
    if (via == null) {
      loop.execute(task);
      return;
    }
    try {
      via.execute(() -> via.schedule(() -> loop.execute(task), 0, TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      // that loop is shutting down with the server: nothing more is read there
      loop.execute(task);
    }
  }

  /** Starts the probe of the WebSocket that claimed the upgrade, on this loop. */
  private void startUpgrade(Transport next) {
    if (state != State.OPEN) {
      // closed since the claim: as the reference, the upgrade ends with the session
      next.answerProbesOnRead(false);
      upgradeReadLoop = null;
      upgradeClaimed.set(false);
      next.close();
      return;
    }
    next.closeTimeoutMillis = options.closeTimeout().toMillis();
    pendingUpgrade = new Upgrade(next);
    next.listener = pendingUpgrade;
  }

  /**
   * The upgrade procedure: answers the probe, nudges the pending poll with noops so the client can
   * pause polling, then switches transports on the {@code upgrade} packet.
   */
  private final class Upgrade implements TransportListener {
    private final Transport next;
    private final ScheduledFuture<?> timeout;
    private ScheduledFuture<?> noopTimer;

    Upgrade(Transport next) {
      this.next = next;
      this.timeout =
          loop.schedule(
              () -> {
                cleanup();
                next.close();
              },
              options.upgradeTimeout().toMillis(),
              TimeUnit.MILLISECONDS);
    }

    @Override
    public void onPacket(Packet packet) {
      if (packet.type() == PacketType.PING
          && !packet.isBinary()
          && "probe".equals(packet.textData())) {
        // The WebSocket answered it as it read it (WebSocketFrameHandler): nudge the poll.
        cancel(noopTimer);
        noopTimer = loop.scheduleAtFixedRate(this::nudge, 100, 100, TimeUnit.MILLISECONDS);
      } else if (packet.type() == PacketType.UPGRADE && state != State.CLOSED) {
        upgraded = true;
        upgradedMirror = true;
        cleanup();
        transport.discard();
        clearTransport();
        setTransport(next);
        try {
          server.handler().onUpgrade(Session.this, next.type());
        } catch (RuntimeException e) {
          log.warn("upgrade handler of session {} failed", id, e);
        }
        flush();
        if (state == State.CLOSING) {
          next.close(() -> Session.this.onClose(CloseReason.FORCED_CLOSE, ""));
        }
      } else {
        cleanup();
        next.close();
      }
    }

    private void nudge() {
      if (transport.type() == TransportType.POLLING && transport.writable) {
        transport.send(new Outgoing(Packet.NOOP, true));
      }
    }

    @Override
    public void onParseError(String description) {
      abort();
    }

    @Override
    public void onError(String description) {
      abort();
    }

    @Override
    public void onClose() {
      abort();
    }

    @Override
    public void onReady() {}

    void abort() {
      cleanup();
      next.close();
    }

    private void cleanup() {
      pendingUpgrade = null;
      next.answerProbesOnRead(false);
      upgradeReadLoop = null;
      if (!upgraded) {
        upgradeClaimed.set(false);
      }
      cancel(noopTimer);
      cancel(timeout);
      next.listener = null;
    }
  }
}
