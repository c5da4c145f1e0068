package dev.sio4j.interop;

import java.time.Duration;
import java.util.Objects;

/**
 * A Node.js reference server (the official {@code engine.io} or {@code socket.io} package) running
 * on 127.0.0.1, started from a fixture script and ready once it has printed {@code
 * {"event":"listening"}}.
 *
 * <p>The reference servers are what sio4j's clients are checked against. The engine.io server
 * echoes every message; the socket.io server acks {@code echo} with its arguments and re-emits
 * {@code broadcast} to the namespace. Both report what happens as events on {@link #script()} and
 * take commands through {@link NodeScript#send(String)}; see the script headers in {@code
 * interop/js/} for the full protocol.
 *
 * <p>Thread-safety: safe from any thread, like the {@link NodeScript} it wraps.
 */
public final class NodeServer implements AutoCloseable {

  /** Script of the engine.io reference server. */
  public static final String ENGINE_IO = "reference-engineio-server.mjs";

  /** Script of the socket.io reference server. */
  public static final String SOCKET_IO = "reference-socketio-server.mjs";

  /**
   * Script of the socket.io 2.x reference server (Engine.IO v3, Socket.IO protocol v4), for clients
   * of old servers.
   */
  public static final String SOCKET_IO_V2 = "reference-socketio-v2-server.mjs";

  /**
   * How long a reference server lives unless told otherwise: long enough to be shared by a test
   * class, short enough that a lost one goes away by itself.
   */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private final NodeScript script;
  private final int port;

  private NodeServer(NodeScript script, int port) {
    this.script = script;
    this.port = port;
  }

  /** The engine.io reference server with default options on a free port. */
  public static NodeServer engineIo() {
    return start(ENGINE_IO, FreePort.find(), "{}", DEFAULT_LIFETIME);
  }

  /**
   * The engine.io reference server on a free port.
   *
   * @param optionsJson engine.io {@code ServerOptions} as a JSON object, plus {@code "echo": false}
   *     to stop echoing
   */
  public static NodeServer engineIo(String optionsJson) {
    return start(ENGINE_IO, FreePort.find(), optionsJson, DEFAULT_LIFETIME);
  }

  /** The socket.io reference server with default options on a free port. */
  public static NodeServer socketIo() {
    return start(SOCKET_IO, FreePort.find(), "{}", DEFAULT_LIFETIME);
  }

  /**
   * The socket.io reference server on a free port.
   *
   * @param optionsJson socket.io {@code ServerOptions} as a JSON object, plus {@code "namespaces"}
   *     and {@code "rejectWith"} (see {@code reference-socketio-server.mjs})
   */
  public static NodeServer socketIo(String optionsJson) {
    return start(SOCKET_IO, FreePort.find(), optionsJson, DEFAULT_LIFETIME);
  }

  /**
   * The socket.io 2.x reference server on a free port.
   *
   * @param optionsJson socket.io 2.x server options as a JSON object, plus {@code "namespaces"},
   *     {@code "rejectWith"} and {@code "requireQuery"} (see {@code
   *     reference-socketio-v2-server.mjs})
   */
  public static NodeServer socketIoV2(String optionsJson) {
    return start(SOCKET_IO_V2, FreePort.find(), optionsJson, DEFAULT_LIFETIME);
  }

  /**
   * Starts a reference server script and waits until it listens.
   *
   * @param script {@link #ENGINE_IO}, {@link #SOCKET_IO} or another script taking {@code <port>
   *     [options JSON] --timeout=<s>} and printing {@code listening}
   * @param port the port to bind on 127.0.0.1
   * @param optionsJson a JSON object passed to the script
   * @param lifetime after which the script exits by itself
   * @throws AssertionError if it does not listen within 20 seconds
   */
  public static NodeServer start(String script, int port, String optionsJson, Duration lifetime) {
    Objects.requireNonNull(optionsJson, "optionsJson");
    long seconds = Math.max(1, lifetime.toSeconds());
    NodeScript node =
        NodeScript.start(script, Integer.toString(port), optionsJson, "--timeout=" + seconds);
    try {
      node.await("listening", STARTUP_TIMEOUT);
    } catch (AssertionError | RuntimeException e) {
      node.close();
      throw e;
    }
    return new NodeServer(node, port);
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** The server's base URL, {@code http://127.0.0.1:<port>}, without a path. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The running script, for awaiting server-side events and sending commands. */
  public NodeScript script() {
    return script;
  }

  /** Stops the server and whatever it started. */
  @Override
  public void close() {
    script.close();
  }

  @Override
  public String toString() {
    return "NodeServer[" + script + ", " + url() + "]";
  }
}
