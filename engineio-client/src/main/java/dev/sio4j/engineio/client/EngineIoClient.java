package dev.sio4j.engineio.client;

import dev.sio4j.engineio.client.internal.ClientConnection;
import dev.sio4j.engineio.parser.TransportType;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An Engine.IO v4 client connection: handshake over the first allowed transport, upgrade to
 * WebSocket when the server offers it, heartbeat (answers every {@code ping} with a {@code pong},
 * closes with {@link CloseReason#PING_TIMEOUT} after {@code pingInterval + pingTimeout} without
 * one), and a write buffer flushed whenever the transport is writable (polling batches are split to
 * stay within the server's {@code maxPayload}).
 *
 * <pre>{@code
 * EngineIoClient client = EngineIoClient.open(
 *     EngineIoClientOptions.builder().uri(URI.create("http://localhost:3000")).build(),
 *     new EngineIoListener() {
 *       public void onMessage(String text) { System.out.println(text); }
 *     });
 * client.send("hello");
 * client.close().join();
 * }</pre>
 *
 * <p>A client is used once: after {@link EngineIoListener#onClose} it stays closed; open a new one
 * to reconnect (the Socket.IO client does that with backoff).
 *
 * <p>Thread-safety: thread-safe. The connection is owned by one Netty event loop (a thread of its
 * own unless {@link EngineIoClientOptions#eventLoopGroup()} is given); all state changes and all
 * listener callbacks happen there, in order. {@link #send}, {@link #close} and the accessors may be
 * called from any thread (except where an accessor says it is meant for the loop); calls made on
 * other threads are queued onto the loop, keeping their order. Nothing blocks.
 */
public final class EngineIoClient {
  private final ClientConnection connection;

  private EngineIoClient(ClientConnection connection) {
    this.connection = connection;
  }

  /**
   * Starts connecting. Returns at once; the listener hears {@code onOpen} or {@code onError} and
   * {@code onClose}.
   */
  public static EngineIoClient open(EngineIoClientOptions options, EngineIoListener listener) {
    return new EngineIoClient(ClientConnection.open(options, listener));
  }

  /** The options this client was opened with. */
  public EngineIoClientOptions options() {
    return connection.options();
  }

  /** The session id once the handshake is done, until the connection closes. */
  public Optional<String> id() {
    return connection.id();
  }

  /** The current state. */
  public ReadyState readyState() {
    return connection.readyState();
  }

  /** The transport in use (changes once on upgrade). */
  public Optional<TransportType> transport() {
    return connection.transport();
  }

  /** Queues a text message; dropped if the client is closing or closed. */
  public void send(String text) {
    connection.send(text, true);
  }

  /** Queues a binary message; the array must not be modified afterwards. */
  public void send(byte[] data) {
    connection.send(data, true);
  }

  /**
   * Queues a text message with the reference's per-packet {@code compress} option: {@code false}
   * sends it uncompressed when the WebSocket negotiated permessage-deflate (polling ignores it).
   */
  public void send(String text, boolean compress) {
    connection.send(text, compress);
  }

  /** Queues a binary message with the {@code compress} option of {@link #send(String, boolean)}. */
  public void send(byte[] data, boolean compress) {
    connection.send(data, compress);
  }

  /**
   * Protocol v3, where the client pings: sends a ping now (as the reference 3.x client's {@code
   * ping()}); the answer is heard by {@link EngineIoListener#onPong}. Does nothing in v4, where the
   * server pings, or when the client is not open.
   */
  public void ping() {
    connection.ping();
  }

  /**
   * Closes the connection after the buffered messages have been written (and after a running
   * upgrade has finished), with {@link CloseReason#FORCED_CLOSE}.
   *
   * @return completes once the connection is closed and the client's own thread, if any, has
   *     stopped
   */
  public CompletableFuture<Void> close() {
    return connection.close();
  }

  /** Completes once the client is closed and its resources are released. */
  public CompletableFuture<Void> closeFuture() {
    return connection.closeFuture();
  }

  /**
   * Whether the current transport can take a write right now (as the reference's {@code
   * transport.writable}); meaningful on the client's event loop.
   */
  public boolean writable() {
    return connection.writable();
  }

  /**
   * Whether the heartbeat deadline has passed without a ping (for example after the machine slept).
   * If so, the connection is closed with {@link CloseReason#PING_TIMEOUT} right after this call.
   * Call it on the client's event loop.
   */
  public boolean pingExpired() {
    return connection.pingExpired();
  }

  /** Whether the caller runs on this client's event loop. */
  public boolean inEventLoop() {
    return connection.inEventLoop();
  }

  @Override
  public String toString() {
    return connection.toString();
  }
}
