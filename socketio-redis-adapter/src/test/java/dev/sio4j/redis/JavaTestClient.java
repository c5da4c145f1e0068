package dev.sio4j.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.testing.EventRecorder;
import dev.sio4j.testing.RecordedEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A sio4j Java client of a test cluster node. */
final class JavaTestClient implements TestClient {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  final SocketIoClient manager;
  final ClientSocket socket;
  final EventRecorder events = EventRecorder.create();
  private final int port;

  private JavaTestClient(SocketIoClient manager, ClientSocket socket, int port) {
    this.manager = manager;
    this.socket = socket;
    this.port = port;
  }

  /** Connects to {@code http://127.0.0.1:<port>} over WebSocket and waits for the connection. */
  static JavaTestClient connect(int port) {
    return connect(port, b -> {});
  }

  static JavaTestClient connect(
      int port, java.util.function.Consumer<SocketIoClient.Builder> more) {
    SocketIoClient.Builder b =
        SocketIoClient.builder()
            .uri(URI.create("http://127.0.0.1:" + port))
            .transports(TransportType.WEBSOCKET)
            .autoConnect(false);
    more.accept(b);
    SocketIoClient manager = b.build();
    ClientSocket socket = manager.socket("/");
    JavaTestClient client = new JavaTestClient(manager, socket, port);
    client.events.attach(socket);
    socket.on("ask", (args, ack) -> ack.send(socket.id().orElse("?")));
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.onConnect(() -> connected.complete(null));
    socket.onConnectError(connected::completeExceptionally);
    socket.connect();
    try {
      Await.join(connected, WAIT);
      // Taken, so that a test awaiting "connect" waits for the next (re)connection.
      client.events.await("connect", WAIT);
    } catch (RuntimeException | AssertionError e) {
      manager.close();
      throw e;
    }
    return client;
  }

  @Override
  public String kind() {
    return "java";
  }

  @Override
  public String id() {
    return socket.id().orElseThrow();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void emit(String event, Object... args) {
    socket.emit(event, fromJson(args));
  }

  @Override
  public JsonNode call(String event, Object... args) {
    Arguments reply =
        Await.join(socket.timeout(WAIT).emitWithAck(event, fromJson(args)), WAIT.plusSeconds(2));
    return toJson(reply.json()).get(0);
  }

  @Override
  public JsonNode await(String event) {
    RecordedEvent e = events.await(event, WAIT);
    return toJson(e.args().json());
  }

  @Override
  public List<JsonNode> all(String event) {
    List<JsonNode> out = new ArrayList<>();
    events.events(event).forEach(e -> out.add(toJson(e.args().json())));
    return out;
  }

  @Override
  public boolean awaitReconnect() {
    events.await("connect", WAIT);
    return socket.recovered();
  }

  @Override
  public String awaitDisconnect() {
    return events.await("disconnect", WAIT).args().string(0);
  }

  @Override
  public void close() {
    try {
      manager.close().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the client did not close", e);
    }
  }

  @Override
  public String toString() {
    return "java client " + socket.id().orElse("-") + " of :" + port;
  }

  /** {"$binary": base64} objects become byte arrays; the rest goes as JSON. */
  static Object[] fromJson(Object[] args) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = fromJson(args[i]);
    }
    return out;
  }

  private static Object fromJson(Object value) {
    if (value instanceof JsonNode node) {
      if (node.isObject() && node.size() == 1 && node.has("$binary")) {
        return Base64.getDecoder().decode(node.get("$binary").asText());
      }
      if (node.isObject()) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), fromJson(e.getValue())));
        return out;
      }
      if (node.isArray()) {
        List<Object> out = new ArrayList<>();
        node.forEach(n -> out.add(fromJson(n)));
        return out;
      }
    }
    return value;
  }

  /** Binary leaves become {"$binary": base64}, as the JS fixture writes them. */
  static JsonNode toJson(JsonNode node) {
    if (node.isBinary()) {
      ObjectNode o = F.objectNode();
      try {
        o.put("$binary", Base64.getEncoder().encodeToString(node.binaryValue()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = F.arrayNode();
      node.forEach(c -> a.add(toJson(c)));
      return a;
    }
    if (node.isObject()) {
      ObjectNode o = F.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(e.getKey(), toJson(e.getValue()));
      }
      return o;
    }
    return node;
  }

  static Duration waitTime() {
    return WAIT;
  }
}
