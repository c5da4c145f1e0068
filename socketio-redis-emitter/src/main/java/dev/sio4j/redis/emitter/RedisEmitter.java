package dev.sio4j.redis.emitter;

import dev.sio4j.redis.internal.LettuceSupport;
import io.lettuce.core.RedisClient;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Emits to a Socket.IO cluster through Redis, from a process without a Socket.IO server: the
 * {@code @socket.io/redis-emitter} of the JVM, byte for byte. Its messages reach every node using
 * the classic Redis adapter with the same key, sio4j's {@code RedisAdapter} and the Node {@code
 * @socket.io/redis-adapter} alike.
 *
 * <pre>{@code
 * try (RedisEmitter emitter = RedisEmitter.create("redis://127.0.0.1:6379")) {
 *   emitter.to("room1").emit("news", Map.of("title", "hello"));
 *   emitter.of("/admin").in("staff").socketsJoin("briefing");
 *   emitter.serverSideEmit("reload", 42);
 * }
 * }</pre>
 *
 * <p>Every operation publishes one message and returns at once; the future completes when Redis
 * took it, or fails (Redis unreachable, the emitter closed) after at most 5 seconds. There are no
 * acknowledgements (the emitter has nobody to receive them), no {@code fetchSockets} and no
 * timeouts, as in the reference; passing a callback as the last argument of {@code emit} or {@code
 * serverSideEmit} fails with {@link UnsupportedOperationException}.
 *
 * <p>Thread-safety: immutable and thread-safe; the emitters of a family ({@link #of}) share one
 * Redis connection.
 */
public final class RedisEmitter implements AutoCloseable {
  private final EmitterLink link;
  private final String nsp;

  private RedisEmitter(EmitterLink link, String nsp) {
    this.link = link;
    this.nsp = nsp;
  }

  /**
   * An emitter on a Redis client the caller owns (and shuts down after closing the emitter). Opens
   * a connection at once, blocking up to the client's connect timeout.
   *
   * @throws dev.sio4j.common.SocketIoException when Redis cannot be reached
   */
  public static RedisEmitter create(RedisClient client, RedisEmitterOptions options) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(options, "options");
    LettuceSupport.checkCallerClient(client, EmitterLink.log());
    return new RedisEmitter(EmitterLink.connect(client, null, options), "/");
  }

  /**
   * An emitter with a Redis client of its own for {@code redisUri}, shut down by {@link #close()}.
   *
   * @throws dev.sio4j.common.SocketIoException when the URI is malformed or Redis cannot be reached
   */
  public static RedisEmitter create(String redisUri, RedisEmitterOptions options) {
    Objects.requireNonNull(redisUri, "redisUri");
    Objects.requireNonNull(options, "options");
    LettuceSupport.OwnedClient owned = LettuceSupport.createClient(redisUri);
    return new RedisEmitter(EmitterLink.connect(owned.client(), owned, options), "/");
  }

  /** {@link #create(String, RedisEmitterOptions)} with the defaults. */
  public static RedisEmitter create(String redisUri) {
    return create(redisUri, RedisEmitterOptions.defaults());
  }

  /** An emitter for another namespace ({@code "/"} is prepended when missing), same connection. */
  public RedisEmitter of(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return new RedisEmitter(link, namespace.startsWith("/") ? namespace : "/" + namespace);
  }

  /** The namespace this emitter targets. */
  public String namespace() {
    return nsp;
  }

  private EmitterOperator operator() {
    return new EmitterOperator(link, nsp, Set.of(), Set.of(), EmitterOperator.NO_FLAGS);
  }

  /** Targets the sockets in any of these rooms. */
  public EmitterOperator to(String... rooms) {
    return operator().to(rooms);
  }

  /** Same as {@link #to}. */
  public EmitterOperator in(String... rooms) {
    return operator().in(rooms);
  }

  /** Leaves out the sockets in any of these rooms. */
  public EmitterOperator except(String... rooms) {
    return operator().except(rooms);
  }

  /** The event may be dropped for clients that are not ready to receive it. */
  public EmitterOperator volatile_() {
    return operator().volatile_();
  }

  /** Sets the {@code compress} flag. */
  public EmitterOperator compress(boolean compress) {
    return operator().compress(compress);
  }

  /**
   * Emits to every socket of the namespace.
   *
   * @throws IllegalArgumentException for a reserved event name
   * @throws UnsupportedOperationException when the last argument is a callback
   */
  public CompletableFuture<Void> emit(String event, Object... args) {
    return operator().emit(event, args);
  }

  /** Makes every socket of the namespace join these rooms. */
  public CompletableFuture<Void> socketsJoin(String... rooms) {
    return operator().socketsJoin(rooms);
  }

  /** Makes every socket of the namespace leave these rooms. */
  public CompletableFuture<Void> socketsLeave(String... rooms) {
    return operator().socketsLeave(rooms);
  }

  /**
   * Disconnects every socket of the namespace.
   *
   * @param close whether to close the underlying connections too
   */
  public CompletableFuture<Void> disconnectSockets(boolean close) {
    return operator().disconnectSockets(close);
  }

  /**
   * Sends an event to the server-side listeners of the namespace on every node ({@code io.on(event,
   * ...)}).
   *
   * @throws UnsupportedOperationException when the last argument is a callback: acknowledgements
   *     are not supported
   */
  public CompletableFuture<Void> serverSideEmit(String event, Object... args) {
    return link.publish(EmitterOperator.serverSideEmitMessage(link, nsp, event, args));
  }

  /** Closes the connection shared by this emitter's family (and the client it created). */
  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    return "RedisEmitter{nsp=" + nsp + ", " + link.options + "}";
  }
}
