package dev.sio4j.engineio.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.engineio.client.CloseReason;
import dev.sio4j.engineio.client.EngineIoClient;
import dev.sio4j.engineio.client.EngineIoClientException;
import dev.sio4j.engineio.client.EngineIoClientOptions;
import dev.sio4j.engineio.client.EngineIoListener;
import dev.sio4j.engineio.client.Handshake;
import dev.sio4j.engineio.client.ReadyState;
import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection behind an {@link EngineIoClient}: handshake over the first allowed transport,
 * upgrade when the server offers it, heartbeat (answers every {@code ping} with a {@code pong},
 * closes with {@link CloseReason#PING_TIMEOUT} after {@code pingInterval + pingTimeout} without
 * one), and a write buffer flushed whenever the transport is writable (polling batches are split to
 * stay within the server's {@code maxPayload}). Speaks protocol v4, or v3 when {@link
 * EngineIoClientOptions#protocolVersion()} says so (then the client pings, every {@code
 * pingInterval}, and closes when no packet comes within {@code pingTimeout} of its ping).
 *
 * <p>Not API: public for {@link EngineIoClient}, which is its face; it may change in any release.
 *
 * <p>Thread-safety: thread-safe. The connection is owned by one Netty event loop (a thread of its
 * own unless {@link EngineIoClientOptions#eventLoopGroup()} is given); all state changes and all
 * listener callbacks happen there, in order. {@link #send}, {@link #close} and the accessors may be
 * called from any thread; calls made on other threads are queued onto the loop, keeping their
 * order. Nothing blocks.
 */
public final class ClientConnection {
  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the last WebSocket of this JVM worked, for {@code rememberUpgrade}. */
  private static volatile boolean priorWebsocketSuccess;

  private final EngineIoClientOptions options;
  private final EngineIoListener listener;
  private final ClientLoop clientLoop;
  private final EventLoop loop;
  private final TransportContext context;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  // Confined to the loop.
  private ReadyState state = ReadyState.OPENING;
  private Transport transport;
  private final List<Outgoing> writeBuffer = new ArrayList<>();
  private int prevBufferLen;
  private boolean upgrading;
  private long maxPayload;
  private Duration pingInterval = Duration.ZERO;
  private Duration pingTimeout = Duration.ZERO;
  private List<TransportType> upgrades = List.of();
  private ScheduledFuture<?> pingTimer;
  private ScheduledFuture<?> pingIntervalTimer; // v3: when the client sends its next ping
  private ScheduledFuture<?> openTimer;
  private long pingDeadline; // System.nanoTime() deadline, valid while pingDeadlineSet
  private boolean pingDeadlineSet;
  private final List<Runnable> onDrain = new ArrayList<>();
  private final List<Runnable> onUpgradeDone = new ArrayList<>();
  private final List<Probe> probes = new ArrayList<>();

  /** Transports not yet tried for the handshake ({@code tryAllTransports}); head is current. */
  private final List<TransportType> untried = new ArrayList<>();

  // Published for other threads.
  private volatile ReadyState publicState = ReadyState.OPENING;
  private volatile String id;
  private volatile TransportType currentTransport;

  private ClientConnection(EngineIoClientOptions options, EngineIoListener listener) {
    this.options = options;
    this.listener = listener;
    this.clientLoop = new ClientLoop(options.eventLoopGroup());
    this.loop = clientLoop.loop();
    this.context = new TransportContext(options, loop);
  }

  /**
   * Starts connecting. Returns at once; the listener hears {@code onOpen} or {@code onError} and
   * {@code onClose}.
   */
  public static ClientConnection open(EngineIoClientOptions options, EngineIoListener listener) {
    ClientConnection client =
        new ClientConnection(
            Objects.requireNonNull(options, "options"),
            Objects.requireNonNull(listener, "listener"));
    client.loop.execute(client::doOpen);
    return client;
  }

  /** The options this client was opened with. */
  public EngineIoClientOptions options() {
    return options;
  }

  /** The session id once the handshake is done, until the connection closes. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** The current state. */
  public ReadyState readyState() {
    return publicState;
  }

  /** The transport in use (changes once on upgrade). */
  public Optional<TransportType> transport() {
    return Optional.ofNullable(currentTransport);
  }

  /**
   * Queues a text message; dropped if the client is closing or closed. {@code compress=false} keeps
   * it out of WebSocket compression.
   */
  public void send(String text, boolean compress) {
    Objects.requireNonNull(text, "text");
    onLoop(() -> sendPacket(Packet.message(text), compress));
  }

  /** Queues a binary message; the array must not be modified afterwards. */
  public void send(byte[] data, boolean compress) {
    Objects.requireNonNull(data, "data");
    onLoop(() -> sendPacket(Packet.binary(data), compress));
  }

  /** v3: sends a ping now, heard back by {@code onPong}; nothing in v4 or when not open. */
  public void ping() {
    onLoop(
        () -> {
          if (clientPings() && state == ReadyState.OPEN) {
            sendPacket(Packet.PING);
            armPingTimeout(pingTimeout.toMillis());
          }
        });
  }

  /**
   * Closes the connection after the buffered messages have been written (and after a running
   * upgrade has finished), with {@link CloseReason#FORCED_CLOSE}.
   *
   * @return completes once the connection is closed and the client's own thread, if any, has
   *     stopped
   */
  public CompletableFuture<Void> close() {
    onLoop(this::doClose);
    return closeFuture;
  }

  /** Completes once the client is closed and its resources are released. */
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /**
   * Whether the current transport can take a write right now (as the reference's {@code
   * transport.writable}); meaningful on the client's event loop.
   */
  public boolean writable() {
    Transport t = transport;
    return t != null && t.writable && state == ReadyState.OPEN;
  }

  /**
   * Whether the heartbeat deadline has passed without a ping (for example after the machine slept).
   * If so, the connection is closed with {@link CloseReason#PING_TIMEOUT} right after this call.
   * Call it on the client's event loop.
   */
  public boolean pingExpired() {
    if (!pingDeadlineSet) {
      return true;
    }
    boolean expired = System.nanoTime() - pingDeadline > 0;
    if (expired) {
      pingDeadlineSet = false;
      loop.execute(() -> onClose(CloseReason.PING_TIMEOUT, null));
    }
    return expired;
  }

  /** Whether the caller runs on this client's event loop. */
  public boolean inEventLoop() {
    return loop.inEventLoop();
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // The client's own thread ends once the connection is closed: nothing is left to do.
      log.debug("{} is closed: call ignored", this);
    }
  }

  // ---------------------------------------------------------------- life cycle (on the loop)

  private void doOpen() {
    if (state != ReadyState.OPENING) {
      return;
    }
    untried.addAll(options.transports());
    if (options.rememberUpgrade()
        && priorWebsocketSuccess
        && untried.remove(TransportType.WEBSOCKET)) {
      untried.add(0, TransportType.WEBSOCKET);
    }
    openWith(untried.get(0));
  }

  private void openWith(TransportType type) {
    cancel(openTimer);
    Transport t = createTransport(type);
    setTransport(t);
    openTimer =
        loop.schedule(
            () -> onError(new EngineIoClientException("timeout")),
            options.connectTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    t.open();
  }

  private Transport createTransport(TransportType type) {
    return type == TransportType.POLLING
        ? new PollingTransport(context, id)
        : new WebSocketTransport(context, id);
  }

  private void setTransport(Transport t) {
    if (transport != null) {
      transport.detach();
    }
    transport = t;
    currentTransport = t.type();
    t.events =
        new Transport.Events() {
          @Override
          public void onOpen(Transport t) {}

          @Override
          public void onPacket(Transport t, Packet packet) {
            ClientConnection.this.onPacket(packet);
          }

          @Override
          public void onDrain(Transport t) {
            ClientConnection.this.onTransportDrain();
          }

          @Override
          public void onError(Transport t, EngineIoClientException error) {
            ClientConnection.this.onError(error);
          }

          @Override
          public void onClose(Transport t, String description) {
            ClientConnection.this.onClose(
                CloseReason.TRANSPORT_CLOSE, new EngineIoClientException(description));
          }
        };
  }

  private void onPacket(Packet packet) {
    if (state == ReadyState.CLOSED) {
      return;
    }
    // v4: any packet proves the server alive; only a ping re-arms the timer, as in the reference.
    // v3: every packet re-arms it (the reference 3.x client's "heartbeat" event).
    boolean clientPings = clientPings();
    if (clientPings && state == ReadyState.OPEN) {
      armPingTimeout(pingInterval.toMillis() + pingTimeout.toMillis());
    }
    switch (packet.type()) {
      case OPEN -> onHandshake(packet.textData());
      case PING -> {
        sendPacket(Packet.PONG);
        call(listener::onPing);
        if (!clientPings) {
          resetPingTimeout();
        }
      }
      case PONG -> {
        if (clientPings) {
          schedulePing();
          call(listener::onPong);
        }
      }
      case MESSAGE -> {
        if (packet.isBinary()) {
          byte[] data = packet.binaryData();
          call(() -> listener.onBinaryMessage(data));
        } else {
          String text = packet.textData();
          call(() -> listener.onMessage(text));
        }
      }
      case CLOSE ->
          onClose(
              CloseReason.TRANSPORT_CLOSE,
              new EngineIoClientException("transport closed by the server"));
      default -> {
        // NOOP, stray PONG or UPGRADE: nothing to do.
      }
    }
  }

  private void onHandshake(String json) {
    Handshake handshake;
    try {
      JsonNode data = JSON.readTree(json);
      List<TransportType> offered = new ArrayList<>();
      for (JsonNode u : data.path("upgrades")) {
        for (TransportType allowed : options.transports()) {
          if (allowed.wireName().equals(u.asText())) {
            offered.add(allowed);
          }
        }
      }
      handshake =
          new Handshake(
              data.path("sid").asText(),
              offered,
              Duration.ofMillis(data.path("pingInterval").asLong()),
              Duration.ofMillis(data.path("pingTimeout").asLong()),
              data.path("maxPayload").asLong(0));
      if (handshake.sid().isEmpty()) {
        throw new IllegalArgumentException("no sid");
      }
    } catch (Exception e) {
      onError(new EngineIoClientException("invalid handshake: " + json, e));
      return;
    }
    id = handshake.sid();
    transport.setSid(handshake.sid());
    pingInterval = handshake.pingInterval();
    pingTimeout = handshake.pingTimeout();
    maxPayload = handshake.maxPayload();
    upgrades = handshake.upgrades();
    if (openTimer != null) {
      openTimer.cancel(false);
      openTimer = null;
    }
    state = ReadyState.OPEN;
    publicState = ReadyState.OPEN;
    priorWebsocketSuccess = transport.type() == TransportType.WEBSOCKET;
    call(() -> listener.onOpen(handshake));
    flush();
    if (state == ReadyState.CLOSED) {
      return;
    }
    if (options.upgrade()) {
      for (TransportType u : upgrades) {
        if (u != transport.type()) {
          probe(u);
        }
      }
    }
    if (clientPings()) {
      schedulePing();
    }
    resetPingTimeout();
  }

  /** Whether this connection speaks v3, where the client pings and the server answers. */
  private boolean clientPings() {
    return context.codec.heartbeat() == EngineIoCodec.Heartbeat.CLIENT_PINGS;
  }

  /** v3: pings after {@code pingInterval}, then expects any packet within {@code pingTimeout}. */
  private void schedulePing() {
    cancel(pingIntervalTimer);
    pingIntervalTimer =
        loop.schedule(
            () -> {
              if (state != ReadyState.OPEN) {
                return;
              }
              sendPacket(Packet.PING);
              armPingTimeout(pingTimeout.toMillis());
            },
            pingInterval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private void resetPingTimeout() {
    armPingTimeout(pingInterval.toMillis() + pingTimeout.toMillis());
  }

  private void armPingTimeout(long delay) {
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    pingDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
    pingDeadlineSet = true;
    pingTimer =
        loop.schedule(() -> onClose(CloseReason.PING_TIMEOUT, null), delay, TimeUnit.MILLISECONDS);
  }

  private void onTransportDrain() {
    writeBuffer.subList(0, Math.min(prevBufferLen, writeBuffer.size())).clear();
    prevBufferLen = 0;
    if (writeBuffer.isEmpty()) {
      runAll(onDrain);
    } else {
      flush();
    }
  }

  private void flush() {
    if (state != ReadyState.CLOSED
        && transport != null
        && transport.state == Transport.State.OPEN
        && transport.writable
        && !upgrading
        && !writeBuffer.isEmpty()) {
      List<Outgoing> packets = writablePackets();
      prevBufferLen = packets.size();
      transport.send(List.copyOf(packets));
    }
  }

  /**
   * The packets of the next write: all of them, except for polling, where a POST body must stay
   * within the server's {@code maxPayload} (at least one packet is always sent).
   */
  private List<Outgoing> writablePackets() {
    if (maxPayload <= 0 || transport.type() != TransportType.POLLING || writeBuffer.size() == 1) {
      return writeBuffer;
    }
    long size = 0;
    for (int i = 0; i < writeBuffer.size(); i++) {
      size += (i > 0 ? 1 : 0) + encodedLength(writeBuffer.get(i).packet());
      if (i > 0 && size > maxPayload) {
        return writeBuffer.subList(0, i);
      }
    }
    return writeBuffer;
  }

  private long encodedLength(Packet p) {
    if (p.isBinary()) {
      return 1 + 4L * ((p.binaryData().length + 2) / 3);
    }
    return context.codec.encodePacketUtf8(p).length;
  }

  private void sendPacket(Packet packet) {
    sendPacket(packet, true);
  }

  private void sendPacket(Packet packet, boolean compress) {
    if (state == ReadyState.CLOSING || state == ReadyState.CLOSED) {
      return;
    }
    writeBuffer.add(new Outgoing(packet, compress));
    flush();
  }

  private void doClose() {
    if (state != ReadyState.OPENING && state != ReadyState.OPEN) {
      if (state == ReadyState.CLOSED) {
        releaseResources(null);
      }
      return;
    }
    state = ReadyState.CLOSING;
    publicState = ReadyState.CLOSING;
    Runnable close = () -> onClose(CloseReason.FORCED_CLOSE, null);
    Runnable afterUpgrade =
        () -> {
          if (upgrading) {
            onUpgradeDone.add(close);
          } else {
            close.run();
          }
        };
    if (!writeBuffer.isEmpty() && transport != null && transport.state == Transport.State.OPEN) {
      onDrain.add(afterUpgrade);
    } else {
      afterUpgrade.run();
    }
  }

  private void onError(EngineIoClientException error) {
    if (state == ReadyState.CLOSED) {
      return;
    }
    priorWebsocketSuccess = false;
    if (options.tryAllTransports() && state == ReadyState.OPENING && untried.size() > 1) {
      log.debug("handshake over {} failed, trying the next transport", untried.get(0), error);
      untried.remove(0);
      Transport failed = transport;
      failed.detach();
      failed.close();
      openWith(untried.get(0));
      return;
    }
    call(() -> listener.onError(error));
    onClose(CloseReason.TRANSPORT_ERROR, error);
  }

  private void onClose(CloseReason reason, Throwable cause) {
    if (state == ReadyState.CLOSED) {
      return;
    }
    log.debug("engine.io client {} closed: {}", id, reason);
    cancel(pingTimer);
    cancel(pingIntervalTimer);
    cancel(openTimer);
    pingDeadlineSet = false;
    Transport t = transport;
    if (t != null) {
      t.detach();
      t.close();
    }
    state = ReadyState.CLOSED;
    publicState = ReadyState.CLOSED;
    id = null;
    for (Probe probe : List.copyOf(probes)) {
      probe.freeze();
    }
    call(() -> listener.onClose(reason, Optional.ofNullable(cause)));
    writeBuffer.clear();
    prevBufferLen = 0;
    onDrain.clear();
    onUpgradeDone.clear();
    releaseResources(t);
  }

  private void releaseResources(Transport t) {
    clientLoop.releaseAfter(
        t == null ? CompletableFuture.completedFuture(null) : t.released, closeFuture);
  }

  // ---------------------------------------------------------------- upgrade (on the loop)

  /** One upgrade attempt, as the reference: open, ping "probe", expect pong "probe", pause, "5". */
  private final class Probe implements Transport.Events {
    final Transport candidate;
    boolean failed;
    boolean answered;

    Probe(Transport candidate) {
      this.candidate = candidate;
    }

    @Override
    public void onOpen(Transport t) {
      if (failed) {
        return;
      }
      t.send(Outgoing.of(Packet.PING_PROBE));
    }

    @Override
    public void onPacket(Transport t, Packet msg) {
      if (failed || answered) {
        return;
      }
      answered = true;
      if (msg.type() == PacketType.PONG && "probe".equals(msg.textData())) {
        upgrading = true;
        call(() -> listener.onUpgrading(candidate.type()));
        priorWebsocketSuccess = candidate.type() == TransportType.WEBSOCKET;
        Transport old = transport;
        old.pause(
            () -> {
              if (failed || state == ReadyState.CLOSED) {
                return;
              }
              probes.remove(this);
              setTransport(candidate);
              old.detach();
              old.close();
              candidate.send(Outgoing.of(Packet.UPGRADE));
              upgrading = false;
              call(() -> listener.onUpgrade(candidate.type()));
              flush();
              runAll(onUpgradeDone);
            });
      } else {
        fail("probe error");
      }
    }

    @Override
    public void onDrain(Transport t) {}

    @Override
    public void onError(Transport t, EngineIoClientException error) {
      fail("probe error: " + error.getMessage());
    }

    @Override
    public void onClose(Transport t, String description) {
      fail("probe error: transport closed");
    }

    void freeze() {
      if (failed) {
        return;
      }
      failed = true;
      probes.remove(this);
      candidate.detach();
      candidate.close();
    }

    void fail(String message) {
      if (failed) {
        return;
      }
      boolean wasUpgrading = upgrading;
      freeze();
      EngineIoClientException error = new EngineIoClientException(message);
      call(() -> listener.onUpgradeError(error));
      if (wasUpgrading) {
        // The old transport is paused for good: there is no way back, so close now rather than
        // waiting for the ping timeout (the reference's outcome).
        upgrading = false;
        runAll(onUpgradeDone);
        ClientConnection.this.onError(error);
      } else {
        runAll(onUpgradeDone);
      }
    }
  }

  private void probe(TransportType type) {
    Transport candidate = createTransport(type);
    Probe probe = new Probe(candidate);
    candidate.events = probe;
    probes.add(probe);
    priorWebsocketSuccess = false;
    candidate.open();
  }

  // ---------------------------------------------------------------- helpers

  private void call(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      log.warn("engine.io listener threw", e);
    }
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private static void runAll(List<Runnable> callbacks) {
    if (callbacks.isEmpty()) {
      return;
    }
    List<Runnable> copy = new ArrayList<>(callbacks);
    callbacks.clear();
    copy.forEach(Runnable::run);
  }

  @Override
  public String toString() {
    return "EngineIoClient[" + options.uri() + ", " + publicState + ", sid=" + id + "]";
  }
}
