package dev.sio4j.examples.chat;

import dev.sio4j.interop.ProcessWatchdog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chat server as its own process ({@code ChatServer.main}, the jar's entry point, on this test
 * run's class path), for a test that stops the server and starts it again the way an operator does,
 * or crashes it ({@link #kill()}). A {@link ProcessWatchdog} kills it if the test JVM dies first.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
final class ChatProcess implements AutoCloseable {
  /** Bounds what is kept of its output (for failure messages); a node says little. */
  private static final int MAX_OUTPUT_LINES = 5_000;

  private final Process process;
  private final ProcessWatchdog watchdog;
  private final int port;
  private final List<String> output = new ArrayList<>();

  private ChatProcess(Process process, int port) {
    this.process = process;
    this.watchdog = ProcessWatchdog.watch(process, "sio4j-chat");
    this.port = port;
  }

  /**
   * Starts the server on 127.0.0.1:{@code port}, with more command-line options if given (e.g.
   * {@code --redis}), and waits for its READY line.
   */
  static ChatProcess start(int port, Duration timeout, String... options) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ChatServer.class.getName(),
                "--port",
                String.valueOf(port),
                "--host",
                "127.0.0.1"));
    command.addAll(List.of(options));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    ChatProcess chat;
    try {
      chat = new ChatProcess(builder.start(), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(
                          chat.process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  synchronized (chat.output) {
                    if (chat.output.size() < MAX_OUTPUT_LINES) {
                      chat.output.add(line);
                    }
                  }
                  if (line.contains("READY")) {
                    ready.complete(null);
                  }
                }
              } catch (IOException ignored) {
                // The process is gone; the wait below reports it.
              }
              ready.completeExceptionally(new IllegalStateException("exited before READY"));
            },
            "chat-process-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      chat.close();
      throw new AssertionError("chat server did not start: " + e + "\n" + chat.output(), e);
    }
    return chat;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Crashes it (SIGKILL to its PID: no shutdown hook runs) and waits until it is gone. */
  void kill() {
    watchdog.close();
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("chat pid " + process.pid() + " does not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** Stops it as Ctrl-C / SIGTERM would (a graceful close), forcibly after a few seconds. */
  @Override
  public void close() {
    watchdog.close();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
