package dev.sio4j.interop;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Kills a child process when this JVM dies in a way that runs no shutdown hook (SIGKILL, a crash, a
 * surefire fork timing out): a tiny shell blocked reading a pipe from this JVM, which sends SIGKILL
 * to the child's PID at end of file. Fixtures that start servers as processes (Redis, chat nodes, a
 * load balancer) pair each one with a watchdog, so that a dead test run leaves no server holding a
 * port.
 *
 * <p>{@link #close()} it before the child is stopped, so that it can never kill a recycled PID
 * later on.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} is idempotent.
 */
public final class ProcessWatchdog implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Process shell;

  private ProcessWatchdog(Process shell) {
    this.shell = shell;
  }

  /**
   * Watches {@code child}; {@code name} shows in {@code ps} as the shell's {@code $0}.
   *
   * <p>Without a shell the watchdog does nothing: it is only a safety net behind the fixtures' own
   * {@code close()} and shutdown hooks.
   */
  public static ProcessWatchdog watch(Process child, String name) {
    try {
      return new ProcessWatchdog(
          new ProcessBuilder(
                  "sh",
                  "-c",
                  "read -r line; kill -9 \"$1\" 2>/dev/null",
                  name + "-watchdog",
                  Long.toString(child.pid()))
              .redirectOutput(Redirect.DISCARD)
              .redirectError(Redirect.DISCARD)
              .start());
    } catch (IOException e) {
      return new ProcessWatchdog(null);
    }
  }

  /** Stops the watchdog (not the child) and waits up to 5 seconds for it to exit. */
  @Override
  public void close() {
    if (shell == null) {
      return;
    }
    shell.destroyForcibly();
    try {
      shell.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
