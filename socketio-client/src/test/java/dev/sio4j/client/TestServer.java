package dev.sio4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A Socket.IO server under test, driven through the protocol of {@code
 * interop/js/reference-socketio-server.mjs}: commands such as {@code
 * {"cmd":"emit","nsp":"/","name":"x","args":[...]}} in, events such as {@code
 * {"event":"connection","id":...,"auth":...}} out. The Node reference server implements it
 * directly; sio4j's own server will implement it with a small adapter, so the same client tests run
 * against both.
 */
interface TestServer extends AutoCloseable {

  /** Base URL, {@code http://127.0.0.1:<port>}. */
  String url();

  /** Sends a command (see the script header for the list). */
  void command(Map<String, ?> command);

  /** Waits for the next not yet consumed event of this name matching {@code filter}. */
  JsonNode await(String event, Predicate<JsonNode> filter, Duration timeout);

  /** Every event of this name received so far (since the last start). */
  List<JsonNode> events(String event);

  /** Stops the server: connections drop, the port is released. */
  void stop();

  /** Starts the server again on the same port with the same options. */
  void restart();

  @Override
  void close();
}
