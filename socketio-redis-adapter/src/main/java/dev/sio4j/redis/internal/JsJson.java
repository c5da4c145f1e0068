package dev.sio4j.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree as the bytes {@code JSON.stringify} produces for the JS value it stands for,
 * so that the JSON messages of the classic Redis adapter and the emitter are the Node ones byte for
 * byte (Jackson's writer differs in number and escape spelling).
 *
 * <ul>
 *   <li>numbers as JS prints them: integral values without a fraction ({@code 1.0} is {@code 1}),
 *       the shortest digits otherwise, exponent form outside [1e-7, 1e21); NaN and infinities as
 *       {@code null};
 *   <li>strings with the escapes of {@code JSON.stringify}: {@code \b \f \n \r \t}, other controls
 *       and lone surrogates as lowercase {@code \}{@code uXXXX}, everything else raw (UTF-8);
 *   <li>binary as Node's {@code Buffer.toJSON()}: {@code {"type":"Buffer","data":[bytes]}};
 *   <li>{@code MissingNode} (JS {@code undefined}) left out of objects, {@code null} in arrays.
 * </ul>
 *
 * <p>Thread-safety: stateless.
 */
public final class JsJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsJson() {}

  /** The UTF-8 bytes of {@code JSON.stringify(value)}. */
  public static byte[] bytes(JsonNode tree) {
    return string(tree).getBytes(StandardCharsets.UTF_8);
  }

  /** The text of {@code JSON.stringify(value)}. */
  public static String string(JsonNode tree) {
    StringBuilder out = new StringBuilder(128);
    write(tree.isMissingNode() ? null : tree, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
      return;
    }
    switch (node.getNodeType()) {
      case BOOLEAN -> out.append(node.booleanValue());
      case STRING -> string(node.textValue(), out);
      case NUMBER -> number(node, out);
      case BINARY -> buffer(node, out);
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          if (field.getValue().isMissingNode()) {
            continue;
          }
          if (!first) {
            out.append(',');
          }
          first = false;
          string(field.getKey(), out);
          out.append(':');
          write(field.getValue(), out);
        }
        out.append('}');
      }
      default -> out.append("null"); // POJO nodes never reach the wire
    }
  }

  private static void buffer(JsonNode node, StringBuilder out) {
    byte[] bytes;
    try {
      bytes = node.binaryValue();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
    out.append("{\"type\":\"Buffer\",\"data\":[");
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(bytes[i] & 0xff);
    }
    out.append("]}");
  }

  private static void number(JsonNode node, StringBuilder out) {
    if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue());
      return;
    }
    double d = node.doubleValue();
    out.append(jsNumber(d));
  }

  /** {@code Number.prototype.toString()} of a double (ECMAScript's Number::toString). */
  static String jsNumber(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    if (d == 0) {
      return "0";
    }
    StringBuilder out = new StringBuilder(24);
    if (d < 0) {
      out.append('-');
      d = -d;
    }
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    String digits = exact.unscaledValue().toString();
    int k = digits.length();
    int n = k - exact.scale(); // d = 0.digits * 10^n
    if (k <= n && n <= 21) {
      out.append(digits);
      out.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
    }
    return out.toString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            unicodeEscape(c, out);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              unicodeEscape(c, out);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicodeEscape(c, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
