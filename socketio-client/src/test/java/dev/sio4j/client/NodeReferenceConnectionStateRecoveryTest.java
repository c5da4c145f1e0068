package dev.sio4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.NodeServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Connection state recovery against the Node reference server. */
class NodeReferenceConnectionStateRecoveryTest extends AbstractConnectionStateRecoveryTest {

  @Override
  protected RecoveryServer start(Duration maxDisconnectionDuration) {
    NodeServer node =
        NodeServer.socketIo(
            "{\"connectionStateRecovery\":{\"maxDisconnectionDuration\":"
                + maxDisconnectionDuration.toMillis()
                + "}}");
    return new NodeRecoveryServer(node);
  }

  @Override
  protected RecoveryServer startWithoutRecovery() {
    return new NodeRecoveryServer(NodeServer.socketIo());
  }

  private static final class NodeRecoveryServer implements RecoveryServer {
    private final NodeServer node;
    private final AtomicInteger tags = new AtomicInteger();

    NodeRecoveryServer(NodeServer node) {
      this.node = node;
    }

    @Override
    public String url() {
      return node.url();
    }

    @Override
    public void join(String socketId, String room) {
      node.script().sendJson(Map.of("cmd", "join", "to", socketId, "room", room));
      node.script().await("joined", n -> n.path("room").asText().equals(room), WAIT);
    }

    @Override
    public void emit(String to, String except, String event, Object... args) {
      Map<String, Object> cmd = new HashMap<>();
      cmd.put("cmd", "emit");
      cmd.put("name", event);
      List<Object> json = new ArrayList<>();
      for (Object arg : args) {
        json.add(
            arg instanceof byte[] b
                ? Map.of("$binary", Base64.getEncoder().encodeToString(b))
                : arg);
      }
      cmd.put("args", json);
      if (to != null) {
        cmd.put("to", to);
      }
      if (except != null) {
        cmd.put("except", except);
      }
      node.script().sendJson(cmd);
    }

    @Override
    public String emitWithAck(String socketId, String event, String arg) {
      String tag = "t" + tags.incrementAndGet();
      node.script()
          .sendJson(
              Map.of(
                  "cmd",
                  "emitWithAck",
                  "to",
                  socketId,
                  "name",
                  event,
                  "args",
                  List.of(arg),
                  "tag",
                  tag));
      JsonNode reply = node.script().await("ack", n -> n.path("tag").asText().equals(tag), WAIT);
      // One reply per socket, each the client's first ack argument.
      JsonNode first = reply.path("args");
      while (first.isArray()) {
        first = first.path(0);
      }
      return first.asText();
    }

    @Override
    public void sync() {
      // The script runs its commands in order: once a join nobody is targeted by is reported, the
      // commands before it (broadcasts, logged for recovery at once) ran too.
      String barrier = "sync-" + tags.incrementAndGet();
      node.script().sendJson(Map.of("cmd", "join", "to", barrier, "room", barrier));
      node.script().await("joined", n -> n.path("room").asText().equals(barrier), WAIT);
    }

    @Override
    public void dropConnection(String socketId) {
      node.script().sendJson(Map.of("cmd", "closeConnection", "to", socketId));
    }

    @Override
    public String awaitDisconnect(String socketId) {
      return node.script()
          .await("disconnect", n -> n.path("id").asText().equals(socketId), WAIT)
          .path("reason")
          .asText();
    }

    @Override
    public Connection awaitConnection(String socketId) {
      JsonNode c =
          node.script().await("connection", n -> n.path("id").asText().equals(socketId), WAIT);
      return new Connection(c.path("recovered").asBoolean(), c.path("auth"));
    }

    @Override
    public void close() {
      node.close();
    }
  }
}
