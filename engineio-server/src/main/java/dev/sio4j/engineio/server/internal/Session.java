package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoRequest;
import dev.sio4j.engineio.server.EngineIoSocket;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Thread-safety: all state is confined to {@link #loop}. Public methods called from another
 * thread are handed to the loop; what the accessors read from other threads is final or volatile:
 * the mirrors of the open state, the transport and the upgrade, and the transport's {@code
 * writable} flag.
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
   * upgrading || upgraded}). Claimed on the WebSocket's loop ({@link #offerUpgrade}); released on
   * this loop when an upgrade in progress fails; kept once upgraded.
   */
  private final AtomicBoolean upgradeClaimed = new AtomicBoolean();

  private boolean upgraded;
  private boolean closeOnDrain;
  private List<Outgoing> writeBuffer = new ArrayList<>();
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
  public void send(Packet message, boolean compress) {
    if (message.type() != PacketType.MESSAGE) {
      throw new IllegalArgumentException("not a message packet: " + message.type());
    }
    submit(new Outgoing(message, compress, true));
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
    writeBuffer.add(outgoing);
    flush();
  }

  /** Writes the buffer to the transport when it can take it. */
  void flush() {
    if (state != State.CLOSED && transport.writable && !writeBuffer.isEmpty()) {
      List<Outgoing> buffer = writeBuffer;
      writeBuffer = new ArrayList<>();
      transport.send(buffer);
      if (closeOnDrain) {
        closeOnDrain = false;
        closeTransport(false);
      }
    }
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
      closeOnDrain = true;
      return;
    }
    closeTransport(false);
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
    writeBuffer = new ArrayList<>();
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
  }

  // ---- upgrade -----------------------------------------------------------------------------

  /**
   * A WebSocket opened with this session's sid, on the WebSocket channel's loop once its 101 is
   * written. As the reference: the WebSocket is accepted, then closed if the session cannot take it
   * (gone, already upgrading, or already upgraded); otherwise its probe starts.
   *
   * <p>The WebSocket claims the upgrade here, on its own loop and before it reads any frame, rather
   * than on the session's loop: it knows from its first frame on that it is to answer the probe as
   * it reads it (see {@link WebSocketTransport#answerProbeOnRead}), and it reads at once, as any
   * WebSocket. Waiting for the session's loop to decide would hold the client's frames back and let
   * a poll sent after them reach the session first.
   */
  void offerUpgrade(WebSocketTransport ws) {
    boolean taken = openMirror && upgradeClaimed.compareAndSet(false, true);
    if (taken) {
      ws.answerProbesOnRead(true);
    }
    // Queued before the frames this loop hands over next: they find the upgrade in place.
    Runnable attach = taken ? () -> startUpgrade(ws) : ws::close;
    if (loop.inEventLoop()) {
      attach.run();
    } else {
      loop.execute(attach);
    }
  }

  /** Starts the probe of a WebSocket that claimed this session's upgrade. */
  private void startUpgrade(WebSocketTransport next) {
    if (state != State.OPEN) {
      // closed since the claim: as the reference, the upgrade ends with the session
      upgradeClaimed.set(false);
      next.answerProbesOnRead(false);
      next.close();
      return;
    }
    pendingUpgrade = new Upgrade(next);
    next.listener = pendingUpgrade;
  }

  /**
   * The upgrade procedure: once the probe is answered, nudges the pending poll with noops so the
   * client can pause polling, then switches transports on the {@code upgrade} packet.
   */
  private final class Upgrade implements TransportListener {
    private final WebSocketTransport next;
    private final ScheduledFuture<?> timeout;
    private ScheduledFuture<?> noopTimer;

    Upgrade(WebSocketTransport next) {
      this.next = next;
      this.timeout =
          loop.schedule(this::abort, options.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onPacket(Packet packet) {
      if (packet.type() == PacketType.PING
          && !packet.isBinary()
          && "probe".equals(packet.textData())) {
        // Answered already: the WebSocket's loop wrote the 3probe when it read the frame.
        cancel(noopTimer);
        noopTimer = loop.scheduleAtFixedRate(this::nudge, 100, 100, TimeUnit.MILLISECONDS);
      } else if (packet.type() == PacketType.UPGRADE && state != State.CLOSED) {
        cleanup();
        transport.discard();
        upgraded = true;
        upgradedMirror = true;
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
        abort();
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

    /** Ends the upgrade unfinished: the session stays on polling and may take another one. */
    void abort() {
      cleanup();
      upgradeClaimed.set(false);
      next.close();
    }

    private void cleanup() {
      pendingUpgrade = null;
      cancel(noopTimer);
      cancel(timeout);
      next.listener = null;
      next.answerProbesOnRead(false);
    }
  }
}
