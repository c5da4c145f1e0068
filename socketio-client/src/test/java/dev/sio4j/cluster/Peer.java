package dev.sio4j.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sio4j.client.ClientSocket;
import dev.sio4j.engineio.testing.AwaitingLog;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the cluster, recording in order the events it receives ({@code name[args]}) and its
 * connection changes ({@code connect}, {@code disconnect:<reason>}).
 */
final class Peer {
  final String name;
  final ClientSocket socket;
  private final AwaitingLog<String> lines = new AwaitingLog<>();

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
    lines.add(line);
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
    List<String> through =
        lines.awaitThrough(
            l -> l.equals(line) || l.equals(line + "[]"), Cluster.WAIT, name + ": '" + line + "'");
    return new ArrayList<>(through.subList(0, through.size() - 1));
  }

  @Override
  public String toString() {
    return name;
  }
}
