package dev.sio4j.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.util.CharsetUtil;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code capacity} workload: many concurrent WebSocket connections held by a cluster (the nodes
 * given by {@code --port}, one Redis), all in one room, then cluster-wide broadcasts that must
 * reach every one of them.
 *
 * <p>One process may hold only as many connections as its open-file limit allows, so the
 * connections are opened by several worker processes ({@code --workload capacity-worker}), which
 * this driver starts as children (same JVM and flags, and, being children, the same CPU affinity)
 * and talks to over their stdin and stdout, one line per message:
 *
 * <ul>
 *   <li>worker → driver {@code READY joined failed startNanos endNanos}: its share is connected and
 *       in the room ({@code failed} connections could not be opened or joined in time);
 *   <li>driver → worker {@code REPORT r}: broadcast {@code r} timed out, say what arrived;
 *   <li>worker → driver {@code DONE r count firstNanos lastNanos}: every joined connection of the
 *       worker received broadcast {@code r} (or, after {@code REPORT}, as many as did), with the
 *       first and last delivery's delay after the emit;
 *   <li>end of the worker's stdin: close everything and exit (so a worker never outlives a driver
 *       that died).
 * </ul>
 *
 * <p>The driver keeps one control connection per node, outside the room: it asks each node for its
 * own stats through it (a node can only report itself), and sends the broadcast from node 1's. The
 * emit time travels in the broadcast; the delay is measured against {@link System#nanoTime}, which
 * on Linux reads the system-wide monotonic clock, so the workers' readings are comparable with the
 * driver's. CPU is summed over {@code --pid} (the nodes in port order, then Redis) over each
 * broadcast's window, less the background CPU (pings of the held connections) measured just before
 * at the same rate. Every wait is bounded; a broadcast that does not reach everyone in time is
 * reported with the count that arrived.
 *
 * <p>Thread-safety: the driver runs on the main thread with one reader thread per worker feeding a
 * queue; a worker keeps all connection state on its event loop.
 */
final class Capacity {
  private static final String ROOM = "capacity";
  private static final byte[] TICK = "42[\"tick\",\"".getBytes(CharsetUtil.US_ASCII);

  private final LoadGen g;

  Capacity(LoadGen g) {
    this.g = g;
  }

  // ---- worker --------------------------------------------------------------------------------

  void worker() throws Exception {
    int n = g.intOpt("conns", 1000);
    int firstIndex = g.intOpt("first-index", 0);
    int concurrency = g.intOpt("concurrency", 64);
    long timeoutNanos = (long) (g.dblOpt("connect-timeout", 120) * 1e9);
    PrintStream out = System.out;
    // Per broadcast round: {count, first delay, last delay}, on the loop.
    Map<Integer, long[]> rounds = new HashMap<>();
    int[] joined = {0};
    int[] failed = {0};
    int[] started = {0};
    boolean[] readySent = {false};
    boolean[] isJoined = new boolean[n];
    CompletableFuture<Void> connected = new CompletableFuture<>();
    List<Conn> conns = new ArrayList<>(n);
    Runnable[] startOne = new Runnable[1];
    Conn.Listener l =
        new Conn.Listener() {
          @Override
          public void onReady(Conn c) {
            long id = g.requestIds++;
            c.request(
                id,
                "42" + id + "[\"join\",\"" + ROOM + "\"]",
                body -> {
                  if (!readySent[0]) {
                    isJoined[c.index - firstIndex] = true;
                    joined[0]++;
                    next();
                  }
                });
          }

          @Override
          public void onClosed(Conn c, Throwable cause) {
            if (readySent[0]) {
              // Held and lost afterwards: the broadcasts miss it, and say so.
              return;
            }
            // Closed before READY (refused, timed out, reset, even after joining): not held.
            int i = c.index - firstIndex;
            if (isJoined[i]) {
              isJoined[i] = false;
              joined[0]--;
            }
            failed[0]++;
            if (failed[0] <= 3) {
              line(
                  "capacity worker %d: connection %d lost before READY (%s): %s",
                  firstIndex, c.index, c.ready ? "connected" : "connecting", cause);
            }
            next();
          }

          private void next() {
            if (joined[0] + failed[0] == n) {
              connected.complete(null);
            } else if (started[0] < n && !readySent[0]) {
              startOne[0].run();
            }
          }

          @Override
          public void onOther(Conn c, ByteBuf in) {
            if (!Conn.startsWith(in, TICK)) {
              return;
            }
            long now = System.nanoTime();
            int i = in.readerIndex() + TICK.length;
            int round = 0;
            byte b;
            while ((b = in.getByte(i++)) != ':') {
              round = round * 10 + (b - '0');
            }
            long t0 = 0;
            while ((b = in.getByte(i++)) != '"') {
              t0 = t0 * 10 + (b - '0');
            }
            long delay = now - t0;
            long[] r = rounds.computeIfAbsent(round, k -> new long[] {0, Long.MAX_VALUE, 0});
            r[0]++;
            r[1] = Math.min(r[1], delay);
            r[2] = Math.max(r[2], delay);
            if (r[0] == joined[0] && readySent[0]) {
              done(out, round, r);
            }
          }
        };
    startOne[0] =
        () -> {
          Conn c = new Conn(Conn.Mode.SIO, firstIndex + started[0], l);
          started[0]++;
          conns.add(c);
          g.net.connectWs(c, LoadGen.SIO_WS);
        };
    long t0 = System.nanoTime();
    g.net.loop.execute(
        () -> {
          for (int i = 0; i < Math.min(concurrency, n); i++) {
            startOne[0].run();
          }
        });
    // Progress in the run's log, to tell a slow connect phase from a stuck one.
    io.netty.util.concurrent.ScheduledFuture<?> progress =
        g.net.loop.scheduleAtFixedRate(
            () ->
                line(
                    "capacity worker %d: %.0fs %d started, %d joined, %d failed",
                    firstIndex, (System.nanoTime() - t0) / 1e9, started[0], joined[0], failed[0]),
            10,
            10,
            TimeUnit.SECONDS);
    try {
      connected.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      line("capacity worker %d: connect timed out", firstIndex);
    }
    long t1 = System.nanoTime();
    progress.cancel(false);
    String ready =
        g.net.onLoop(
            () -> {
              readySent[0] = true;
              // Whatever did not join in time counts as failed, and goes: the count of connections
              // held, which each broadcast must reach, is fixed from here on.
              for (Conn c : conns) {
                if (!isJoined[c.index - firstIndex]) {
                  c.close();
                }
              }
              return "READY " + joined[0] + " " + (n - joined[0]) + " " + t0 + " " + t1;
            });
    out.println(ready);
    out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.trim().split(" ");
      if (f[0].equals("REPORT") && f.length == 2) {
        int round = Integer.parseInt(f[1]);
        g.net.onLoop(
            () -> {
              long[] r = rounds.getOrDefault(round, new long[] {0, 0, 0});
              done(out, round, r);
              return null;
            });
      }
    }
    g.stopping = true;
    g.net.onLoop(
        () -> {
          for (Conn c : conns) {
            c.close();
          }
          return null;
        });
    g.result.put("conns", joined[0]);
  }

  private static void done(PrintStream out, int round, long[] r) {
    out.println(
        "DONE " + round + " " + r[0] + " " + (r[0] == 0 ? 0 : r[1]) + " " + (r[0] == 0 ? 0 : r[2]));
    out.flush();
  }

  // ---- driver --------------------------------------------------------------------------------

  /** One worker process and the lines it printed, fed by its reader thread. */
  private static final class Worker {
    final int index;
    final Process process;
    final OutputStream stdin;

    Worker(int index, Process process) {
      this.index = index;
      this.process = process;
      this.stdin = process.getOutputStream();
    }

    void send(String line) {
      try {
        stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
      } catch (IOException e) {
        // The worker has gone: its missing answer shows up as a timeout.
      }
    }
  }

  /** A line from worker {@code index}; {@code line} null means its stdout closed. */
  private record Line(int index, String[] fields) {}

  void driver() throws Exception {
    int[] ports = g.net.ports;
    int nodes = ports.length;
    int conns = g.intOpt("conns", 1000);
    int perWorker = g.intOpt("per-worker", 17_000);
    int workers = g.intOpt("workers", Math.max(1, (conns + perWorker - 1) / perWorker));
    int sources = g.intOpt("sources", 2);
    int rounds = g.intOpt("broadcasts", 3);
    double connectTimeout = g.dblOpt("connect-timeout", 120);
    double deliverTimeout = g.dblOpt("deliver-timeout", 30);
    double settle = g.dblOpt("settle", 2);
    long[] nodePids = Arrays.copyOf(g.pids, Math.min(nodes, g.pids.length));
    g.result.put("variant", g.opts.getOrDefault("variant", conns + "-conns"));
    g.result.put("conns", conns);
    g.result.put("nodes", nodes);
    g.result.put("workers", workers);

    // One control connection per node (index k goes to node k), outside the room.
    List<Conn> control =
        g.openAll(nodes, 0, new Conn.Listener() {}, nodes).get(60, TimeUnit.SECONDS);
    // Warm-up batch, as in the idle workload: what a node allocates once for its first connect
    // burst (compiled code, the compiler's arenas) belongs to the baseline, not to the connections.
    int warm = g.intOpt("warm-conns", 0);
    if (warm > 0) {
      List<Conn> w = g.openAll(warm, nodes, new Conn.Listener() {}, 100).get(120, TimeUnit.SECONDS);
      g.closeAll(w);
    }
    log("%d control connections, %d warm-up connections done", nodes, warm);
    LoadGen.sleep(settle);
    long[] heap0 = new long[nodes];
    long rss0 = 0;
    for (int k = 0; k < nodes; k++) {
      heap0[k] = g.stats(control.get(k), true).getOrDefault("heapUsed", 0L);
      rss0 += Proc.rssBytes(nodePids[k]);
    }

    BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    List<Worker> ws = new ArrayList<>();
    try {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
      String cp = System.getProperty("java.class.path");
      for (int w = 0; w < workers; w++) {
        int from = (int) ((long) conns * w / workers);
        int to = (int) ((long) conns * (w + 1) / workers);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvm);
        cmd.addAll(
            List.of(
                "-cp",
                cp,
                LoadGen.class.getName(),
                "--workload",
                "capacity-worker",
                "--server",
                g.opts.getOrDefault("server", "unknown"),
                "--port",
                g.opts.getOrDefault("port", "3000"),
                "--conns",
                String.valueOf(to - from),
                "--first-index",
                String.valueOf(from),
                "--sources",
                String.valueOf(sources),
                // Each worker its own loopback source addresses (127.0.0.10 and up): a port bound
                // to an address is taken for every destination, so shared addresses would pool
                // all workers' connections in one ephemeral range.
                "--source-base",
                String.valueOf(10 + w * sources),
                "--concurrency",
                g.opts.getOrDefault("concurrency", "64"),
                "--connect-timeout",
                String.valueOf(connectTimeout)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Worker worker = new Worker(w, p);
        ws.add(worker);
        Thread reader =
            new Thread(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String s;
                    while ((s = r.readLine()) != null) {
                      lines.add(new Line(worker.index, s.trim().split(" ")));
                    }
                  } catch (IOException e) {
                    // Closed: the worker exited.
                  }
                  lines.add(new Line(worker.index, null));
                },
                "capacity-worker-" + w);
        reader.setDaemon(true);
        reader.start();
      }

      log("%d workers started", workers);
      // Connect phase: every worker says READY (or dies), within the connect timeout plus JVM
      // start-up.
      long held = 0;
      long failed = 0;
      long firstStart = Long.MAX_VALUE;
      long lastEnd = Long.MIN_VALUE;
      boolean[] ready = new boolean[workers];
      int readyCount = 0;
      long deadline = System.nanoTime() + (long) ((connectTimeout + 60) * 1e9);
      while (readyCount < workers) {
        Line line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          break;
        }
        if (line.fields() == null) {
          if (!ready[line.index()]) {
            ready[line.index()] = true;
            readyCount++;
            log("worker %d exited before READY", line.index());
          }
          continue;
        }
        if (line.fields()[0].equals("READY") && !ready[line.index()]) {
          String[] f = line.fields();
          ready[line.index()] = true;
          readyCount++;
          held += Long.parseLong(f[1]);
          failed += Long.parseLong(f[2]);
          firstStart = Math.min(firstStart, Long.parseLong(f[3]));
          lastEnd = Math.max(lastEnd, Long.parseLong(f[4]));
        }
      }
      g.result.put("held", held);
      g.result.put("connect_failed", conns - held);
      g.result.put(
          "connect_per_s", lastEnd > firstStart ? held / ((lastEnd - firstStart) / 1e9) : 0.0);
      log(
          "%d of %d connections held (%d failed), %.0f/s",
          held, conns, conns - held, g.result.get("connect_per_s"));

      LoadGen.sleep(settle);
      long heap1 = 0;
      long rss1 = 0;
      long serverConns = 0;
      for (int k = 0; k < nodes; k++) {
        Map<String, Long> s = g.stats(control.get(k), true);
        heap1 += s.getOrDefault("heapUsed", 0L) - heap0[k];
        serverConns += s.getOrDefault("connections", 0L) - 1; // less the control connection
        rss1 += Proc.rssBytes(nodePids[k]);
      }
      g.result.put("server_conns", serverConns);
      g.result.put("rss_mb", rss1 / 1048576.0);
      g.result.put("rss_per_conn", held == 0 ? Double.NaN : (double) (rss1 - rss0) / held);
      g.result.put("heap_per_conn", held == 0 ? Double.NaN : (double) heap1 / held);
      log(
          "nodes report %d connections; RSS %.0f MB (%.0f B/conn), heap %.0f B/conn",
          serverConns,
          rss1 / 1048576.0,
          g.result.get("rss_per_conn"),
          g.result.get("heap_per_conn"));

      // Background CPU of the held connections (pings), to take out of each broadcast's window.
      double idleSecs = g.dblOpt("idle-window", 2);
      double c0 = Proc.cpuSeconds(g.pids);
      long i0 = System.nanoTime();
      LoadGen.sleep(idleSecs);
      double idleRate = (Proc.cpuSeconds(g.pids) - c0) / ((System.nanoTime() - i0) / 1e9);
      g.result.put("idle_cpu_pct", idleRate * 100);

      // Broadcasts, one at a time.
      long reachedMin = Long.MAX_VALUE;
      long deliveries = 0;
      double cpu = 0;
      double[] firstMs = new double[rounds];
      double[] lastMs = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        LoadGen.sleep(r == 0 ? 0 : 1);
        double cpu0 = Proc.cpuSeconds(g.pids);
        long w0 = System.nanoTime();
        String body = r + ":" + System.nanoTime();
        g.net.onLoop(
            () -> {
              control.get(0).sendText("42[\"pub\",\"" + ROOM + "\",\"" + body + "\"]");
              return null;
            });
        long[] agg = collect(lines, ws, r, deliverTimeout);
        double secs = (System.nanoTime() - w0) / 1e9;
        // The first broadcast is the cold one (every node compiles the broadcast path, as the
        // single-node workloads' warm-ups absorb): its CPU is left out when there are others.
        if (r > 0 || rounds == 1) {
          cpu += Proc.cpuSeconds(g.pids) - cpu0 - idleRate * secs;
          deliveries += agg[0];
        }
        reachedMin = Math.min(reachedMin, agg[0]);
        firstMs[r] = agg[1] / 1e6;
        lastMs[r] = agg[2] / 1e6;
        log(
            "broadcast %d reached %d of %d held, first %.1f ms, last %.1f ms",
            r, agg[0], held, firstMs[r], lastMs[r]);
      }
      g.result.put("reached", rounds == 0 ? 0 : reachedMin);
      g.result.put("broadcasts", rounds);
      g.result.put("first_ms", median(firstMs));
      g.result.put("last_ms", median(lastMs));
      g.result.put("last_ms_round1", rounds == 0 ? Double.NaN : lastMs[0]);
      g.result.put("rate", median(lastMs) > 0 ? reachedMin / (median(lastMs) / 1e3) : 0.0);
      g.result.put("cpu_us_per_op", deliveries == 0 ? Double.NaN : cpu * 1e6 / deliveries);
      g.result.put("unit", "deliveries");
      if (held < conns || reachedMin < conns) {
        g.incomplete = true;
      }
    } finally {
      stopWorkers(ws);
      g.closeAll(control);
    }
  }

  /**
   * Waits for every worker's {@code DONE r}; after {@code timeout} seconds asks the late ones to
   * {@code REPORT} what they have. Returns {deliveries, first delay, last delay} in nanoseconds.
   */
  private static long[] collect(
      BlockingQueue<Line> lines, List<Worker> ws, int round, double timeout)
      throws InterruptedException {
    long count = 0;
    long first = Long.MAX_VALUE;
    long last = 0;
    boolean[] done = new boolean[ws.size()];
    int doneCount = 0;
    boolean asked = false;
    long deadline = System.nanoTime() + (long) (timeout * 1e9);
    while (doneCount < ws.size()) {
      long wait = deadline - System.nanoTime();
      Line line = wait > 0 ? lines.poll(wait, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        if (asked) {
          break; // the late workers did not even answer REPORT
        }
        asked = true;
        for (Worker w : ws) {
          if (!done[w.index]) {
            w.send("REPORT " + round);
          }
        }
        deadline = System.nanoTime() + 10_000_000_000L;
        continue;
      }
      String[] f = line.fields();
      if (f == null) {
        if (!done[line.index()]) {
          done[line.index()] = true;
          doneCount++;
        }
        continue;
      }
      if (f[0].equals("DONE") && Integer.parseInt(f[1]) == round && !done[line.index()]) {
        done[line.index()] = true;
        doneCount++;
        long c = Long.parseLong(f[2]);
        count += c;
        if (c > 0) {
          first = Math.min(first, Long.parseLong(f[3]));
          last = Math.max(last, Long.parseLong(f[4]));
        }
      }
    }
    return new long[] {count, first == Long.MAX_VALUE ? 0 : first, last};
  }

  private static void stopWorkers(List<Worker> ws) {
    for (Worker w : ws) {
      try {
        w.stdin.close();
      } catch (IOException e) {
        // Already gone.
      }
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    for (Worker w : ws) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!w.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          w.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        w.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final long T0 = System.nanoTime();

  /** Progress on stderr (the run's loadgen.log), with seconds since the driver started. */
  private static void log(String format, Object... args) {
    line(
        "capacity %6.1fs: %s",
        (System.nanoTime() - T0) / 1e9, String.format(java.util.Locale.ROOT, format, args));
  }

  /**
   * One whole line on stderr in one write: the driver and its workers share the log file, and a
   * line written in pieces would interleave with theirs.
   */
  private static void line(String format, Object... args) {
    System.err.print(String.format(java.util.Locale.ROOT, format, args) + "\n");
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
