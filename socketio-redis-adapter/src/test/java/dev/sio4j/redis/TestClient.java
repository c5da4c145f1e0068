package dev.sio4j.redis;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * A client of a test cluster, Java or official JS, seen the same way by the scenarios: it emits the
 * cluster app's commands, answers {@code ask} with its socket id, and records the events it gets.
 * Arguments are JSON values; binary ones are {@code {"$binary": "<base64>"}} both ways.
 */
interface TestClient extends AutoCloseable {
  Duration WAIT = Duration.ofSeconds(10);

  /** "java" or "js", for messages. */
  String kind();

  /** The socket id. */
  String id();

  /** The port of the node it is connected to. */
  int port();

  void emit(String event, Object... args);

  /** Emits with an ack and waits (bounded) for its first argument. */
  JsonNode call(String event, Object... args);

  /** The arguments of the next {@code event} not taken before. */
  JsonNode await(String event);

  /** Every {@code event} received so far, taken or not, as their argument arrays. */
  List<JsonNode> all(String event);

  /**
   * Waits for the next connection after the first (a reconnection); returns whether the server
   * recovered the session. {@link #id()} is the new connection's id afterwards.
   */
  boolean awaitReconnect();

  /** Waits for the socket's disconnection; returns the reason. */
  String awaitDisconnect();

  @Override
  void close();
}
