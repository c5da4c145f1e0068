package dev.sio4j.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.interop.NodeScript;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The official JS client ({@code interop/js/socketio-client.mjs}) of a test cluster node. */
final class JsTestClient implements TestClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  final NodeScript script;
  private final int port;
  private volatile String id;
  private final Map<String, Integer> cursors = new HashMap<>();
  private final AtomicInteger tags = new AtomicInteger();

  private JsTestClient(NodeScript script, int port, String id) {
    this.script = script;
    this.port = port;
    this.id = id;
  }

  /** Connects over WebSocket to {@code http://127.0.0.1:<port>} and waits for the connection. */
  static JsTestClient connect(int port) {
    return connect(port, "{\"transports\":[\"websocket\"]}");
  }

  /** With {@code io()} options, e.g. reconnection delays. */
  static JsTestClient connect(int port, String optionsJson) {
    NodeScript script =
        NodeScript.start(
            "socketio-client.mjs", "http://127.0.0.1:" + port, optionsJson, "--timeout=240");
    try {
      String id = script.await("connect", WAIT).get("id").asText();
      JsTestClient client = new JsTestClient(script, port, id);
      client.command(
          F.objectNode()
              .put("cmd", "onAck")
              .put("name", "ask")
              .set("reply", F.arrayNode().add(id)));
      return client;
    } catch (RuntimeException | AssertionError e) {
      script.close();
      throw e;
    }
  }

  @Override
  public String kind() {
    return "js";
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void emit(String event, Object... args) {
    command(F.objectNode().put("cmd", "emit").put("name", event).set("args", array(args)));
  }

  @Override
  public JsonNode call(String event, Object... args) {
    String tag = "t" + tags.incrementAndGet();
    ObjectNode cmd = F.objectNode().put("cmd", "emitWithAck").put("name", event);
    cmd.set("args", array(args));
    cmd.put("timeout", WAIT.toMillis()).put("tag", tag);
    command(cmd);
    JsonNode ack =
        script.await("ack", n -> tag.equals(n.path("tag").asText()), WAIT.plusSeconds(2));
    return ack.get("args").get(0);
  }

  @Override
  public synchronized JsonNode await(String event) {
    JsonNode[] found = new JsonNode[1];
    Await.until(
        () -> {
          List<JsonNode> all = all(event);
          int cursor = cursors.getOrDefault(event, 0);
          if (all.size() > cursor) {
            found[0] = all.get(cursor);
            cursors.put(event, cursor + 1);
            return true;
          }
          return false;
        },
        WAIT,
        "event " + event + " on " + this + "\n" + script.transcript());
    return found[0];
  }

  @Override
  public List<JsonNode> all(String event) {
    List<JsonNode> out = new ArrayList<>();
    if (event.equals("disconnect")) {
      script.events("disconnect").forEach(n -> out.add(F.arrayNode().add(n.get("reason"))));
      return out;
    }
    for (JsonNode n : script.events("event")) {
      if (event.equals(n.path("name").asText())) {
        out.add(n.get("args"));
      }
    }
    return out;
  }

  @Override
  public boolean awaitReconnect() {
    JsonNode connect = script.await("connect", WAIT);
    id = connect.get("id").asText();
    return connect.path("recovered").asBoolean(false);
  }

  @Override
  public String awaitDisconnect() {
    return await("disconnect").get(0).asText();
  }

  @Override
  public void close() {
    script.close();
  }

  @Override
  public String toString() {
    return "js client " + id + " of :" + port;
  }

  private void command(JsonNode cmd) {
    script.send(cmd.toString());
  }

  private static ArrayNode array(Object[] args) {
    ArrayNode a = F.arrayNode();
    for (Object arg : args) {
      if (arg instanceof byte[] bytes) {
        a.add(F.objectNode().put("$binary", Base64.getEncoder().encodeToString(bytes)));
      } else {
        a.add(MAPPER.valueToTree(arg));
      }
    }
    return a;
  }
}
