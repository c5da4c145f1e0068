package dev.sio4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.TransportType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A command-line Socket.IO client: connects, prints every event as one JSON line, and emits the
 * events typed on stdin.
 *
 * <pre>
 * java -jar sio4j-cli.jar http://localhost:3000 [--nsp /chat] [--transports polling,websocket]
 *     [--auth '{"token":"x"}']
 * </pre>
 *
 * <p>Each stdin line is {@code event [json-args]}: a JSON array is spread into the arguments, any
 * other JSON value is one argument, text that is not JSON is one string argument. A line starting
 * with {@code ?} asks for an acknowledgement (printed when it arrives, 10 s timeout). Binary values
 * are written and read as {@code {"$binary":"<base64>"}}. End of input disconnects and exits.
 *
 * <p>Thread-safety: the main thread reads stdin and emits; printing happens on the client's event
 * thread and is serialised by {@link PrintStream}.
 */
public final class Sio4jCli {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

  private final PrintStream out;

  private Sio4jCli(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.exit(run(args, in, System.out));
  }

  /** Runs the tool until {@code in} ends; returns the process exit code. */
  public static int run(String[] args, BufferedReader in, PrintStream out) throws IOException {
    String url = null;
    String nsp = null;
    String transports = null;
    String auth = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nsp" -> nsp = value(args, ++i);
        case "--transports" -> transports = value(args, ++i);
        case "--auth" -> auth = value(args, ++i);
        case "-h", "--help" -> {
          usage(out);
          return 0;
        }
        default -> {
          if (url != null || args[i].startsWith("--")) {
            usage(out);
            return 2;
          }
          url = args[i];
        }
      }
    }
    if (url == null) {
      usage(out);
      return 2;
    }
    URI uri = URI.create(url);
    if (nsp == null) {
      // As io("http://host/admin"): the URL path names the namespace.
      nsp = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    }
    SocketIoClient.Builder builder =
        SocketIoClient.builder()
            // The engine ignores the URI path (it uses the Socket.IO path); the query is kept.
            .uri(uri)
            .autoConnect(false);
    if (transports != null) {
      List<TransportType> list = new ArrayList<>();
      for (String t : transports.split(",")) {
        String name = t.trim().toLowerCase(Locale.ROOT);
        list.add(
            TransportType.fromWireName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown transport: " + t)));
      }
      builder.transports(list);
    }
    SocketOptions.Builder socketOptions = SocketOptions.builder();
    if (auth != null) {
      socketOptions.auth(JSON.readTree(auth));
    }
    SocketIoClient client = builder.build();
    return new Sio4jCli(out).session(client, client.socket(nsp, socketOptions.build()), in);
  }

  private int session(SocketIoClient client, ClientSocket socket, BufferedReader in)
      throws IOException {
    CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    socket.onConnect(
        () -> {
          print("connect", Map.of("id", socket.id().orElse("")));
          firstConnect.complete(null);
        });
    socket.onConnectError(
        e -> {
          ObjectNode fields = JSON.createObjectNode().put("message", e.getMessage());
          e.data().ifPresent(d -> fields.set("data", d));
          print("connect_error", fields);
        });
    socket.onDisconnect(r -> print("disconnect", Map.of("reason", r.reason())));
    socket.onAny(
        (event, args) ->
            print(
                "event", JSON.createObjectNode().put("name", event).set("args", printable(args))));
    client.onReconnectAttempt(n -> print("reconnect_attempt", Map.of("attempt", n)));
    client.onReconnect(n -> print("reconnect", Map.of("attempt", n)));
    client.onReconnectFailed(() -> print("reconnect_failed", Map.of()));
    socket.connect();

    List<CompletableFuture<?>> pendingAcks = new ArrayList<>();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        pendingAcks.add(emitLine(socket, line));
      } catch (IllegalArgumentException e) {
        print("input_error", Map.of("message", String.valueOf(e.getMessage()), "line", line));
      }
    }
    // End of input: let buffered emits and outstanding acks go out before disconnecting.
    try {
      firstConnect.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      CompletableFuture.allOf(pendingAcks.toArray(CompletableFuture[]::new))
          .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception notConnectedOrTimedOut) {
      // Fall through: close anyway.
    }
    client.close().orTimeout(10, TimeUnit.SECONDS).join();
    return 0;
  }

  private CompletableFuture<?> emitLine(ClientSocket socket, String line) {
    boolean wantAck = line.startsWith("?");
    String body = wantAck ? line.substring(1).strip() : line;
    int space = body.indexOf(' ');
    String event = space < 0 ? body : body.substring(0, space);
    String rest = space < 0 ? "" : body.substring(space + 1).strip();
    Object[] args = parseArgs(rest);
    if (!wantAck) {
      socket.emit(event, args);
      return CompletableFuture.completedFuture(null);
    }
    return socket
        .timeout(ACK_TIMEOUT)
        .emitWithAck(event, args)
        .handle(
            (reply, err) -> {
              if (err != null) {
                print("ack_error", Map.of("name", event, "message", rootMessage(err)));
              } else {
                print(
                    "ack",
                    JSON.createObjectNode().put("name", event).set("args", printable(reply)));
              }
              return null;
            });
  }

  static Object[] parseArgs(String text) {
    if (text.isEmpty()) {
      return new Object[0];
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException notJson) {
      return new Object[] {text};
    }
    node = fromPrintable(node);
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(list::add);
      return list.toArray();
    }
    return new Object[] {node};
  }

  /** {"$binary": base64} objects become binary values. */
  static JsonNode fromPrintable(JsonNode node) {
    if (node.isObject()) {
      if (node.size() == 1 && node.has("$binary") && node.get("$binary").isTextual()) {
        return BinaryNode.valueOf(Base64.getDecoder().decode(node.get("$binary").textValue()));
      }
      ObjectNode copy = JSON.createObjectNode();
      node.properties().forEach(e -> copy.set(e.getKey(), fromPrintable(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(n -> copy.add(fromPrintable(n)));
      return copy;
    }
    return node;
  }

  /** Binary values become {"$binary": base64} objects. */
  static JsonNode toPrintable(JsonNode node) {
    if (node.isBinary()) {
      return JSON.createObjectNode()
          .put("$binary", Base64.getEncoder().encodeToString(((BinaryNode) node).binaryValue()));
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        copy.set(e.getKey(), toPrintable(e.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(n -> copy.add(toPrintable(n)));
      return copy;
    }
    return node;
  }

  private static ArrayNode printable(Arguments args) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    args.asList().forEach(n -> array.add(toPrintable(n)));
    return array;
  }

  private void print(String event, Object fields) {
    ObjectNode line = JSON.createObjectNode().put("event", event);
    line.setAll((ObjectNode) JSON.valueToTree(fields));
    out.println(line);
    out.flush();
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("missing value after " + args[i - 1]);
    }
    return args[i];
  }

  private static void usage(PrintStream out) {
    out.println(
        "usage: java -jar sio4j-cli.jar <url> [--nsp /x] [--transports polling,websocket]"
            + " [--auth json]");
    out.println("stdin: one 'event [json-args]' per line; '?event [json-args]' waits for an ack");
  }
}
