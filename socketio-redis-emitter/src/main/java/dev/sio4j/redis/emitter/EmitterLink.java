package dev.sio4j.redis.emitter;

import dev.sio4j.common.SocketIoException;
import dev.sio4j.redis.internal.ClassicCodec.Outgoing;
import dev.sio4j.redis.internal.LettuceSupport;
import dev.sio4j.redis.internal.LettuceSupport.OwnedClient;
import dev.sio4j.redis.internal.OutageLog;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection every emitter of a family ({@link RedisEmitter#of}) publishes on.
 *
 * <p>Thread-safety: thread-safe.
 */
final class EmitterLink {
  private static final Logger log = LoggerFactory.getLogger(RedisEmitter.class);

  final RedisEmitterOptions options;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final OwnedClient owned;
  private final OutageLog outage = new OutageLog(log, "Redis emitter");
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmitterLink(
      RedisEmitterOptions options,
      StatefulRedisConnection<byte[], byte[]> connection,
      OwnedClient owned) {
    this.options = options;
    this.connection = connection;
    this.owned = owned;
  }

  static EmitterLink connect(RedisClient client, OwnedClient owned, RedisEmitterOptions options) {
    try {
      return new EmitterLink(options, client.connect(ByteArrayCodec.INSTANCE), owned);
    } catch (RuntimeException e) {
      if (owned != null) {
        LettuceSupport.shutdown(owned);
      }
      throw new SocketIoException("cannot connect to Redis: " + e.getMessage(), e);
    }
  }

  static Logger log() {
    return log;
  }

  CompletableFuture<Void> publish(Outgoing out) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the emitter is closed"));
    }
    return LettuceSupport.publish(connection.async(), out.channel(), out.payload())
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                outage.succeeded();
              } else {
                outage.failed(e);
              }
            });
  }

  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      connection.closeAsync().get(LettuceSupport.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("closing the Redis connection: {}", e.toString());
    }
    if (owned != null) {
      LettuceSupport.shutdown(owned);
    }
  }
}
