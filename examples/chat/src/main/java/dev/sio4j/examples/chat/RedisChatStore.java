package dev.sio4j.examples.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's memory in Redis, shared by every node of a cluster. Keys, under a prefix ({@code
 * sio4j-chat} by default):
 *
 * <ul>
 *   <li>{@code <prefix>:rooms}: a sorted set of room names, scored in creation order (at most
 *       {@link #MAX_ROOMS});
 *   <li>{@code <prefix>:history:<room>}: a list of the room's last {@link #HISTORY} messages as
 *       JSON, trimmed at every post;
 *   <li>{@code <prefix>:nick:<nickname in lower case>}: who holds a nickname ({@code {nick, sid,
 *       token}}, the token as a SHA-256 digest), with an expiry of {@link #NICK_TTL} that the node
 *       holding the socket renews while it is connected. A node that stops releases its nicknames
 *       as its sockets disconnect; one that dies leaves them to expire.
 * </ul>
 *
 * <p>Each read-check-write is one Lua script, so two nodes never both win a nickname or create the
 * hundred-and-first room. Commands go through one Lettuce connection (pipelined, non-blocking);
 * each is bounded by a {@link #COMMAND_TIMEOUT}, and while Redis is unreachable at most {@link
 * #QUEUE} commands wait for it (then they fail at once).
 *
 * <p>Thread-safety: thread-safe. Futures complete on Lettuce's threads.
 */
final class RedisChatStore implements ChatStore {
  /** How long a nickname outlives the last renewal by its node. */
  static final Duration NICK_TTL = Duration.ofSeconds(30);

  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  static final int QUEUE = 10_000;

  /** A reservation whose socket has not connected (yet) is renewed for this long. */
  private static final long RESERVATION_NANOS = 10_000_000_000L;

  private static final long RENEW_EVERY_MS = NICK_TTL.toMillis() / 3;

  private static final Logger log = LoggerFactory.getLogger(RedisChatStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  // KEYS[1] the nickname; ARGV: socket id, token digest ('' for none), holder JSON, ttl in ms.
  private static final String RESERVE =
      "local current = redis.call('GET', KEYS[1])\n"
          + "if current then\n"
          + "  local owner = cjson.decode(current)\n"
          + "  if owner.sid ~= ARGV[1] then\n"
          + "    if ARGV[2] == '' or owner.token ~= ARGV[2] then return {'TAKEN'} end\n"
          + "    redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])\n"
          + "    return {'TAKEN_OVER', owner.sid}\n"
          + "  end\n"
          + "end\n"
          + "redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])\n"
          + "return {'OK'}\n";

  // KEYS[1] the nickname; ARGV[1] the socket id that must hold it.
  private static final String RELEASE =
      "local current = redis.call('GET', KEYS[1])\n"
          + "if current and cjson.decode(current).sid == ARGV[1] then\n"
          + "  return redis.call('DEL', KEYS[1])\n"
          + "end\n"
          + "return 0\n";

  // KEYS[1] the nickname; ARGV: the socket id that must hold it, ttl in ms.
  private static final String RENEW =
      "local current = redis.call('GET', KEYS[1])\n"
          + "if current and cjson.decode(current).sid == ARGV[1] then\n"
          + "  return redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
          + "end\n"
          + "return 0\n";

  // KEYS[1] the rooms; ARGV: the room, the most rooms. Rooms are never removed, so the number of
  // rooms so far is a creation sequence: the score that keeps them in creation order.
  private static final String ENSURE_ROOM =
      "if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end\n"
          + "local count = redis.call('ZCARD', KEYS[1])\n"
          + "if count >= tonumber(ARGV[2]) then return 0 end\n"
          + "redis.call('ZADD', KEYS[1], count, ARGV[1])\n"
          + "return 1\n";

  // KEYS[1] the history; ARGV: the message, how many to keep.
  private static final String POST =
      "redis.call('RPUSH', KEYS[1], ARGV[1])\n"
          + "redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)\n"
          + "return 1\n";

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final String prefix;
  private final Predicate<String> connectedHere;
  private final MessageIds ids = new MessageIds();
  private final ScheduledExecutorService renewals;

  /** The nicknames this node reserved: key to holder, renewed while their socket is here. */
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  private record Held(String socketId, long since) {}

  private RedisChatStore(
      RedisClient client,
      StatefulRedisConnection<String, String> connection,
      String prefix,
      Predicate<String> connectedHere) {
    this.client = client;
    this.connection = connection;
    this.redis = connection.async();
    this.prefix = prefix;
    this.connectedHere = connectedHere;
    this.renewals =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chat-nick-renewals");
              t.setDaemon(true);
              return t;
            });
    renewals.scheduleWithFixedDelay(
        this::renew, RENEW_EVERY_MS, RENEW_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Connects to Redis (waits for it: call it at start-up, not on an event loop) and makes sure the
   * default room exists.
   *
   * @param uri {@code redis://host:port} (Lettuce's URI syntax)
   * @param prefix the prefix of every key
   * @param connectedHere whether a socket id is connected to this node
   */
  static RedisChatStore connect(String uri, String prefix, Predicate<String> connectedHere) {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(COMMAND_TIMEOUT);
    RedisClient client = RedisClient.create(redisUri);
    client.setOptions(
        ClientOptions.builder()
            .requestQueueSize(QUEUE)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      RedisChatStore store = new RedisChatStore(client, connection, prefix, connectedHere);
      // Only the very first node creates it, first (score 0).
      connection.sync().zadd(store.roomsKey(), ZAddArgs.Builder.nx(), 0, DEFAULT_ROOM);
      return store;
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw e;
    }
  }

  @Override
  public CompletableFuture<Reservation> reserve(String nick, String token, String socketId) {
    String key = nickKey(nick);
    ObjectNode holder = JSON.createObjectNode();
    holder.put("nick", nick);
    holder.put("sid", socketId);
    String digest = token.isEmpty() ? "" : sha256(token);
    holder.put("token", digest);
    return redis
        .<List<Object>>eval(
            RESERVE,
            ScriptOutputType.MULTI,
            new String[] {key},
            socketId,
            digest,
            holder.toString(),
            Long.toString(NICK_TTL.toMillis()))
        .toCompletableFuture()
        .thenApply(
            answer -> {
              String outcome = String.valueOf(answer.get(0));
              if (outcome.equals("TAKEN")) {
                return Reservation.TAKEN;
              }
              held.put(key, new Held(socketId, System.nanoTime()));
              return outcome.equals("TAKEN_OVER")
                  ? Reservation.takenOver(String.valueOf(answer.get(1)))
                  : Reservation.OK;
            });
  }

  @Override
  public CompletableFuture<Void> release(String nick, String socketId) {
    String key = nickKey(nick);
    held.computeIfPresent(key, (k, h) -> h.socketId().equals(socketId) ? null : h);
    return redis
        .<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, socketId)
        .toCompletableFuture()
        .thenApply(deleted -> null);
  }

  @Override
  public CompletableFuture<Optional<Holder>> owner(String nick) {
    return redis
        .get(nickKey(nick))
        .toCompletableFuture()
        .thenApply(
            value -> {
              if (value == null) {
                return Optional.empty();
              }
              JsonNode holder = parse(value);
              return Optional.of(
                  new Holder(holder.path("nick").asText(), holder.path("sid").asText()));
            });
  }

  @Override
  public CompletableFuture<Boolean> ensureRoom(String room) {
    return redis
        .<Long>eval(
            ENSURE_ROOM,
            ScriptOutputType.INTEGER,
            new String[] {roomsKey()},
            room,
            Integer.toString(MAX_ROOMS))
        .toCompletableFuture()
        .thenApply(created -> created == 1L);
  }

  @Override
  public CompletableFuture<List<String>> roomNames() {
    return redis.zrange(roomsKey(), 0, -1).toCompletableFuture();
  }

  @Override
  public CompletableFuture<List<ChatMessage>> history(String room) {
    return redis
        .lrange(historyKey(room), -HISTORY, -1)
        .toCompletableFuture()
        .thenApply(
            lines -> {
              List<ChatMessage> messages = new ArrayList<>(lines.size());
              for (String line : lines) {
                try {
                  messages.add(JSON.readValue(line, ChatMessage.class));
                } catch (JsonProcessingException e) {
                  // Someone else's value under our prefix: skip it rather than lose the room.
                  log.debug("skipping a malformed history entry of {}: {}", room, e.getMessage());
                }
              }
              return messages;
            });
  }

  @Override
  public CompletableFuture<ChatMessage> post(String room, String from, String text) {
    ChatMessage m = new ChatMessage(ids.next(), room, from, "", text, System.currentTimeMillis());
    String json;
    try {
      json = JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return redis
        .<Long>eval(
            POST,
            ScriptOutputType.INTEGER,
            new String[] {historyKey(room)},
            json,
            Integer.toString(HISTORY))
        .toCompletableFuture()
        .thenApply(ok -> m);
  }

  @Override
  public ChatMessage privateMessage(String from, String to, String text) {
    return new ChatMessage(ids.next(), "", from, to, text, System.currentTimeMillis());
  }

  /** Renews the nicknames of the sockets still here; forgets the others (they expire). */
  private void renew() {
    long now = System.nanoTime();
    held.forEach(
        (key, h) -> {
          if (connectedHere.test(h.socketId()) || now - h.since() < RESERVATION_NANOS) {
            redis
                .<Long>eval(
                    RENEW,
                    ScriptOutputType.INTEGER,
                    new String[] {key},
                    h.socketId(),
                    Long.toString(NICK_TTL.toMillis()))
                .whenComplete(
                    (renewed, error) -> {
                      if (error != null) {
                        log.debug("renewing {} failed: {}", key, error.toString());
                      } else if (renewed == 0L) {
                        held.remove(key, h); // taken over by another page, or expired
                      }
                    });
          } else {
            held.remove(key, h);
          }
        });
  }

  @Override
  public void close() {
    renewals.shutdownNow();
    try {
      // Commands run in order on the one connection: once a PING is answered, the releases a
      // stopping server just sent are done, and other nodes may hand out those nicknames at once.
      redis.ping().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("Redis did not answer before closing: {}", e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      connection.close();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  String roomsKey() {
    return prefix + ":rooms";
  }

  String historyKey(String room) {
    return prefix + ":history:" + room;
  }

  String nickKey(String nick) {
    return prefix + ":nick:" + nick.toLowerCase(Locale.ROOT);
  }

  private static JsonNode parse(String value) {
    try {
      return JSON.readTree(value);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  private static String sha256(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
