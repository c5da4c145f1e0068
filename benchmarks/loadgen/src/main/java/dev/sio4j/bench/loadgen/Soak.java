package dev.sio4j.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.util.CharsetUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code soak} workload: many WebSocket connections held for a long time with mixed traffic,
 * the server sampled over time, and a verdict on growth.
 *
 * <p>{@code --conns} connections (spread over {@code --sources} loopback source addresses, as the
 * idle workload does) each join a home room ({@code --rooms} rooms); then, for {@code --duration}
 * seconds, a traffic task on the event loop sends, per second: {@code --echo-rate} {@code echo}
 * events with acks, {@code --pub-rate} {@code pub} broadcasts to a random room, {@code --join-rate}
 * {@code join}s of a random connection to one of its two rooms (so memberships stay bounded and
 * growth means a leak, not more state), and closes {@code --churn-rate} random connections and
 * opens a new one in each one's place, which joins its home room again. A control connection
 * outside the rooms asks the server for {@code stats} (heap after a full GC) every {@code --sample}
 * seconds; RSS, open files and threads come from {@code /proc/<pid>/} (status, fd, task).
 *
 * <p>Growth: the samples are cut into thirds; the first is warm-up (JIT, heap sizing, pools
 * filling), and the median of the last third is compared with the median of the second. The run
 * fails (exit status 3) when the heap after GC grew by more than 20% and 10 MB, RSS by more than
 * 25% and 32 MB, open files by more than 2% and 50, or threads by more than 2 (the JVM starts and
 * retires JIT compiler threads as it pleases); also when more than 1% of the connections were
 * dropped by the server, or more than 0.1% of the acks never came, or (when judged) more than 1% of
 * the replacement connections failed to open. {@code --growth-check off} (the quick run: too few
 * samples to judge) reports the growth without judging it; {@code --tolerance F} scales every
 * growth tolerance by F (a negative F fails any run: to check the check).
 *
 * <p>Thread-safety: connection and traffic state live on the load generator's event loop; the main
 * thread only samples and reads counters through {@link Net#onLoop}.
 */
final class Soak {
  private static final byte[] TICK = "42[\"tick\",\"".getBytes(CharsetUtil.US_ASCII);
  private static final double MB = 1024 * 1024;

  private final LoadGen g;
  private final SplittableRandom random = new SplittableRandom(15);

  private final Conn.Listener listener = listener();
  private Conn[] slots;
  private boolean[] opening;
  private int rooms;
  private String payload;

  // Counters, on the loop.
  private long echoesSent;
  private long acks;
  private long lost;
  private long ticks;
  private long joinsSent;
  private long joinAcks;
  private long pubs;
  private long reconnects;
  private long reconnectFailures;
  private long dropped;
  private boolean traffic;

  Soak(LoadGen g) {
    this.g = g;
  }

  /** One sample of the server. */
  private record Sample(
      double t, long heap, long rss, long fds, long threads, long serverConns, int held) {}

  void run() throws Exception {
    int conns = g.intOpt("conns", 10_000);
    double duration = g.dblOpt("duration", 600);
    double sampleEvery = g.dblOpt("sample", 10);
    boolean check = !"off".equals(g.opts.getOrDefault("growth-check", "on"));
    rooms = Math.max(1, g.intOpt("rooms", Math.max(1, conns / 100)));
    payload = "x".repeat(g.intOpt("payload", 16));
    double echoRate = g.dblOpt("echo-rate", 2000);
    double pubRate = g.dblOpt("pub-rate", 10);
    double joinRate = g.dblOpt("join-rate", 100);
    double churnRate = g.dblOpt("churn-rate", 50);
    long pid = g.pids[0];
    g.result.put("variant", g.opts.getOrDefault("variant", conns + "-conns"));
    g.result.put("conns", conns);

    List<Conn> control = g.openAll(1, conns, new Conn.Listener() {}, 1).get(30, TimeUnit.SECONDS);
    slots = new Conn[conns];
    opening = new boolean[conns];
    long t0 = System.nanoTime();
    List<Conn> all =
        g.openAll(conns, 0, listener, g.intOpt("concurrency", 200))
            .get((long) g.dblOpt("connect-timeout", 300), TimeUnit.SECONDS);
    g.result.put("connect_per_s", conns / ((System.nanoTime() - t0) / 1e9));
    g.net.onLoop(
        () -> {
          for (Conn c : all) {
            slots[c.index] = c;
            joinHome(c);
          }
          return null;
        });

    // The traffic task runs ten times a second; fractional per-tick counts carry over.
    double[] carry = new double[4];
    double[] rates = {echoRate / 10, pubRate / 10, joinRate / 10, churnRate / 10};
    g.net.onLoop(() -> traffic = true);
    ScheduledFuture<?> task =
        g.net.loop.scheduleAtFixedRate(
            () -> {
              if (!traffic) {
                return;
              }
              int[] n = new int[4];
              for (int k = 0; k < 4; k++) {
                carry[k] += rates[k];
                n[k] = (int) carry[k];
                carry[k] -= n[k];
              }
              tick(n[0], n[1], n[2], n[3]);
            },
            100,
            100,
            TimeUnit.MILLISECONDS);

    List<Sample> samples = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + (long) (duration * 1e9);
    long next = start;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (now < next) {
        Thread.sleep(Math.min((next - now) / 1_000_000 + 1, (end - now) / 1_000_000 + 1));
        continue;
      }
      next += (long) (sampleEvery * 1e9);
      Map<String, Long> st = g.stats(control.get(0), true);
      int held = g.net.onLoop(this::held);
      Sample s =
          new Sample(
              (System.nanoTime() - start) / 1e9,
              st.getOrDefault("heapUsed", -1L),
              Proc.rssBytes(pid),
              count(pid, "fd"),
              count(pid, "task"),
              st.getOrDefault("connections", -1L),
              held);
      samples.add(s);
      System.err.printf(
          Locale.ROOT,
          "soak t=%.0fs heap=%.1fMB rss=%.1fMB fds=%d threads=%d server_conns=%d held=%d%n",
          s.t,
          s.heap / MB,
          s.rss / MB,
          s.fds,
          s.threads,
          s.serverConns,
          s.held);
    }
    double secs = (System.nanoTime() - start) / 1e9;

    // Stop the traffic, then give the acks in flight a bounded time to arrive.
    g.net.onLoop(() -> traffic = false);
    task.cancel(false);
    for (int i = 0; i < 50; i++) {
      if (g.net.onLoop(() -> echoesSent - acks - lost) <= 0) {
        break;
      }
      Thread.sleep(100);
    }
    long[] c =
        g.net.onLoop(
            () ->
                new long[] {
                  echoesSent,
                  acks,
                  lost,
                  ticks,
                  joinsSent,
                  joinAcks,
                  pubs,
                  reconnects,
                  reconnectFailures,
                  dropped
                });
    long unacked = c[0] - c[1] - c[2];
    g.result.put("secs", secs);
    g.result.put("samples", samples.size());
    g.result.put("held_min", samples.stream().mapToInt(Sample::held).min().orElse(0));
    g.result.put("echo_per_s", c[1] / secs);
    g.result.put("deliveries_per_s", c[3] / secs);
    g.result.put("pubs", c[6]);
    g.result.put("joins", c[5]);
    g.result.put("reconnects", c[7]);
    g.result.put("reconnect_failures", c[8]);
    g.result.put("dropped", c[9]);
    g.result.put("unacked", unacked);

    List<String> failures = new ArrayList<>();
    if (c[9] > conns / 100) {
      failures.add("dropped");
    }
    if (unacked > Math.max(1, c[0] / 1000)) {
      failures.add("unacked");
    }
    // Replacements that never became ready: on a loaded machine some handshakes time out, so only
    // a judged run counts them.
    if (check && c[8] > Math.max(1, c[7] / 100)) {
      failures.add("reconnects");
    }
    int third = samples.size() / 3;
    if (third >= 1) {
      List<Sample> mid = samples.subList(third, 2 * third);
      List<Sample> last = samples.subList(samples.size() - third, samples.size());
      growth("heap", mid, last, Sample::heap, 0.20, 10 * MB, true, failures, check);
      growth("rss", mid, last, Sample::rss, 0.25, 32 * MB, true, failures, check);
      growth("fds", mid, last, Sample::fds, 0.02, 50, false, failures, check);
      growth("threads", mid, last, Sample::threads, 0, 2, false, failures, check);
    } else {
      g.result.put("growth", "too_few_samples");
    }
    StringBuilder series = new StringBuilder();
    for (Sample s : samples) {
      series
          .append(series.length() == 0 ? "" : ";")
          .append(
              String.format(
                  Locale.ROOT,
                  "%.0f,%.1f,%.1f,%d,%d,%d,%d",
                  s.t,
                  s.heap / MB,
                  s.rss / MB,
                  s.fds,
                  s.threads,
                  s.serverConns,
                  s.held));
    }
    g.result.put("check", check ? "on" : "off");
    g.result.put("verdict", failures.isEmpty() ? "ok" : "FAIL:" + String.join(",", failures));
    g.result.put("series", series.toString());
    if (!failures.isEmpty()) {
      g.incomplete = true;
    }
    g.stopping = true;
    g.net.onLoop(
        () -> {
          for (Conn k : slots) {
            if (k != null) {
              k.closing = true;
              k.close();
            }
          }
          return null;
        });
    g.closeAll(control);
  }

  /**
   * Compares the medians of the two thirds: growth beyond both the relative and the absolute
   * tolerance fails (when {@code check}). Adds {@code <name>_mid}, {@code <name>_last} to the
   * result.
   */
  private void growth(
      String name,
      List<Sample> mid,
      List<Sample> last,
      java.util.function.ToLongFunction<Sample> f,
      double rel,
      double abs,
      boolean megabytes,
      List<String> failures,
      boolean check) {
    double m = median(mid, f);
    double l = median(last, f);
    double scale = megabytes ? MB : 1;
    g.result.put(
        name,
        String.format(Locale.ROOT, megabytes ? "%.1f>%.1f" : "%.0f>%.0f", m / scale, l / scale));
    double factor = g.dblOpt("tolerance", 1);
    if (check && m >= 0 && l - m > factor * Math.max(rel * m, abs)) {
      failures.add(name);
    }
  }

  private static double median(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
    long[] v = samples.stream().mapToLong(f).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  private static long count(long pid, String dir) {
    try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/" + dir))) {
      return s.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private int held() {
    int n = 0;
    for (Conn c : slots) {
      if (live(c)) {
        n++;
      }
    }
    return n;
  }

  private static boolean live(Conn c) {
    return c != null && c.ready && !c.closed && !c.closing;
  }

  private Conn.Listener listener() {
    return new Conn.Listener() {
      @Override
      public void onReady(Conn c) {
        // Initial connections join once all are open (run); replacements join their home room
        // here.
        if (slots != null && opening[c.index]) {
          opening[c.index] = false;
          slots[c.index] = c;
          reconnects++;
          joinHome(c);
        }
      }

      @Override
      public void onOther(Conn c, ByteBuf in) {
        if (Conn.startsWith(in, TICK)) {
          ticks++;
        }
      }

      @Override
      public void onClosed(Conn c, Throwable cause) {
        if (c.closing || g.stopping) {
          return;
        }
        if (!c.ready) {
          // A replacement that never became ready: its slot is reopened by a later churn tick.
          reconnectFailures++;
          opening[c.index] = false;
          return;
        }
        dropped++;
        lost += c.echoPending;
      }
    };
  }

  /** The home room of slot {@code i}, and a second one the join traffic alternates with. */
  private String room(int i, int which) {
    return "r" + Math.floorMod(i + which * 7, rooms);
  }

  private void joinHome(Conn c) {
    join(c, room(c.index, 0));
  }

  private void join(Conn c, String room) {
    long id = g.requestIds++;
    joinsSent++;
    c.request(id, "42" + id + "[\"join\",\"" + room + "\"]", body -> joinAcks++);
  }

  private Conn pick() {
    for (int tries = 0; tries < 8; tries++) {
      Conn c = slots[random.nextInt(slots.length)];
      if (live(c)) {
        return c;
      }
    }
    return null;
  }

  /** One traffic step on the loop. */
  private void tick(int echoes, int pubCount, int joins, int churn) {
    List<Conn> touched = new ArrayList<>();
    for (int i = 0; i < echoes; i++) {
      Conn c = pick();
      if (c == null) {
        continue;
      }
      long id = g.requestIds++;
      echoesSent++;
      c.echoPending++;
      c.requestWrite(
          id,
          "42" + id + "[\"echo\",\"" + payload + "\"]",
          body -> {
            acks++;
            c.echoPending--;
          });
      touched.add(c);
    }
    for (int i = 0; i < pubCount; i++) {
      Conn c = pick();
      if (c == null) {
        continue;
      }
      pubs++;
      c.sendText("42[\"pub\",\"" + room(random.nextInt(rooms), 0) + "\",\"" + payload + "\"]");
    }
    for (int i = 0; i < joins; i++) {
      Conn c = pick();
      if (c != null) {
        join(c, room(c.index, random.nextInt(2)));
      }
    }
    for (Conn c : touched) {
      if (!c.closed) {
        c.flush();
      }
    }
    for (int i = 0; i < churn; i++) {
      Conn c = pick();
      if (c == null) {
        continue;
      }
      c.closing = true;
      lost += c.echoPending;
      c.close();
      reopen(c.index);
    }
    // Slots whose replacement failed, or whose connection the server dropped, are reopened a few
    // at a time.
    int budget = Math.max(1, churn);
    for (int i = 0; i < slots.length && budget > 0; i++) {
      Conn c = slots[i];
      if (!opening[i] && c != null && c.closed) {
        reopen(i);
        budget--;
      }
    }
  }

  private void reopen(int index) {
    opening[index] = true;
    g.net.connectWs(new Conn(Conn.Mode.SIO, index, listener), LoadGen.SIO_WS);
  }
}
