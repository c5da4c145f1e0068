package dev.sio4j.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.common.Ack;
import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bare Socket.IO v5 client that shows a test the exact packets its server sends and sends what a
 * well-behaved client would not: a thin layer over {@link EngineIoWireClient}, which it uses for
 * the Engine.IO session (handshake, automatic pongs, polling or WebSocket).
 *
 * <p>Packets are Socket.IO packets as text, without the Engine.IO message prefix: {@link #send}
 * {@code ("2[\"hi\"]")} writes the Engine.IO message {@code 42["hi"]}, and {@link #nextPacket()}
 * returns {@code 2/admin,["news","x"]} for the message {@code 42/admin,["news","x"]}. For the
 * common cases there are conveniences: {@link #connect(String, Object)} (returns the socket id),
 * {@link #emit} and {@link #emitIn} (JSON arguments through Jackson, {@code byte[]} as binary
 * attachments), and {@link #nextEvent()} (the next packet read as an event, binary attachments put
 * in place, with an {@link Ack} that writes the acknowledgement packet).
 *
 * <p>It parses packets itself, independently of sio4j's parser, so that a test of a server does not
 * take the server's own parser on trust. It speaks the default JSON parser only (no msgpack).
 *
 * <p>Every wait is bounded by {@link EngineIoWireClient#WAIT}; a failed wait or an unexpected
 * packet is an {@link AssertionError}.
 *
 * <p>Thread-safety: sends are serialised and may come from any thread; reads are thread-safe, but
 * two threads reading at once each get different packets.
 */
public final class SocketIoWireClient implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final EngineIoWireClient engine;

  private SocketIoWireClient(EngineIoWireClient engine) {
    this.engine = engine;
  }

  /**
   * Opens an Engine.IO session with the server on {@code 127.0.0.1:port} under {@code path} (e.g.
   * {@code /socket.io}); no namespace is connected yet.
   */
  public static SocketIoWireClient open(int port, String path, Transport transport) {
    return new SocketIoWireClient(EngineIoWireClient.open(port, path, transport));
  }

  /** Like {@link #open(int, String, Transport)}, with extra query parameters ({@code "&a=b"}). */
  public static SocketIoWireClient open(int port, String path, Transport transport, String query) {
    return new SocketIoWireClient(EngineIoWireClient.open(port, path, transport, query));
  }

  /** The Engine.IO session underneath, for exact Engine.IO packets. */
  public EngineIoWireClient engine() {
    return engine;
  }

  /** Connects to the main namespace; returns the socket id. */
  public String connect() {
    return connect("/");
  }

  /** Connects to {@code nsp} without auth; returns the socket id. */
  public String connect(String nsp) {
    return connect(nsp, null);
  }

  /**
   * Sends CONNECT for {@code nsp} with {@code auth} (any value Jackson writes as a JSON object;
   * null for none) and returns the socket id of the server's CONNECT.
   *
   * @throws AssertionError if the server answers anything else (a CONNECT_ERROR's message is in the
   *     error)
   */
  public String connect(String nsp, Object auth) {
    String prefix = prefix(nsp);
    send("0" + prefix + (auth == null ? "" : write(MAPPER.valueToTree(auth))));
    String reply = nextPacket();
    if (!reply.startsWith("0" + prefix + "{")) {
      throw new AssertionError("expected CONNECT of " + nsp + ", got " + reply);
    }
    JsonNode data = read(reply.substring(1 + prefix.length()));
    if (!data.path("sid").isTextual()) {
      throw new AssertionError("no sid in " + reply);
    }
    return data.path("sid").asText();
  }

  /** Sends DISCONNECT for {@code nsp}. */
  public void disconnect(String nsp) {
    send("1" + prefix(nsp));
  }

  /** Sends one Socket.IO packet as is, e.g. {@code 2["hi"]} or {@code 0/admin,}. */
  public synchronized void send(String packet) {
    engine.send("4" + packet);
  }

  /** Sends a binary message (an attachment of a binary packet sent with {@link #send}). */
  public synchronized void sendBinary(byte[] attachment) {
    engine.send(attachment);
  }

  /** Emits {@code event} on the main namespace, without an acknowledgement. */
  public void emit(String event, Object... args) {
    emitIn("/", event, args);
  }

  /**
   * Emits {@code event} on {@code nsp}, without an acknowledgement: arguments go through Jackson,
   * {@code byte[]} become binary attachments.
   */
  public void emitIn(String nsp, String event, Object... args) {
    sendEvent(nsp, event, -1, args);
  }

  /** Emits {@code event} on {@code nsp} asking for an acknowledgement with this id. */
  public void emitWithAckId(String nsp, String event, int ackId, Object... args) {
    if (ackId < 0) {
      throw new IllegalArgumentException("negative ack id: " + ackId);
    }
    sendEvent(nsp, event, ackId, args);
  }

  private void sendEvent(String nsp, String event, int ackId, Object... args) {
    Objects.requireNonNull(event, "event");
    ArrayNode data = MAPPER.createArrayNode().add(event);
    data.addAll(Arguments.of(MAPPER, args).json());
    sendData('2', nsp, ackId, data);
  }

  /** Sends an EVENT or ACK (BINARY_EVENT or BINARY_ACK when {@code data} holds binary). */
  private void sendData(char type, String nsp, int ackId, ArrayNode data) {
    List<byte[]> attachments = new ArrayList<>();
    JsonNode wire = extract(data, attachments);
    String id = ackId < 0 ? "" : Integer.toString(ackId);
    if (attachments.isEmpty()) {
      send(type + prefix(nsp) + id + write(wire));
    } else {
      char binaryType = type == '2' ? '5' : '6';
      // The attachments must follow their packet with nothing in between.
      synchronized (this) {
        send(binaryType + (attachments.size() + "-") + prefix(nsp) + id + write(wire));
        attachments.forEach(this::sendBinary);
      }
    }
  }

  /**
   * The next Socket.IO packet as text (for a binary packet, its text part; its attachments follow
   * as {@link #nextBinary()}).
   */
  public String nextPacket() {
    String text = engine.nextText();
    if (!text.startsWith("4")) {
      throw new AssertionError("expected an Engine.IO message, got " + text);
    }
    return text.substring(1);
  }

  /** The next binary message (an attachment). */
  public byte[] nextBinary() {
    return engine.nextBinary();
  }

  /**
   * Reads the next packet as an event (EVENT, or BINARY_EVENT with its attachments put in place),
   * on any namespace.
   *
   * @throws AssertionError if the next packet is not an event
   */
  public RecordedEvent nextEvent() {
    String packet = nextPacket();
    Parsed p = parse(packet);
    if (p.type != '2' && p.type != '5') {
      throw new AssertionError("expected an event, got " + packet);
    }
    if (!p.data.isArray() || p.data.isEmpty() || !p.data.get(0).isTextual()) {
      throw new AssertionError("not an event: " + packet);
    }
    ArrayNode data = (ArrayNode) p.data;
    Ack ack = p.ackId < 0 ? Ack.NONE : new WireAck(p.nsp, p.ackId);
    return new RecordedEvent(
        data.get(0).asText(),
        Arguments.slice(MAPPER, data, 1, data.size()),
        ack,
        Thread.currentThread().getName());
  }

  /** Asserts that no packet arrives within {@code quiet} (the end of the session is not one). */
  public void assertSilentFor(Duration quiet) {
    engine.assertSilentFor(quiet);
  }

  /** Waits until the server ends the session. */
  public void awaitClosed() {
    engine.awaitClosed();
  }

  /** Whether the session ended. */
  public boolean isClosed() {
    return engine.isClosed();
  }

  /** Closes like a client whose page went away. */
  @Override
  public void close() {
    engine.close();
  }

  /** Drops the connection without a close packet (network loss). */
  public void abort() {
    engine.abort();
  }

  @Override
  public String toString() {
    return "SocketIoWireClient[" + engine.transport() + ", " + engine.sid() + "]";
  }

  // ---- wire format ------------------------------------------------------------------------------

  private record Parsed(char type, String nsp, int ackId, JsonNode data) {}

  /** Reads {@code <type>[<n>-][<nsp>,][<id>][<json>]}, then collects the attachments. */
  private Parsed parse(String packet) {
    if (packet.isEmpty()) {
      throw new AssertionError("empty packet");
    }
    char type = packet.charAt(0);
    int i = 1;
    int attachments = 0;
    if (type == '5' || type == '6') {
      int dash = packet.indexOf('-', i);
      if (dash < 0) {
        throw new AssertionError("no attachment count in " + packet);
      }
      attachments = Integer.parseInt(packet.substring(i, dash));
      i = dash + 1;
    }
    String nsp = "/";
    if (i < packet.length() && packet.charAt(i) == '/') {
      int comma = packet.indexOf(',', i);
      int end = comma < 0 ? packet.length() : comma;
      nsp = packet.substring(i, end);
      i = comma < 0 ? end : comma + 1;
    }
    int idStart = i;
    while (i < packet.length() && Character.isDigit(packet.charAt(i))) {
      i++;
    }
    int ackId = i > idStart ? Integer.parseInt(packet.substring(idStart, i)) : -1;
    JsonNode data = i < packet.length() ? read(packet.substring(i)) : MAPPER.nullNode();
    if (attachments > 0) {
      List<byte[]> bins = new ArrayList<>();
      for (int n = 0; n < attachments; n++) {
        bins.add(nextBinary());
      }
      data = restore(data, bins);
    }
    return new Parsed(type, nsp, ackId, data);
  }

  /** A copy of {@code node} with its binary leaves replaced by placeholders, collected in order. */
  private static JsonNode extract(JsonNode node, List<byte[]> out) {
    if (node.isBinary()) {
      ObjectNode placeholder = MAPPER.createObjectNode();
      placeholder.put("_placeholder", true);
      placeholder.put("num", out.size());
      out.add(((BinaryNode) node).binaryValue());
      return placeholder;
    }
    if (node.isArray()) {
      ArrayNode copy = MAPPER.createArrayNode();
      node.forEach(n -> copy.add(extract(n, out)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = MAPPER.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        copy.set(e.getKey(), extract(e.getValue(), out));
      }
      return copy;
    }
    return node;
  }

  /** A copy of {@code node} with its placeholders replaced by the attachments they name. */
  private static JsonNode restore(JsonNode node, List<byte[]> attachments) {
    if (node.isObject() && node.path("_placeholder").asBoolean() && node.path("num").isInt()) {
      int num = node.path("num").asInt();
      if (num < 0 || num >= attachments.size()) {
        throw new AssertionError("placeholder " + num + " of " + attachments.size());
      }
      return BinaryNode.valueOf(attachments.get(num));
    }
    if (node.isArray()) {
      ArrayNode copy = MAPPER.createArrayNode();
      node.forEach(n -> copy.add(restore(n, attachments)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = MAPPER.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        copy.set(e.getKey(), restore(e.getValue(), attachments));
      }
      return copy;
    }
    return node;
  }

  private static String prefix(String nsp) {
    Objects.requireNonNull(nsp, "nsp");
    return nsp.equals("/") ? "" : nsp + ",";
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** Answers an event read by {@link #nextEvent()} with an ACK (or BINARY_ACK) packet. */
  private final class WireAck implements Ack {
    private final String nsp;
    private final int id;
    private final AtomicBoolean sent = new AtomicBoolean();

    WireAck(String nsp, int id) {
      this.nsp = nsp;
      this.id = id;
    }

    @Override
    public void send(Object... args) {
      if (sent.compareAndSet(false, true)) {
        sendData('3', nsp, id, Arguments.of(MAPPER, args).json());
      }
    }

    @Override
    public boolean requested() {
      return true;
    }
  }
}
