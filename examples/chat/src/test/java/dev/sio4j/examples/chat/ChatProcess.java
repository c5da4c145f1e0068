package dev.sio4j.examples.chat;

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
 * run's class path), for a test that stops the server and starts it again the way an operator does.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
final class ChatProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new ArrayList<>();

  private ChatProcess(Process process) {
    this.process = process;
  }

  /** Starts the server on 127.0.0.1:{@code port} and waits for its READY line. */
  static ChatProcess start(int port, Duration timeout) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ChatServer.class.getName(),
                "--port",
                String.valueOf(port),
                "--host",
                "127.0.0.1")
            .redirectErrorStream(true);
    ChatProcess chat;
    try {
      chat = new ChatProcess(builder.start());
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
                    chat.output.add(line);
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

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** Stops it as Ctrl-C / SIGTERM would (a graceful close), forcibly after a few seconds. */
  @Override
  public void close() {
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
