package dev.sio4j.socketio.parser;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A fast path for the JSON of most events: a flat array of plain strings, integers, booleans and
 * nulls with no whitespace, e.g. {@code ["chat","hello",42]}, which is what {@code JSON.stringify}
 * makes of the usual arguments. For such small documents Jackson's per-call set-up (parser, buffer
 * recycling, tree deserializer) cost more than the parsing, about a fifth of an echo's server CPU.
 *
 * <p>It builds the very nodes Jackson would (the reader's node factory; {@code IntNode} or {@code
 * LongNode} by size) and gives up, returning null, on anything else: escapes in strings, fractions
 * and exponents, objects, nested arrays, whitespace, anything malformed, strings longer than the
 * reader's limit, or a reader configured to read integers differently. The caller then parses with
 * Jackson, which also produces the errors.
 *
 * <p>Thread-safety: immutable.
 */
final class FlatArrayParser {
  private final JsonNodeFactory nodes;
  private final int maxStringLength;
  private final boolean plainInts;

  FlatArrayParser(ObjectReader reader) {
    DeserializationConfig config = reader.getConfig();
    this.nodes = config.getNodeFactory();
    this.maxStringLength = reader.getFactory().streamReadConstraints().getMaxStringLength();
    this.plainInts =
        !config.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            && !config.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS);
  }

  /** The array that {@code text} from {@code from} to its end holds, or null to use Jackson. */
  ArrayNode parse(String text, int from) {
    int n = text.length();
    int i = from;
    if (i >= n || text.charAt(i) != '[') {
      return null;
    }
    i++;
    ArrayNode array = nodes.arrayNode();
    if (i < n && text.charAt(i) == ']') {
      return i + 1 == n ? array : null;
    }
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"') {
        int start = i + 1;
        int end = start;
        while (true) {
          if (end >= n) {
            return null;
          }
          char d = text.charAt(end);
          if (d == '"') {
            break;
          }
          if (d == '\\' || d < 0x20) {
            return null;
          }
          end++;
        }
        if (end - start > maxStringLength) {
          return null;
        }
        array.add(nodes.textNode(text.substring(start, end)));
        i = end + 1;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!plainInts) {
          return null;
        }
        int start = i;
        if (c == '-') {
          i++;
        }
        int digitsStart = i;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          i++;
        }
        int digits = i - digitsStart;
        if (digits == 0
            || digits > 18
            || (digits > 1 && text.charAt(digitsStart) == '0')
            || (i < n
                && (text.charAt(i) == '.' || text.charAt(i) == 'e' || text.charAt(i) == 'E'))) {
          return null;
        }
        long value = Long.parseLong(text, start, i, 10);
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
          array.add(nodes.numberNode((int) value));
        } else {
          array.add(nodes.numberNode(value));
        }
      } else if (text.startsWith("true", i)) {
        array.add(nodes.booleanNode(true));
        i += 4;
      } else if (text.startsWith("false", i)) {
        array.add(nodes.booleanNode(false));
        i += 5;
      } else if (text.startsWith("null", i)) {
        array.add(nodes.nullNode());
        i += 4;
      } else {
        return null;
      }
      if (i >= n) {
        return null;
      }
      char sep = text.charAt(i);
      if (sep == ']') {
        return i + 1 == n ? array : null;
      }
      if (sep != ',') {
        return null;
      }
      i++;
    }
    return null;
  }
}
