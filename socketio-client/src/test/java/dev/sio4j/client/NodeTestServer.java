package dev.sio4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.NodeServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The Node reference {@code socket.io} server as a {@link TestServer}. */
final class NodeTestServer implements TestServer {
  private final String script;
  private final String options;
  private final int port;
  private NodeServer server;

  NodeTestServer(String optionsJson) {
    this(NodeServer.SOCKET_IO, optionsJson);
  }

  /**
   * The server of this script ({@link NodeServer#SOCKET_IO} or {@link NodeServer#SOCKET_IO_V2}).
   */
  NodeTestServer(String script, String optionsJson) {
    this.script = script;
    this.options = optionsJson;
    this.server =
        NodeServer.start(
            script, dev.sio4j.interop.FreePort.find(), optionsJson, NodeServer.DEFAULT_LIFETIME);
    this.port = server.port();
  }

  @Override
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void command(Map<String, ?> command) {
    server.script().sendJson(command);
  }

  @Override
  public JsonNode await(String event, Predicate<JsonNode> filter, Duration timeout) {
    return server.script().await(event, filter, timeout);
  }

  @Override
  public List<JsonNode> events(String event) {
    return server.script().events(event);
  }

  @Override
  public void stop() {
    server.close();
  }

  @Override
  public void restart() {
    server = NodeServer.start(script, port, options, NodeServer.DEFAULT_LIFETIME);
  }

  @Override
  public void close() {
    server.close();
  }
}
