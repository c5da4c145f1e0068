package dev.sio4j.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sio4j.client.ClientSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client of the cluster, recording in order the events it receives ({@code name[args]}) and its
 * connection changes ({@code connect}, {@code disconnect:<reason>}).
 */
final class Peer {
  final String name;
  final ClientSocket socket;
  private final List<String> lines = new ArrayList<>();

  Peer(String name, ClientSocket socket) {
    this.name = name;
    this.socket = socket;
    socket.onAny((event, args) -> add(event + args.json()));
    socket.onConnect(() -> add("connect"));
    socket.onDisconnect(r -> add("disconnect:" + r.reason()));
  }

  String id() {
    return socket.id().orElseThrow();
  }

  /** Answers every {@code event} with its name. */
  Peer answers(String event) {
    socket.on(event, (args, ack) -> ack.send(name));
    return this;
  }

  /** Receives {@code event} with an ack and never answers it. */
  Peer ignores(String event) {
    socket.on(event, (args, ack) -> {});
    return this;
  }

  private void add(String line) {
    synchronized (lines) {
      lines.add(line);
      lines.notifyAll();
    }
  }

  void awaitConnected() {
    List<String> before = until("connect");
    if (!before.isEmpty()) {
      fail(name + " got " + before + " before connecting");
    }
  }

  /**
   * Waits for {@code line} and returns what came before it, consuming both (the marker's {@code []}
   * arguments are matched too).
   */
  List<String> until(String line) {
    long deadline = System.nanoTime() + Cluster.WAIT.toNanos();
    synchronized (lines) {
      while (true) {
        for (int i = 0; i < lines.size(); i++) {
          String l = lines.get(i);
          if (l.equals(line) || l.equals(line + "[]")) {
            List<String> before = new ArrayList<>(lines.subList(0, i));
            lines.subList(0, i + 1).clear();
            return before;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail(name + ": no '" + line + "' within " + Cluster.WAIT + "; got " + lines);
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

  @Override
  public String toString() {
    return name;
  }
}
