package dev.sio4j.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines recorded by server-side callbacks (often on event loops), awaited by the test thread: each
 * {@link #await} takes the first not yet taken line with the prefix, leaving the others.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Events {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final List<String> all = new ArrayList<>();
  private final List<String> pending = new ArrayList<>();

  synchronized void add(String line) {
    all.add(line);
    pending.add(line);
    notifyAll();
  }

  /** Takes the first pending line starting with {@code prefix}, waiting for it. */
  synchronized String await(String prefix) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (int i = 0; i < pending.size(); i++) {
        if (pending.get(i).startsWith(prefix)) {
          return pending.remove(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no line starting with '" + prefix + "' in " + all);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Every line recorded so far, in order. */
  synchronized List<String> lines() {
    return List.copyOf(all);
  }

  /** Every line with this prefix so far. */
  synchronized List<String> lines(String prefix) {
    List<String> out = new ArrayList<>();
    for (String l : all) {
      if (l.startsWith(prefix)) {
        out.add(l);
      }
    }
    return out;
  }
}
