package dev.sio4j.redis;

import dev.sio4j.adapter.Adapter;
import dev.sio4j.adapter.AdapterHost;
import dev.sio4j.redis.internal.LettuceSupport;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis side shared by the {@link RedisStreamsAdapter}s of one server (one per namespace), as
 * the reference's {@code createAdapter} closure: a command connection (XADD, XRANGE, PUBLISH, SET,
 * GETDEL, PUBSUB), a subscriber connection for the pub/sub channels, and one reading loop per
 * stream on a connection of its own (a blocking {@code XREAD} must never hold up the commands of
 * others), whose entries go to the adapter of their namespace.
 *
 * <p>The reading loop resumes from the last entry it read after Redis comes back (the reference's
 * loop starts at {@code $} and keeps its position the same way); while Redis is down it retries
 * every 100 ms to 1 s. A read that does not end within the block time plus a margin is taken as
 * lost and its connection replaced.
 *
 * <p>Thread-safety: thread-safe. Stream entries are handled on this factory's thread ({@code
 * sio4j-redis-streams}), one stream's in order; pub/sub messages on Lettuce's threads.
 */
final class StreamsFactory implements RedisAdapterFactory {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamsAdapter.class);
  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;
  private static final long MIN_RETRY_MILLIS = 100;
  private static final long MAX_RETRY_MILLIS = 1000;

  final RedisStreamsAdapterOptions options;
  private final RedisClient client;
  private final Runnable release;
  private final StatefulRedisConnection<byte[], byte[]> commands;
  private final StatefulRedisPubSubConnection<byte[], byte[]> subscriber;
  private final ScheduledExecutorService executor;
  private final List<StreamReader> readers = new ArrayList<>();
  private final Map<String, RedisStreamsAdapter> byNamespace = new ConcurrentHashMap<>();
  private final Map<String, RedisStreamsAdapter> byChannel = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** On {@code client}; {@code release} frees what was created for this factory alone. */
  StreamsFactory(RedisClient client, Runnable release, RedisStreamsAdapterOptions o) {
    this(client, release, o, true);
  }

  /**
   * With {@code read} false, no reading loop runs: a test hands the entries over itself ({@link
   * RedisStreamsAdapter#onStreamEntry}), in the order and at the moment it wants.
   */
  StreamsFactory(RedisClient client, Runnable release, RedisStreamsAdapterOptions o, boolean read) {
    this.options = Objects.requireNonNull(o, "options");
    this.client = client;
    this.release = release;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sio4j-redis-streams");
              t.setDaemon(true);
              return t;
            });
    StatefulRedisConnection<byte[], byte[]> c = null;
    StatefulRedisPubSubConnection<byte[], byte[]> s = null;
    try {
      c = client.connect(CODEC);
      s = client.connectPubSub(CODEC);
      s.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
              dispatch(channel, message);
            }

            @Override
            public void smessage(byte[] channel, byte[] message) {
              dispatch(channel, message);
            }
          });
      List<String> names = new ArrayList<>();
      if (o.streamCount() == 1) {
        names.add(o.streamName());
      } else {
        for (int i = 0; i < o.streamCount(); i++) {
          names.add(o.streamName() + "-" + i);
        }
      }
      for (String name : names) {
        readers.add(new StreamReader(name, client.connect(CODEC)));
      }
    } catch (RuntimeException e) {
      readers.forEach(StreamReader::close);
      if (s != null) {
        s.closeAsync();
      }
      if (c != null) {
        c.closeAsync();
      }
      executor.shutdownNow();
      release.run();
      throw e;
    }
    this.commands = c;
    this.subscriber = s;
    if (read) {
      readers.forEach(StreamReader::start);
    }
  }

  @Override
  public Adapter create(AdapterHost host) {
    if (closed) {
      throw new IllegalStateException("the Redis streams adapter factory is closed");
    }
    RedisStreamsAdapter adapter = new RedisStreamsAdapter(host, this);
    byNamespace.put(host.name(), adapter);
    List<String> channels = adapter.channels();
    channels.forEach(ch -> byChannel.put(ch, adapter));
    subscribe(channels, adapter);
    return adapter;
  }

  /** Forgets a closed adapter and unsubscribes its channels. */
  void remove(RedisStreamsAdapter adapter) {
    byNamespace.remove(adapter.namespace(), adapter);
    List<String> channels = adapter.channels();
    channels.forEach(ch -> byChannel.remove(ch, adapter));
    if (!closed) {
      byte[][] keys = keys(channels);
      try {
        bounded(
                options.useShardedPubSub()
                    ? subscriber.async().sunsubscribe(keys)
                    : subscriber.async().unsubscribe(keys))
            .exceptionally(e -> null);
      } catch (RuntimeException e) {
        log.debug("unsubscribing {} failed: {}", channels, e.toString());
      }
    }
  }

  /** Subscribes, and tries again every second while Redis refuses and the adapter is open. */
  private void subscribe(List<String> channels, RedisStreamsAdapter adapter) {
    if (closed || byChannel.get(channels.get(0)) != adapter) {
      return;
    }
    byte[][] keys = keys(channels);
    CompletableFuture<Void> f;
    try {
      f =
          bounded(
              options.useShardedPubSub()
                  ? subscriber.async().ssubscribe(keys)
                  : subscriber.async().subscribe(keys));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (v, e) -> {
          if (e != null) {
            log.debug("subscribing {} failed, retrying: {}", channels, e.toString());
            schedule(() -> subscribe(channels, adapter), MAX_RETRY_MILLIS);
          }
        });
  }

  private void dispatch(byte[] channel, byte[] message) {
    RedisStreamsAdapter adapter = byChannel.get(new String(channel, StandardCharsets.UTF_8));
    if (adapter != null) {
      adapter.onPubSubMessage(message);
    }
  }

  // ---- commands ------------------------------------------------------------------------------

  CompletableFuture<String> xadd(String stream, Map<String, String> fields) {
    Map<byte[], byte[]> body = new LinkedHashMap<>();
    fields.forEach((k, v) -> body.put(bytes(k), bytes(v)));
    return call(
        () ->
            commands
                .async()
                .xadd(
                    bytes(stream),
                    new XAddArgs().maxlen(options.maxLen()).approximateTrimming(),
                    body));
  }

  CompletableFuture<Void> publish(String channel, byte[] payload) {
    return call(() ->
            options.useShardedPubSub()
                ? commands.async().spublish(bytes(channel), payload)
                : commands.async().publish(bytes(channel), payload))
        .thenApply(n -> null);
  }

  CompletableFuture<Integer> subscribers(String channel) {
    return call(() ->
            options.useShardedPubSub()
                ? commands.async().pubsubShardNumsub(bytes(channel))
                : commands.async().pubsubNumsub(bytes(channel)))
        .thenApply(
            counts -> {
              long n = 0;
              for (Long c : counts.values()) {
                n += c == null ? 0 : c;
              }
              return (int) Math.min(Integer.MAX_VALUE, n);
            });
  }

  CompletableFuture<Void> set(String key, String value, Duration ttl) {
    return call(() ->
            commands
                .async()
                .set(bytes(key), bytes(value), new SetArgs().px(Math.max(1, ttl.toMillis()))))
        .thenApply(ok -> null);
  }

  CompletableFuture<Optional<String>> getdel(String key) {
    return call(() -> commands.async().getdel(bytes(key)))
        .thenApply(v -> v == null ? Optional.empty() : Optional.of(text(v)));
  }

  /** Entries from {@code from} (inclusive) to the end of the stream, at most {@code count}. */
  CompletableFuture<List<Entry>> xrange(String stream, String from, String to, long count) {
    Range<String> range =
        Range.from(
            Range.Boundary.including(from),
            to == null ? Range.Boundary.unbounded() : Range.Boundary.including(to));
    return call(() -> commands.async().xrange(bytes(stream), range, Limit.from(count)))
        .thenApply(StreamsFactory::entries);
  }

  private <T> CompletableFuture<T> call(
      java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<T>> command) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("factory closed"));
    }
    try {
      return bounded(command.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> CompletableFuture<T> bounded(java.util.concurrent.CompletionStage<T> stage) {
    return LettuceSupport.bounded(stage, options.requestsTimeout());
  }

  /** A stream entry: its id and its fields as text. */
  record Entry(String id, Map<String, String> fields) {}

  private static List<Entry> entries(List<StreamMessage<byte[], byte[]>> messages) {
    List<Entry> out = new ArrayList<>(messages.size());
    for (StreamMessage<byte[], byte[]> m : messages) {
      Map<String, String> fields = new LinkedHashMap<>();
      m.getBody().forEach((k, v) -> fields.put(text(k), text(v)));
      out.add(new Entry(m.getId(), fields));
    }
    return out;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    readers.forEach(r -> closing.add(r.close()));
    closing.add(subscriber.closeAsync());
    closing.add(commands.closeAsync());
    executor.shutdownNow();
    // The client's shutdown closes what is still open: waiting first keeps it from closing the
    // same connections a second time.
    LettuceSupport.awaitQuietly(closing);
    release.run();
  }

  boolean isClosed() {
    return closed;
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed.
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[][] keys(List<String> channels) {
    byte[][] keys = new byte[channels.size()][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = bytes(channels.get(i));
    }
    return keys;
  }

  /**
   * The reading loop of one stream: {@code XREAD BLOCK <blockTime> COUNT <readCount> STREAMS
   * <stream> <last id>} again and again on its own connection; entries are handed over in order on
   * the factory's thread. Its state is confined to that thread (the first read is issued from the
   * constructor's thread, before any other).
   */
  private final class StreamReader {
    private final String stream;
    private final byte[] key;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private String offset = "$";
    private long retryMillis = MIN_RETRY_MILLIS;
    private boolean lost;

    StreamReader(String stream, StatefulRedisConnection<byte[], byte[]> connection) {
      this.stream = stream;
      this.key = bytes(stream);
      this.connection = connection;
    }

    void start() {
      try {
        executor.execute(this::read);
      } catch (RejectedExecutionException e) {
        // Closed.
      }
    }

    private void read() {
      if (closed) {
        return;
      }
      XReadArgs.StreamOffset<byte[]> from =
          offset.equals("$")
              ? XReadArgs.StreamOffset.latest(key)
              : XReadArgs.StreamOffset.from(key, offset);
      CompletableFuture<List<StreamMessage<byte[], byte[]>>> f;
      try {
        f =
            LettuceSupport.bounded(
                connection
                    .async()
                    .xread(
                        XReadArgs.Builder.block(options.blockTime()).count(options.readCount()),
                        from),
                LettuceSupport.blockingBound(options.blockTime()));
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenCompleteAsync(this::onRead, executor)
          .exceptionally(
              e -> {
                // The executor is gone: the factory closed.
                return null;
              });
    }

    private void onRead(List<StreamMessage<byte[], byte[]>> messages, Throwable error) {
      if (closed) {
        return;
      }
      if (error != null) {
        Throwable cause =
            error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        log.debug(
            "reading stream {} failed, retrying in {} ms: {}",
            stream,
            retryMillis,
            cause.toString());
        if (lost
            || cause instanceof TimeoutException
            || cause instanceof RedisCommandTimeoutException) {
          // The read got lost (a Redis that hangs, a half-open connection): a new connection, so
          // that reads do not queue up behind it.
          replaceConnection();
        }
        long delay = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        schedule(this::read, delay);
        return;
      }
      retryMillis = MIN_RETRY_MILLIS;
      if (messages != null) {
        for (StreamMessage<byte[], byte[]> m : messages) {
          Map<String, String> fields = new LinkedHashMap<>();
          m.getBody().forEach((k, v) -> fields.put(text(k), text(v)));
          String nsp = fields.get("nsp");
          if (nsp != null) {
            RedisStreamsAdapter adapter = byNamespace.get(nsp);
            if (adapter != null) {
              try {
                adapter.onStreamEntry(fields, m.getId());
              } catch (RuntimeException e) {
                log.warn("stream entry {} of {} failed", m.getId(), stream, e);
              }
            }
          }
          offset = m.getId();
        }
      }
      read();
    }

    private void replaceConnection() {
      connection.closeAsync();
      lost = true;
      try {
        connection = client.connect(CODEC);
        lost = false;
      } catch (RuntimeException e) {
        // Redis unreachable: the next read fails at once on the closed connection and comes back
        // here after the retry delay.
        log.debug("reconnecting the reader of {} failed: {}", stream, e.toString());
      }
    }

    CompletableFuture<Void> close() {
      return connection.closeAsync();
    }
  }
}
