package dev.sio4j.socketio.parser;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;

/**
 * Number formatting as JavaScript's {@code JSON.stringify} does it ({@code
 * Number.prototype.toString}); string escaping is {@code JsStrings}'. Byte-identical output matters
 * because peers, tests and cluster adapters compare encoded packets, and a broadcast is encoded
 * once for JS and Java receivers alike.
 */
final class JsJson {
  /** Shared default mapper: ObjectMapper is thread-safe once configured, and costly to create. */
  static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

  /** 2^53: integral doubles below it print as plain integers in JS, the common case. */
  private static final double TWO_POW_53 = 9007199254740992.0;

  private JsJson() {}

  /** Formats a double exactly as JS {@code JSON.stringify} does. */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    if (d == 0) {
      return "0"; // also -0, which JS prints as 0
    }
    if (d == Math.rint(d) && Math.abs(d) < TWO_POW_53) {
      return Long.toString((long) d);
    }
    // Shortest round-trip digits (Schubfach); JDK 17's Double.toString is not always shortest.
    String java = NumberOutput.toString(d, true);
    int pos = 0;
    boolean negative = java.charAt(0) == '-';
    if (negative) {
      pos = 1;
    }
    int e = java.indexOf('E');
    int mantissaEnd = e < 0 ? java.length() : e;
    int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
    StringBuilder digits = new StringBuilder(20);
    int point = -1;
    for (int i = pos; i < mantissaEnd; i++) {
      char c = java.charAt(i);
      if (c == '.') {
        point = digits.length();
      } else {
        digits.append(c);
      }
    }
    // n is the ECMAScript "n": value = 0.digits * 10^n.
    int n = (point < 0 ? digits.length() : point) + exponent;
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
    }
    digits.delete(0, lead);
    n -= lead;
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    digits.setLength(end);
    if (digits.length() == 2) {
      // Java's algorithm never returns fewer than two digits; JS takes one when it round-trips.
      n += shortenToOneDigit(digits, n, Math.abs(d));
    }
    int k = digits.length();

    StringBuilder out = new StringBuilder(k + 8);
    if (negative) {
      out.append('-');
    }
    if (k <= n && n <= 21) {
      out.append(digits);
      for (int i = k; i < n; i++) {
        out.append('0');
      }
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int i = n; i < 0; i++) {
        out.append('0');
      }
      out.append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      int exp = n - 1;
      out.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
    }
    return out.toString();
  }

  /**
   * Replaces the two digits {@code d1d2} (value {@code 0.d1d2 * 10^n}) by one digit if a one-digit
   * decimal reads back as {@code abs}, picking the closer one as JS does.
   *
   * @return the change to {@code n}
   */
  private static int shortenToOneDigit(StringBuilder digits, int n, double abs) {
    int lo = digits.charAt(0) - '0';
    int hi = lo + 1;
    boolean loOk = Double.parseDouble(lo + "E" + (n - 1)) == abs;
    boolean hiOk = Double.parseDouble(hi + "E" + (n - 1)) == abs;
    if (loOk && hiOk) {
      BigDecimal exact = new BigDecimal(abs);
      BigDecimal loGap = exact.subtract(new BigDecimal(lo + "E" + (n - 1))).abs();
      BigDecimal hiGap = exact.subtract(new BigDecimal(hi + "E" + (n - 1))).abs();
      int cmp = loGap.compareTo(hiGap);
      loOk = cmp < 0 || (cmp == 0 && lo % 2 == 0);
    }
    if (loOk) {
      digits.setLength(0);
      digits.append((char) ('0' + lo));
      return 0;
    }
    if (hiOk) {
      digits.setLength(0);
      if (hi == 10) {
        digits.append('1');
        return 1;
      }
      digits.append((char) ('0' + hi));
    }
    return 0;
  }

  /** Formats a float as JS would print the double a JS peer would see for its decimal value. */
  static String number(float f) {
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      return "null";
    }
    return number(Double.parseDouble(NumberOutput.toString(f, true)));
  }
}
