package dev.sio4j.bench.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads another process's own accounting from {@code /proc}: CPU time (utime + stime of all its
 * threads) and resident set size.
 *
 * <p>Thread-safety: stateless.
 */
final class Proc {
  /** Linux's USER_HZ, the unit of utime/stime, is 100 on every mainstream architecture. */
  static final double TICKS_PER_SECOND = 100.0;

  private Proc() {}

  /** CPU seconds used so far by process {@code pid}, or NaN when unknown. */
  static double cpuSeconds(long pid) {
    if (pid <= 0) {
      return Double.NaN;
    }
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state); utime is field 14, stime field 15.
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds used so far by all of {@code pids} together, or NaN when one is unknown. */
  static double cpuSeconds(long[] pids) {
    double sum = 0;
    for (long p : pids) {
      sum += cpuSeconds(p);
    }
    return sum;
  }

  /**
   * CPU seconds used so far by the JIT compiler threads ({@code C1/C2 CompilerThread}) of {@code
   * pids}; 0 for processes that have none.
   */
  static double compilerCpuSeconds(long[] pids) {
    long ticks = 0;
    for (long pid : pids) {
      if (pid <= 0) {
        continue;
      }
      try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          try {
            String s = Files.readString(task.resolve("stat"));
            String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
            if (comm.contains("CompilerThre")) {
              String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
              ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
          } catch (IOException | RuntimeException e) {
            // A thread that ended meanwhile.
          }
        }
      } catch (IOException | RuntimeException e) {
        // A process that ended: nothing to wait for.
      }
    }
    return ticks / TICKS_PER_SECOND;
  }

  /**
   * Write-type system calls (write, writev, sendto, ...) made so far by process {@code pid}, from
   * {@code syscw} of {@code /proc/<pid>/io}, or -1 when unreadable (another user's process).
   */
  static long writeSyscalls(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
        if (line.startsWith("syscw:")) {
          return Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Resident set size of process {@code pid} in bytes, or -1. */
  static long rssBytes(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
