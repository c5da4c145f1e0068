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
   * CPU seconds used so far by the JIT compiler threads of process {@code pid} (a JVM's {@code C1
   * CompilerThread}s and {@code C2 CompilerThread}s; 0 for other processes), or NaN when unknown.
   * On a shared machine the compiler threads get little CPU and finish late, inside the measured
   * window: subtracting them gives the steady-state cost per operation.
   */
  static double jitCpuSeconds(long pid) {
    if (pid <= 0) {
      return Double.NaN;
    }
    long ticks = 0;
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String s;
        try {
          s = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
        if (comm.contains("CompilerThre")) {
          String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return ticks / TICKS_PER_SECOND;
  }

  /** {@link #jitCpuSeconds(long)} summed over {@code pids}. */
  static double jitCpuSeconds(long[] pids) {
    double sum = 0;
    for (long p : pids) {
      sum += jitCpuSeconds(p);
    }
    return sum;
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
