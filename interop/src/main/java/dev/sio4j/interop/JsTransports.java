package dev.sio4j.interop;

/**
 * The three ways the official JavaScript client is asked to connect in the interop tests: polling
 * only, WebSocket only, and polling upgraded to WebSocket.
 *
 * <p>Thread-safety: immutable.
 */
public enum JsTransports {
  POLLING("[\"polling\"]", "polling"),
  WEBSOCKET("[\"websocket\"]", "websocket"),
  UPGRADE("[\"polling\",\"websocket\"]", "polling");

  /** The client's {@code transports} option, as a JSON array. */
  public final String json;

  /** The transport the connection starts on. */
  public final String first;

  JsTransports(String json, String first) {
    this.json = json;
    this.first = first;
  }
}
