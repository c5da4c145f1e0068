package dev.sio4j.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The official {@code @socket.io/redis-emitter} ({@code interop/js/redis-emitter.mjs}) in a Node
 * process, publishing to a cluster through one Redis server without being a Socket.IO server.
 *
 * <p>A command is a JSON object as the script's header describes, for example {@code
 * {"cmd":"emit","to":["r"],"event":"tick","args":[1]}}, {@code {"cmd":"socketsJoin","rooms":"x"}},
 * {@code {"cmd":"disconnectSockets","close":true}} or {@code
 * {"cmd":"serverSideEmit","event":"e","args":[...]}}; each may carry {@code nsp}, {@code to} and
 * {@code except}. Binary arguments are {@code {"$binary":"<base64>"}} ({@link #binary(byte[])}).
 * {@link #command(Object)} returns once Redis has taken the command's PUBLISH.
 *
 * <p>Thread-safety: safe from any thread; commands are serialised, each waiting for its own
 * completion.
 */
public final class NodeRedisEmitter implements AutoCloseable {

  /** The script, in {@code interop/js/}. */
  public static final String SCRIPT = "redis-emitter.mjs";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final NodeScript script;
  private final Object commandLock = new Object();
  // Guarded by commandLock.
  private long seq;

  private NodeRedisEmitter(NodeScript script) {
    this.script = script;
  }

  /** An emitter with the default key {@code socket.io}. */
  public static NodeRedisEmitter start(String redisUri) {
    return start(redisUri, "{}");
  }

  /**
   * Starts the emitter and waits until it is connected to Redis.
   *
   * @param optionsJson the Node {@code Emitter} options, e.g. {@code {"key":"other"}}
   * @throws AssertionError with the script's transcript if it is not connected within 20 seconds
   */
  public static NodeRedisEmitter start(String redisUri, String optionsJson) {
    Objects.requireNonNull(redisUri, "redisUri");
    Objects.requireNonNull(optionsJson, "optionsJson");
    NodeScript node =
        NodeScript.start(
            SCRIPT, redisUri, optionsJson, "--timeout=" + NodeServer.DEFAULT_LIFETIME.toSeconds());
    try {
      node.await("ready", STARTUP_TIMEOUT);
    } catch (AssertionError | RuntimeException e) {
      node.close();
      throw e;
    }
    return new NodeRedisEmitter(node);
  }

  /** {@code {"$binary": base64}}, how a binary argument is written in a command. */
  public static Map<String, String> binary(byte[] bytes) {
    return Map.of("$binary", Base64.getEncoder().encodeToString(bytes));
  }

  /**
   * Sends one command and waits until its messages are published.
   *
   * @param command a JSON object: a Jackson {@link ObjectNode}, a {@link Map}, a record...
   * @return how many Redis subscribers its PUBLISH calls reached (the nodes listening)
   * @throws AssertionError with the transcript if it is not done within 10 seconds
   */
  public long command(Object command) {
    JsonNode tree = MAPPER.valueToTree(command);
    if (!(tree instanceof ObjectNode object)) {
      throw new IllegalArgumentException("a command is a JSON object: " + tree);
    }
    synchronized (commandLock) {
      long mine = ++seq;
      ObjectNode copy = object.deepCopy();
      copy.put("seq", mine);
      script.send(copy.toString());
      JsonNode done = script.await("done", n -> n.path("seq").asLong() == mine, COMMAND_TIMEOUT);
      return done.path("receivers").asLong();
    }
  }

  /** The running script, for diagnostics. */
  public NodeScript script() {
    return script;
  }

  /** Stops the emitter. Idempotent. */
  @Override
  public void close() {
    script.close();
  }

  @Override
  public String toString() {
    return "NodeRedisEmitter[" + script + "]";
  }
}
