package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.internal.JsStrings;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The JSONP flavour of polling, kept for legacy clients: responses are a script calling {@code
 * ___eio[j]("...")}, POST bodies are forms with the payload in field {@code d}.
 *
 * <p>Thread-safety: stateless.
 */
final class Jsonp {
  private Jsonp() {}

  static String wrap(String index, String payload) {
    return "___eio["
        + index
        + "]("
        + JsStrings.quote(payload).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        + ");";
  }

  /**
   * Extracts field {@code d} of a form body and undoes the client's newline escaping: {@code \n}
   * (backslash, n) not preceded by a backslash becomes a newline, and {@code \\n} becomes {@code
   * \n}.
   */
  static String unwrapPostBody(String body) {
    Map<String, List<String>> form =
        new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters();
    List<String> d = form.get("d");
    String data = d == null || d.isEmpty() ? "" : d.get(0);
    StringBuilder sb = new StringBuilder(data.length());
    int i = 0;
    while (i < data.length()) {
      char c = data.charAt(i);
      if (c == '\\'
          && i + 2 < data.length()
          && data.charAt(i + 1) == '\\'
          && data.charAt(i + 2) == 'n') {
        sb.append("\\n");
        i += 3;
      } else if (c == '\\' && i + 1 < data.length() && data.charAt(i + 1) == 'n') {
        sb.append('\n');
        i += 2;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }
}
