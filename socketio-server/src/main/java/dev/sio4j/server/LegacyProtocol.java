package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.common.internal.Json;
import dev.sio4j.engineio.server.EngineIoSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What Socket.IO protocol v4 (socket.io-client 1.x and 2.x, over Engine.IO v3, accepted with {@code
 * allowEIO3}) does differently from protocol v5 (REFERENCE §4.4). An Engine.IO v3 connection always
 * speaks protocol v4, so the engine's protocol decides:
 *
 * <ul>
 *   <li>the client is joined to {@code /} as soon as its engine opens, with an empty auth: a v4
 *       client never sends CONNECT for {@code /};
 *   <li>a CONNECT for another namespace carries its auth as a query string after the name ({@code
 *       /admin?token=abc}), and every packet's namespace is read without that query;
 *   <li>a socket's id is the engine's session id in {@code /}, {@code <namespace>#<session id>}
 *       elsewhere (the v2 client computes the same id on its side);
 *   <li>the CONNECT answer has no payload, so no {@code pid}: such a client cannot ask for
 *       connection state recovery, which is therefore never offered to it;
 *   <li>a middleware's refusal is a CONNECT_ERROR whose payload is a plain value: the error's data
 *       when it has one, else its message.
 * </ul>
 *
 * <p>Thread-safety: stateless; every method may be called from any thread.
 */
final class LegacyProtocol {
  private LegacyProtocol() {}

  /** Whether the connection speaks Socket.IO protocol v4 (Engine.IO v3). */
  static boolean isLegacy(EngineIoSocket conn) {
    return conn.protocol() == 3;
  }

  /** The public id of a legacy socket: the v2 client derives the same from the engine's id. */
  static String socketId(String namespace, String engineId) {
    return "/".equals(namespace) ? engineId : namespace + "#" + engineId;
  }

  /**
   * The namespace of a packet as a legacy client writes it: the reference resolves it as a URL
   * path, so the name ends at the first {@code ?} (the auth's query) or {@code #}.
   */
  static String name(String raw) {
    int end = endOfName(raw);
    return end == raw.length() ? raw : nameOrRoot(raw.substring(0, end));
  }

  /**
   * The auth a legacy client's CONNECT carries in the query string of its namespace: every
   * parameter form-decoded, as a string, the last of a repeated name winning (URLSearchParams read
   * into an object).
   */
  static ObjectNode auth(String raw, ObjectMapper mapper) {
    ObjectNode auth = mapper.createObjectNode();
    int end = endOfName(raw);
    if (end == raw.length() || raw.charAt(end) != '?') {
      return auth;
    }
    int hash = raw.indexOf('#', end);
    String query = raw.substring(end + 1, hash < 0 ? raw.length() : hash);
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      auth.put(key, value);
    }
    return auth;
  }

  private static int endOfName(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return raw.length();
  }

  private static String nameOrRoot(String name) {
    return name.isEmpty() ? "/" : name;
  }

  /**
   * Form-decodes as URLSearchParams does: {@code +} is a space, {@code %XX} a byte, and a {@code %}
   * not followed by two hex digits stays as it is (rather than failing the whole CONNECT); the
   * bytes are read as UTF-8, a malformed sequence becoming U+FFFD.
   */
  private static String decode(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); ) {
      char c = text.charAt(i);
      if (c == '+') {
        bytes.write(' ');
        i++;
      } else if (c == '%'
          && i + 2 < text.length()
          && hex(text.charAt(i + 1)) >= 0
          && hex(text.charAt(i + 2)) >= 0) {
        bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
        i += 3;
      } else {
        int end = i + Character.charCount(text.codePointAt(i));
        bytes.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80 ? Character.digit(c, 16) : -1;
  }

  /**
   * The payload of a legacy CONNECT_ERROR for a middleware's refusal: the reference sends {@code
   * err.data || err.message}. Data that the v4 client could not take as an error payload here (a
   * JSON value other than a string or an object, or a falsy one) gives way to the message.
   */
  static JsonNode connectErrorPayload(ObjectMapper mapper, String message, Object data) {
    if (data != null) {
      JsonNode node = Json.toNode(mapper, data);
      if ((node.isTextual() && !node.textValue().isEmpty()) || node.isObject()) {
        return node;
      }
    }
    return mapper.getNodeFactory().textNode(message);
  }
}
