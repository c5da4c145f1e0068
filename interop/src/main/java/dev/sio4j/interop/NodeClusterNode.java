package dev.sio4j.interop;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A Node {@code socket.io} 4.8 cluster node ({@code interop/js/cluster-node.mjs}) on 127.0.0.1 and
 * a free port, joined to a Redis-backed cluster through the official Node adapter of the given
 * kind, and running the cluster test app (the same protocol as {@code
 * dev.sio4j.testing.ClusterApp}: {@code join}, {@code pub}, {@code count}, {@code sse}, {@code
 * whoami}... on namespace {@code /}; see the script header).
 *
 * <p>{@link #start} returns once the node listens and its adapter is subscribed, so a message
 * another node publishes right after cannot be missed. {@link #kill()} simulates a crashed node;
 * {@link #close()} stops it cleanly. The node also exits by itself when this JVM goes away (its
 * stdin closes) or after {@link NodeServer#DEFAULT_LIFETIME}.
 *
 * <p>Thread-safety: safe from any thread, like the {@link NodeScript} it wraps.
 */
public final class NodeClusterNode implements AutoCloseable {

  /** The script, in {@code interop/js/}. */
  public static final String SCRIPT = "cluster-node.mjs";

  /** {@code @socket.io/redis-adapter} {@code createAdapter} (classic pub/sub). */
  public static final String REDIS = "redis";

  /** {@code @socket.io/redis-adapter} {@code createShardedAdapter} (SPUBLISH/SSUBSCRIBE). */
  public static final String REDIS_SHARDED = "redis-sharded";

  /** {@code @socket.io/redis-streams-adapter}, with connection state recovery on. */
  public static final String REDIS_STREAMS = "redis-streams";

  /** Every adapter kind the script knows. */
  public static final List<String> ADAPTERS = List.of(REDIS, REDIS_SHARDED, REDIS_STREAMS);

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private final NodeScript script;
  private final String adapter;
  private final int port;

  private NodeClusterNode(NodeScript script, String adapter, int port) {
    this.script = script;
    this.adapter = adapter;
    this.port = port;
  }

  /** A node with default options on one Redis server. */
  public static NodeClusterNode start(String adapter, String redisUri) {
    return start(adapter, List.of(redisUri), "{}");
  }

  /**
   * A node on one Redis server.
   *
   * @param optionsJson socket.io server options overriding the defaults, plus {@code "adapter":
   *     {...}} for the adapter's options, e.g. {@code {"adapter":{"requestsTimeout":2000}}}
   */
  public static NodeClusterNode start(String adapter, String redisUri, String optionsJson) {
    return start(adapter, List.of(redisUri), optionsJson);
  }

  /**
   * Starts a node on a free port and waits until it listens with its adapter subscribed.
   *
   * @param adapter one of {@link #ADAPTERS}
   * @param redisUris one {@code redis://} address, or several for a Redis Cluster (the Node
   *     client's {@code createCluster}), e.g. {@link RedisCluster#uris()}
   * @param optionsJson see {@link #start(String, String, String)}
   * @throws AssertionError with the node's transcript if it is not ready within 20 seconds
   */
  public static NodeClusterNode start(String adapter, List<String> redisUris, String optionsJson) {
    if (!ADAPTERS.contains(adapter)) {
      throw new IllegalArgumentException("adapter must be one of " + ADAPTERS + ": " + adapter);
    }
    if (redisUris.isEmpty()) {
      throw new IllegalArgumentException("no redis address");
    }
    Objects.requireNonNull(optionsJson, "optionsJson");
    int port = FreePort.find();
    NodeScript node =
        NodeScript.start(
            SCRIPT,
            Integer.toString(port),
            adapter,
            String.join(",", redisUris),
            optionsJson,
            "--timeout=" + NodeServer.DEFAULT_LIFETIME.toSeconds());
    try {
      node.await("listening", STARTUP_TIMEOUT);
    } catch (AssertionError | RuntimeException e) {
      node.close();
      throw e;
    }
    return new NodeClusterNode(node, adapter, port);
  }

  /** The HTTP port it listens on (what {@code whoami} acks). */
  public int port() {
    return port;
  }

  /** Its base URL, {@code http://127.0.0.1:<port>}, for clients. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The adapter kind it was started with. */
  public String adapter() {
    return adapter;
  }

  /** The running script: its events ({@code connection}, {@code sse}, {@code redis_error}...). */
  public NodeScript script() {
    return script;
  }

  /** Whether the node process is running. */
  public boolean isAlive() {
    return script.isAlive();
  }

  /**
   * Kills the node at once (SIGKILL), as a crash would: its clients see their connection drop and
   * the cluster hears nothing from it any more.
   */
  public void kill() {
    script.kill();
  }

  /** Stops the node. Idempotent. */
  @Override
  public void close() {
    script.close();
  }

  @Override
  public String toString() {
    return "NodeClusterNode[" + adapter + ", " + url() + ", " + script + "]";
  }
}
