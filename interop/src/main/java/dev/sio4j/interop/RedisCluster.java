package dev.sio4j.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real three-master Redis Cluster on 127.0.0.1 (no replicas), for the sharded pub/sub tests.
 *
 * <p>Each master is a {@link RedisServer} started with {@code --cluster-enabled yes} on a free
 * port, with its cluster bus on another free port (the default, port + 10000, can overflow for the
 * high ports the kernel hands out). The cluster is formed with {@code redis-cli --cluster create}
 * (the {@code redis-cli} next to {@code redis-server}, or the one named by the system property
 * {@value #CLI_PROPERTY}) and {@link #start()} returns once every node reports {@code
 * cluster_state:ok}.
 *
 * <p>Thread-safety: {@link #close()} is idempotent and safe from any thread; the nodes are {@link
 * RedisServer}s with their own guarantees.
 */
public final class RedisCluster implements AutoCloseable {

  /** System property naming the {@code redis-cli} executable. */
  public static final String CLI_PROPERTY = "sio4j.redis.cli";

  /** Number of masters. */
  public static final int SIZE = 3;

  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Starts three cluster-enabled masters, joins them into one cluster covering all 16384 slots and
   * waits until every node says the cluster is ok.
   *
   * @throws IllegalStateException if a node does not start, {@code redis-cli} fails, or the cluster
   *     is not ok within 20 seconds
   */
  public static RedisCluster start() {
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < SIZE; i++) {
        nodes.add(
            RedisServer.start(
                FreePort.find(),
                List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-node-timeout",
                    "5000",
                    "--cluster-port",
                    Integer.toString(FreePort.find()))));
      }
      create(nodes);
      awaitOk(nodes);
      return new RedisCluster(nodes);
    } catch (RuntimeException | Error e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  /** The masters, in the order of {@link #ports()}. */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /** The client ports of the masters. */
  public List<Integer> ports() {
    return nodes.stream().map(RedisServer::port).toList();
  }

  /** The masters' addresses, {@code redis://127.0.0.1:<port>} each. */
  public List<String> uris() {
    return nodes.stream().map(RedisServer::uri).toList();
  }

  /** Stops every node by its PID and deletes their directories. Idempotent. */
  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }

  @Override
  public String toString() {
    return "RedisCluster" + ports();
  }

  private static void create(List<RedisServer> nodes) {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty(CLI_PROPERTY, "redis-cli"));
    command.add("--cluster");
    command.add("create");
    for (RedisServer node : nodes) {
      command.add("127.0.0.1:" + node.port());
    }
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Path log = nodes.get(0).dir().resolve("cluster-create.log");
    Process cli;
    try {
      cli =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command.get(0), e);
    }
    try {
      if (!cli.waitFor(CREATE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
        cli.destroyForcibly();
        cli.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(
            "redis-cli --cluster create did not finish within " + CREATE_TIMEOUT + read(log));
      }
    } catch (InterruptedException e) {
      cli.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating the cluster", e);
    }
    if (cli.exitValue() != 0) {
      throw new IllegalStateException(
          "redis-cli --cluster create exited with " + cli.exitValue() + read(log));
    }
  }

  private static void awaitOk(List<RedisServer> nodes) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    for (RedisServer node : nodes) {
      while (true) {
        String info = String.valueOf(node.command("CLUSTER", "INFO"));
        if (info.contains("cluster_state:ok")) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "cluster not ok within " + READY_TIMEOUT + " on " + node + ":\n" + info);
        }
        try {
          // Bounded poll: the nodes gossip the new configuration; nobody notifies its arrival.
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted waiting for the cluster", e);
        }
      }
    }
  }

  private static String read(Path log) {
    try {
      return "\n--- redis-cli ---\n" + Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }
}
