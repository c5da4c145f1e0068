package dev.sio4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.engineio.testing.AwaitingLog;
import dev.sio4j.server.BroadcastOperator;
import dev.sio4j.server.Namespace;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoOptions;
import dev.sio4j.server.SocketIoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * sio4j's own {@link SocketIoServer}, in-process, as a {@link TestServer}: it speaks the protocol
 * of {@code interop/js/reference-socketio-server.mjs} (same options, default handlers, commands and
 * events), so the client tests written against the Node reference run against it unchanged.
 */
final class Sio4jTestServer implements TestServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final JsonNode options;
  // Replaced on restart: a restarted server reports from scratch, as the Node reference does.
  private volatile AwaitingLog<JsonNode> events = new AwaitingLog<>();
  private int port;
  private SocketIoServer io;

  Sio4jTestServer(String optionsJson) {
    try {
      this.options = JSON.readTree(optionsJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start(0);
  }

  private void start(int onPort) {
    EngineIoOptions.Builder engine = EngineIoOptions.builder();
    if (options.has("pingInterval")) {
      engine.pingInterval(Duration.ofMillis(options.path("pingInterval").asLong()));
    }
    if (options.has("pingTimeout")) {
      engine.pingTimeout(Duration.ofMillis(options.path("pingTimeout").asLong()));
    }
    SocketIoServer server =
        SocketIoServer.builder()
            .port(onPort)
            .options(SocketIoOptions.builder().engine(engine.build()).build())
            .build();
    List<String> names = new ArrayList<>(List.of("/"));
    options.path("namespaces").forEach(n -> names.add(n.asText()));
    JsonNode reject = options.path("rejectWith");
    for (String name : names) {
      Namespace nsp = server.of(name);
      if (reject.isObject() && (!reject.has("nsp") || reject.path("nsp").asText().equals(name))) {
        String message = reject.path("message").asText("rejected");
        JsonNode data = reject.get("data");
        nsp.use(
            (socket, next) -> {
              if (data == null) {
                next.fail(message);
              } else {
                next.fail(message, data);
              }
            });
      }
      nsp.onConnection(socket -> onConnection(nsp, name, socket));
    }
    try {
      server.start().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.close();
      throw new AssertionError("sio4j server did not start on port " + onPort, e);
    }
    this.io = server;
    this.port = server.port();
  }

  private void onConnection(Namespace nsp, String name, Socket socket) {
    String id = socket.id();
    ObjectNode c = event("connection");
    c.put("id", id);
    c.put("nsp", name);
    c.set("auth", socket.handshake().auth());
    c.put("recovered", socket.recovered());
    c.put("transport", socket.conn().transport().name().toLowerCase());
    c.put("engine", socket.conn().id());
    out(c);
    socket.onAny(
        new AnyListener() {
          @Override
          public void onEvent(String event, Arguments args) {
            onEvent(event, args, Ack.NONE);
          }

          @Override
          public void onEvent(String event, Arguments args, Ack ack) {
            ObjectNode e = event("event");
            e.put("id", id);
            e.put("nsp", name);
            e.put("name", event);
            e.set("args", toJson(args.json()));
            e.put("ack", ack.requested());
            out(e);
          }
        });
    socket.on("echo", (args, ack) -> ack.send(args.toArray()));
    socket.on("broadcast", (args, ack) -> nsp.emit("broadcast", args.toArray()));
    socket.onDisconnect(
        reason -> {
          ObjectNode d = event("disconnect");
          d.put("id", id);
          d.put("nsp", name);
          d.put("reason", reason.text());
          d.putNull("description");
          out(d);
        });
  }

  private static ObjectNode event(String name) {
    ObjectNode n = F.objectNode();
    n.put("event", name);
    return n;
  }

  private void out(JsonNode event) {
    events.add(event);
  }

  @Override
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void command(Map<String, ?> command) {
    JsonNode cmd = JSON.valueToTree(command);
    String nspName = cmd.path("nsp").asText("/");
    Namespace nsp = io.of(nspName);
    BroadcastOperator op = nsp.except();
    if (cmd.has("to")) {
      op = op.to(cmd.path("to").asText());
    }
    if (cmd.has("except")) {
      op = op.except(cmd.path("except").asText());
    }
    Object[] args = args(cmd.path("args"));
    switch (cmd.path("cmd").asText()) {
      case "emit" -> op.emit(cmd.path("name").asText(), args);
      case "emitWithAck" -> {
        JsonNode tag = cmd.path("tag").isMissingNode() ? F.nullNode() : cmd.path("tag");
        op.timeout(Duration.ofMillis(cmd.path("timeout").asLong(5000)))
            .emitWithAck(cmd.path("name").asText(), args)
            .whenComplete(
                (replies, err) -> {
                  if (err != null) {
                    ObjectNode e = event("ackError");
                    e.set("tag", tag);
                    Throwable cause = err instanceof AckTimeoutException ? err : err.getCause();
                    e.put("message", cause == null ? err.getMessage() : cause.getMessage());
                    out(e);
                  } else {
                    ObjectNode a = event("ack");
                    a.set("tag", tag);
                    ArrayNode list = a.putArray("args");
                    replies.forEach(r -> list.add(toJson(r.json()).get(0)));
                    out(a);
                  }
                });
      }
      case "disconnectAll" -> op.disconnectSockets(cmd.path("close").asBoolean());
      case "join" -> {
        String room = cmd.path("room").asText();
        Set<String> targets = new java.util.HashSet<>();
        op.fetchSockets().join().forEach(s -> targets.add(s.id()));
        op.socketsJoin(room);
        // socketsJoin from a foreign thread is queued onto each socket's loop; report "joined"
        // once it took effect, as the reference (synchronous there) does; a join that has not by
        // the deadline fails the command instead of being reported.
        Await.until(
            () -> nsp.adapter().sockets(Set.of(room)).containsAll(targets),
            Duration.ofSeconds(10),
            "the sockets joined " + room);
        ObjectNode j = event("joined");
        j.put("room", room);
        out(j);
      }
      case "closeConnection" -> {
        String to = cmd.has("to") ? cmd.path("to").asText() : null;
        for (Socket s : nsp.sockets().values()) {
          if (to == null || s.id().equals(to) || s.rooms().contains(to)) {
            s.conn().close();
          }
        }
      }
      case "close" -> stop();
      default -> throw new IllegalArgumentException("unknown command " + cmd);
    }
  }

  /** {"$binary": base64} leaves become byte[]; everything else stays JSON. */
  private static Object[] args(JsonNode array) {
    List<Object> out = new ArrayList<>();
    array.forEach(a -> out.add(fromJson(a)));
    return out.toArray();
  }

  private static JsonNode fromJson(JsonNode node) {
    if (node.isObject() && node.size() == 1 && node.has("$binary")) {
      return BinaryNode.valueOf(Base64.getDecoder().decode(node.path("$binary").asText()));
    }
    if (node.isArray()) {
      ArrayNode a = F.arrayNode();
      node.forEach(n -> a.add(fromJson(n)));
      return a;
    }
    if (node.isObject()) {
      ObjectNode o = F.objectNode();
      node.fields().forEachRemaining(e -> o.set(e.getKey(), fromJson(e.getValue())));
      return o;
    }
    return node;
  }

  private static JsonNode toJson(JsonNode node) {
    if (node.isBinary()) {
      ObjectNode o = F.objectNode();
      try {
        o.put("$binary", Base64.getEncoder().encodeToString(node.binaryValue()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = F.arrayNode();
      node.forEach(n -> a.add(toJson(n)));
      return a;
    }
    if (node.isObject()) {
      ObjectNode o = F.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(e.getKey(), toJson(e.getValue()));
      }
      return o;
    }
    return node;
  }

  /**
   * Like the reference fixture's stream: events of this name are handed out in order, and those
   * that do not match {@code filter} are consumed on the way.
   */
  @Override
  public JsonNode await(String event, Predicate<JsonNode> filter, Duration timeout) {
    AwaitingLog<JsonNode> log = events;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      JsonNode node =
          log.await(n -> event.equals(n.path("event").asText()), left, "event '" + event + "'");
      if (filter.test(node)) {
        return node;
      }
    }
  }

  @Override
  public List<JsonNode> events(String event) {
    return events.entries(n -> event.equals(n.path("event").asText()));
  }

  @Override
  public void stop() {
    try {
      io.close().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("sio4j server did not close", e);
    }
  }

  @Override
  public void restart() {
    events = new AwaitingLog<>();
    start(port);
  }

  @Override
  public void close() {
    stop();
  }
}
