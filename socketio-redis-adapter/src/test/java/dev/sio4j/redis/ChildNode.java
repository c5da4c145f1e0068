package dev.sio4j.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@link ClusterNodeMain} in a child JVM. */
final class ChildNode implements AutoCloseable {
  final Process process;
  final int port;
  final Path log;

  private ChildNode(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ChildNode start(String redisUri) throws Exception {
    return start("streams", redisUri);
  }

  /** A node of {@code kind} ("streams" or "sharded"). */
  static ChildNode start(String kind, String redisUri) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("sio4j-child-node-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    ClusterNodeMain.class.getName(),
                    kind,
                    redisUri))
            .redirectError(log.toFile());
    Process p = pb.start();
    CompletableFuture<Integer> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.startsWith("READY ")) {
                    return Integer.parseInt(line.substring(6).trim());
                  }
                }
                throw new IllegalStateException("the child node ended before READY");
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      return new ChildNode(p, ready.get(30, TimeUnit.SECONDS), log);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("the child node did not start: " + Files.readString(log), e);
    }
  }

  /** SIGTERM, and waits for the JVM to run its shutdown hooks and exit. */
  void terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child node did not stop on SIGTERM");
    }
  }

  /** SIGSTOP: the JVM freezes, its connections stay open (a hung node). */
  void freeze() throws Exception {
    signal("STOP");
  }

  /** SIGCONT. */
  void thaw() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " failed");
    }
  }

  /** SIGKILL: nothing runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
    File f = log.toFile();
    f.delete();
  }
}
