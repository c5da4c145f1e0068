package dev.sio4j.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.NodeScript;
import dev.sio4j.testing.EventRecorder;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of a test cluster, the Java client or the official JS client behind one interface, so
 * that a test runs the same steps with both. Binary values are {@link Bin} going out and {@code
 * {"$binary": base64}} coming in, for either kind.
 *
 * <p>Thread-safety: for one test thread.
 */
abstract class Peer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A binary argument. */
  record Bin(byte[] bytes) {
    JsonNode json() {
      return F.objectNode().put("$binary", Base64.getEncoder().encodeToString(bytes));
    }
  }

  final String name;

  Peer(String name) {
    this.name = name;
  }

  abstract String id();

  /** Emits and returns the first argument of the ack. */
  abstract JsonNode call(String event, Object... args);

  abstract void emit(String event, Object... args);

  /** The arguments of the next event of this name not seen yet. */
  abstract ArrayNode next(String event);

  /** Waits until the server disconnected this client. */
  abstract void awaitDisconnect();

  @Override
  public abstract void close();

  @Override
  public String toString() {
    return name;
  }

  /** The Java client, over WebSocket; answers {@code ask} with its id. */
  static Peer java(String name, String url) {
    SocketIoClient client =
        SocketIoClient.builder()
            .uri(URI.create(url))
            .transports(TransportType.WEBSOCKET)
            .reconnection(false)
            .build();
    ClientSocket socket = client.socket("/");
    EventRecorder events = EventRecorder.of(socket);
    socket.on("ask", (args, ack) -> ack.send(socket.id().orElse("?")));
    socket.connect();
    events.await("connect", WAIT);
    String id = socket.id().orElseThrow();
    return new Peer(name) {
      @Override
      String id() {
        return id;
      }

      @Override
      JsonNode call(String event, Object... args) {
        return normalise(
            Await.join(socket.timeout(WAIT).emitWithAck(event, javaArgs(args)), WAIT).json(0));
      }

      @Override
      void emit(String event, Object... args) {
        socket.emit(event, javaArgs(args));
      }

      @Override
      ArrayNode next(String event) {
        return (ArrayNode) normalise(events.await(event, WAIT).args().json());
      }

      @Override
      void awaitDisconnect() {
        events.await("disconnect", WAIT);
      }

      @Override
      public void close() {
        Await.join(client.close(), WAIT);
      }
    };
  }

  /** The official JS client ({@code socketio-client.mjs}), over WebSocket; answers {@code ask}. */
  static Peer js(String name, String url) {
    NodeScript script =
        NodeScript.start(
            "socketio-client.mjs",
            url,
            "{\"transports\":[\"websocket\"],\"reconnection\":false}",
            "--timeout=120");
    String id;
    try {
      id = script.await("connect", WAIT).path("id").asText();
      script.sendJson(Map.of("cmd", "onAck", "name", "ask", "reply", new String[] {id}));
    } catch (RuntimeException | Error e) {
      script.close();
      throw e;
    }
    AtomicInteger tags = new AtomicInteger();
    return new Peer(name) {
      @Override
      String id() {
        return id;
      }

      @Override
      JsonNode call(String event, Object... args) {
        String tag = name + "-" + tags.incrementAndGet();
        ObjectNode cmd = F.objectNode().put("cmd", "emitWithAck").put("name", event);
        cmd.set("args", jsArgs(args));
        cmd.put("timeout", WAIT.toMillis()).put("tag", tag);
        script.sendJson(cmd);
        JsonNode ack = script.await("ack", n -> n.path("tag").asText().equals(tag), WAIT);
        return ack.path("args").path(0);
      }

      @Override
      void emit(String event, Object... args) {
        ObjectNode cmd = F.objectNode().put("cmd", "emit").put("name", event);
        cmd.set("args", jsArgs(args));
        script.sendJson(cmd);
      }

      @Override
      ArrayNode next(String event) {
        return (ArrayNode)
            script.await("event", n -> n.path("name").asText().equals(event), WAIT).path("args");
      }

      @Override
      void awaitDisconnect() {
        script.await("disconnect", WAIT);
      }

      @Override
      public void close() {
        script.close();
      }
    };
  }

  /** A null varargs array is one null argument ({@code call("count", null)}). */
  private static Object[] orNull(Object[] args) {
    return args == null ? new Object[] {null} : args;
  }

  private static Object[] javaArgs(Object[] args) {
    args = orNull(args);
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = javaValue(args[i]);
    }
    return out;
  }

  private static Object javaValue(Object value) {
    if (value instanceof Bin b) {
      return b.bytes();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, javaValue(v)));
      return out;
    }
    return value;
  }

  private static ArrayNode jsArgs(Object[] args) {
    ArrayNode out = F.arrayNode();
    for (Object arg : orNull(args)) {
      out.add(
          arg == null
              ? F.nullNode()
              : arg instanceof Bin b ? b.json() : MAPPER.<JsonNode>valueToTree(jsValue(arg)));
    }
    return out;
  }

  private static Object jsValue(Object value) {
    if (value instanceof Bin b) {
      return b.json();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, jsValue(v)));
      return out;
    }
    return value;
  }

  /** Binary leaves become {"$binary": base64}, as the JS fixture reports them. */
  static JsonNode normalise(JsonNode node) {
    if (node.isBinary()) {
      try {
        return new Bin(node.binaryValue()).json();
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
    if (node.isArray()) {
      ArrayNode out = F.arrayNode();
      node.forEach(n -> out.add(normalise(n)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = F.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), normalise(e.getValue()));
      }
      return out;
    }
    return node;
  }
}
