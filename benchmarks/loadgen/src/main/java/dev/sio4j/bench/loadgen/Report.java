package dev.sio4j.bench.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code RESULT} lines of a run into the table run.sh prints: absolute numbers per server
 * and, per workload, our ratios to each peer from the same run; then the one machine-readable
 * {@code ratios:} line.
 *
 * <p>Ratios are oriented so that "higher is better for us", except memory: for CPU-bound work it is
 * peer CPU time per operation divided by ours (2.0 = we spend half the CPU); for memory it is our
 * bytes per connection divided by the peer's (0.5 = we use half).
 *
 * <p>Thread-safety: a main class.
 */
final class Report {
  private static final List<String> SERVERS =
      List.of("ours", "node", "nettysio", "raw", "raw-coalesce");
  private static final Map<String, String[][]> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put(
        "echo",
        new String[][] {
          {"rate", "acks/s"},
          {"cpu_pct", "cpu%"},
          {"cpu_us_per_op", "cpu_us/ack"},
          {"p50_us", "p50_us"},
          {"p99_us", "p99_us"}
        });
    COLUMNS.put(
        "broadcast",
        new String[][] {
          {"rate", "deliv/s"},
          {"cpu_pct", "cpu%"},
          {"cpu_us_per_op", "cpu_us/deliv"},
          {"first_p50_us", "1st_p50_us"},
          {"first_p99_us", "1st_p99_us"},
          {"last_p50_us", "last_p50_us"},
          {"last_p99_us", "last_p99_us"}
        });
    COLUMNS.put(
        "cluster-broadcast",
        new String[][] {
          {"rate", "deliv/s"},
          {"cpu_pct", "cpu%"},
          {"cpu_us_per_op", "cpu_us/deliv"},
          {"deliveries_per_broadcast", "deliv/bcast"},
          {"first_p50_us", "1st_p50_us"},
          {"last_p50_us", "last_p50_us"},
          {"last_p99_us", "last_p99_us"}
        });
    COLUMNS.put(
        "idle",
        new String[][] {
          {"conns", "conns"},
          {"server_conns", "srv_conns"},
          {"rss_mb", "rss_MB"},
          {"rss_per_conn", "rss_B/conn"},
          {"heap_per_conn", "heap_B/conn"},
          {"connect_per_s", "conn/s"}
        });
    COLUMNS.put(
        "capacity",
        new String[][] {
          {"nodes", "nodes"},
          {"held", "held"},
          {"reached", "reached"},
          {"first_ms", "1st_ms"},
          {"last_ms", "last_ms"},
          {"cpu_us_per_op", "cpu_us/deliv"},
          {"rss_per_conn", "rss_B/conn"},
          {"heap_per_conn", "heap_B/conn"},
          {"connect_per_s", "conn/s"}
        });
    // Growth columns are "median of the second third > median of the last third" of the samples.
    COLUMNS.put(
        "soak",
        new String[][] {
          {"held_min", "held_min"},
          {"echo_per_s", "acks/s"},
          {"deliveries_per_s", "deliv/s"},
          {"reconnects", "reconnects"},
          {"reconnect_failures", "reconn_fail"},
          {"heap", "heap_MB"},
          {"rss", "rss_MB"},
          {"fds", "fds"},
          {"threads", "threads"},
          {"verdict", "verdict"}
        });
    COLUMNS.put(
        "handshake",
        new String[][] {
          {"rate", "hs/s"}, {"cpu_pct", "cpu%"}, {"cpu_us_per_op", "cpu_us/hs"},
          {"p50_us", "p50_us"}, {"p99_us", "p99_us"}, {"failures", "fail"}
        });
    COLUMNS.put(
        "polling",
        new String[][] {
          {"rate", "echo/s"},
          {"requests_per_s", "req/s"},
          {"cpu_pct", "cpu%"},
          {"cpu_us_per_op", "cpu_us/echo"},
          {"cpu_us_per_request", "cpu_us/req"},
          {"p50_us", "p50_us"},
          {"p99_us", "p99_us"}
        });
  }

  private Report() {}

  public static void main(String[] argv) {
    List<Map<String, String>> results = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of(argv[0]))) {
        int at = line.indexOf("RESULT ");
        if (at < 0) {
          continue;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.substring(at + 7).trim().split(" ")) {
          int eq = kv.indexOf('=');
          if (eq > 0) {
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        }
        results.add(m);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.out.print(render(results));
  }

  static String render(List<Map<String, String>> results) {
    StringBuilder out = new StringBuilder();
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (Map.Entry<String, String[][]> section : COLUMNS.entrySet()) {
      String workload = section.getKey();
      String[][] cols = section.getValue();
      Set<String> variants = new LinkedHashSet<>();
      for (Map<String, String> r : results) {
        if (workload.equals(r.get("workload"))) {
          variants.add(r.getOrDefault("variant", "-"));
        }
      }
      if (variants.isEmpty()) {
        continue;
      }
      out.append('\n').append("== ").append(workload).append(" ==\n");
      // Variant names longer than the usual 16 columns (the cluster's adapter kinds) widen theirs.
      int width = 16;
      for (String v : variants) {
        width = Math.max(width, v.length());
      }
      String head = "%-" + width + "s %-12s";
      out.append(String.format(Locale.ROOT, head, "variant", "server"));
      for (String[] c : cols) {
        out.append(String.format(Locale.ROOT, " %12s", c[1]));
      }
      out.append('\n');
      for (String variant : variants) {
        Map<String, Map<String, String>> byServer = new LinkedHashMap<>();
        for (Map<String, String> r : results) {
          if (workload.equals(r.get("workload"))
              && variant.equals(r.getOrDefault("variant", "-"))) {
            byServer.put(r.get("server"), r);
          }
        }
        for (String server : order(byServer.keySet())) {
          Map<String, String> r = byServer.get(server);
          out.append(String.format(Locale.ROOT, head, variant, server));
          if (!"ok".equals(r.get("status"))) {
            out.append("  ")
                .append(r.getOrDefault("status", "?"))
                .append(": ")
                .append(r.getOrDefault("reason", ""))
                .append('\n');
            continue;
          }
          for (String[] c : cols) {
            out.append(String.format(Locale.ROOT, " %12s", num(r.get(c[0]))));
          }
          out.append('\n');
        }
        if (workload.equals("soak")) {
          soakSeries(out, byServer);
          continue;
        }
        Map<String, String> ours = byServer.get("ours");
        if (ours == null || !"ok".equals(ours.get("status"))) {
          continue;
        }
        StringBuilder line = new StringBuilder();
        for (String peer : order(byServer.keySet())) {
          Map<String, String> p = byServer.get(peer);
          if (peer.equals("ours") || !"ok".equals(p.get("status"))) {
            continue;
          }
          if (workload.equals("idle")) {
            double rss = div(d(ours, "rss_per_conn"), d(p, "rss_per_conn"));
            double heap = div(d(ours, "heap_per_conn"), d(p, "heap_per_conn"));
            line.append(
                String.format(
                    Locale.ROOT, "  vs %s: rss/conn x%s heap/conn x%s;", peer, r2(rss), r2(heap)));
            if (peer.equals("node") && !variant.startsWith("max")) {
              ratios.merge("memory_vs_node", rss, (a, b) -> a);
            }
          } else if (workload.equals("capacity")) {
            // A peer that did not hold or reach everyone is compared on what it did reach.
            double cpu = div(d(p, "cpu_us_per_op"), d(ours, "cpu_us_per_op"));
            double rss = div(d(ours, "rss_per_conn"), d(p, "rss_per_conn"));
            double heap = div(d(ours, "heap_per_conn"), d(p, "heap_per_conn"));
            line.append(
                String.format(
                    Locale.ROOT,
                    "  vs %s: cpu/deliv x%s rss/conn x%s heap/conn x%s (%s held %s, reached %s);",
                    peer,
                    r2(cpu),
                    r2(rss),
                    r2(heap),
                    peer,
                    num(p.get("held")),
                    num(p.get("reached"))));
            if (peer.equals("node")) {
              ratios.merge("capacity_vs_node", cpu, (x, y) -> x);
            }
          } else {
            double cpu = div(d(p, "cpu_us_per_op"), d(ours, "cpu_us_per_op"));
            double rate = div(d(ours, "rate"), d(p, "rate"));
            line.append(
                String.format(
                    Locale.ROOT, "  vs %s: cpu/op x%s throughput x%s;", peer, r2(cpu), r2(rate)));
            String key = ratioKey(workload, peer);
            if (key != null) {
              geo(ratios, key, cpu);
            }
            String perVariant = broadcastKey(workload, variant, peer);
            if (perVariant != null) {
              ratios.put(perVariant, cpu);
            }
          }
        }
        if (line.length() > 0) {
          out.append(String.format(Locale.ROOT, head, variant, "ratios")).append(line);
          out.append('\n');
        }
      }
    }
    out.append('\n').append("ratios:");
    for (String key :
        List.of(
            "echo_vs_node",
            "echo_vs_netty",
            "broadcast_vs_node",
            "memory_vs_node",
            "handshake_vs_node",
            "polling_vs_node",
            "cluster_broadcast_vs_node",
            "capacity_vs_node")) {
      out.append(' ').append(key).append('=').append(finish(ratios, key));
    }
    // Broadcast per window: against Node and against the coalescing raw floor (>= 0.91 is within
    // 1.1x of it).
    for (String key : ratios.keySet()) {
      if (key.startsWith("broadcast_w")) {
        out.append(' ').append(key).append('=').append(r2(ratios.get(key)));
      }
    }
    // The capacity goal is a count, not a ratio: held and reached by every broadcast, of the
    // target.
    for (Map<String, String> r : results) {
      if ("capacity".equals(r.get("workload"))
          && "ours".equals(r.get("server"))
          && "ok".equals(r.get("status"))) {
        out.append(" capacity_reached=")
            .append(num(r.get("reached")))
            .append('/')
            .append(num(r.get("conns")));
      }
    }
    out.append('\n');
    return out.toString();
  }

  /** The soak's samples over time, one small table per server: {@code t,heap,rss,fds,...;...}. */
  private static void soakSeries(StringBuilder out, Map<String, Map<String, String>> byServer) {
    for (String server : order(byServer.keySet())) {
      String series = byServer.get(server).get("series");
      if (series == null || series.isEmpty()) {
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  %s over time:%n  %8s %10s %10s %8s %8s %12s %8s%n",
              server,
              "t_s",
              "heap_MB",
              "rss_MB",
              "fds",
              "threads",
              "server_conns",
              "held"));
      for (String row : series.split(";")) {
        String[] f = row.split(",");
        if (f.length < 7) {
          continue;
        }
        out.append(
            String.format(
                Locale.ROOT,
                "  %8s %10s %10s %8s %8s %12s %8s%n",
                f[0],
                f[1],
                f[2],
                f[3],
                f[4],
                f[5],
                f[6]));
      }
    }
  }

  private static String ratioKey(String workload, String peer) {
    switch (workload + "/" + peer) {
      case "echo/node":
        return "echo_vs_node";
      case "echo/raw":
        return "echo_vs_netty";
      case "broadcast/node":
        return "broadcast_vs_node";
      case "handshake/node":
        return "handshake_vs_node";
      case "polling/node":
        return "polling_vs_node";
      case "cluster-broadcast/node":
        return "cluster_broadcast_vs_node";
      default:
        return null;
    }
  }

  /**
   * {@code broadcast_w4_vs_node}, {@code broadcast_w4_vs_floor}: the broadcast ratios of one window
   * (the variant's {@code -w<N>} suffix), or null.
   */
  private static String broadcastKey(String workload, String variant, String peer) {
    int w = variant.lastIndexOf("-w");
    if (!workload.equals("broadcast") || w < 0) {
      return null;
    }
    String name = peer.equals("node") ? "node" : peer.equals("raw-coalesce") ? "floor" : null;
    return name == null ? null : "broadcast_" + variant.substring(w + 1) + "_vs_" + name;
  }

  /** Accumulates a geometric mean: sum of logs under key, count under key + "#". */
  private static void geo(Map<String, Double> ratios, String key, double v) {
    if (Double.isNaN(v) || v <= 0) {
      return;
    }
    ratios.merge(key + "#log", Math.log(v), Double::sum);
    ratios.merge(key + "#n", 1.0, Double::sum);
  }

  private static String finish(Map<String, Double> ratios, String key) {
    if (ratios.containsKey(key)) {
      return r2(ratios.get(key));
    }
    Double n = ratios.get(key + "#n");
    if (n == null) {
      return "n/a";
    }
    return r2(Math.exp(ratios.get(key + "#log") / n));
  }

  private static List<String> order(Set<String> servers) {
    List<String> list = new ArrayList<>();
    for (String s : SERVERS) {
      if (servers.contains(s)) {
        list.add(s);
      }
    }
    for (String s : servers) {
      if (!list.contains(s)) {
        list.add(s);
      }
    }
    return list;
  }

  private static double d(Map<String, String> r, String key) {
    try {
      return Double.parseDouble(r.getOrDefault(key, "NaN"));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static double div(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }

  private static String r2(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String num(String s) {
    if (s == null) {
      return "-";
    }
    try {
      double v = Double.parseDouble(s);
      if (Double.isNaN(v)) {
        return "n/a";
      }
      if (Math.abs(v) >= 100 || v == Math.rint(v)) {
        return String.format(Locale.ROOT, "%.0f", v);
      }
      return String.format(Locale.ROOT, "%.2f", v);
    } catch (NumberFormatException e) {
      return s;
    }
  }
}
