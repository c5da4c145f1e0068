package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Client-side recorder: callbacks append lines ("connect", "disconnect:io server disconnect"...);
 * tests await them by prefix. Also remembers which threads ran the callbacks.
 */
final class EventLog {
  private final List<String> lines = new ArrayList<>();
  private final Set<Integer> consumed = new HashSet<>();
  private final Set<String> threads = new HashSet<>();

  void add(String line) {
    synchronized (lines) {
      lines.add(line);
      threads.add(Thread.currentThread().getName());
      lines.notifyAll();
    }
  }

  /**
   * The first not yet awaited line equal to {@code key}, or starting with it when {@code key} ends
   * with {@code ':'}.
   */
  String await(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (int i = 0; i < lines.size(); i++) {
          if (!consumed.contains(i) && matches(lines.get(i), prefix)) {
            consumed.add(i);
            return lines.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("no '" + prefix + "' within " + timeout + "; saw " + lines);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lines, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  private static boolean matches(String line, String key) {
    return key.endsWith(":") ? line.startsWith(key) : line.equals(key);
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  List<String> lines(String prefix) {
    return lines().stream().filter(l -> l.startsWith(prefix)).toList();
  }

  Set<String> threads() {
    synchronized (lines) {
      return Set.copyOf(threads);
    }
  }
}
