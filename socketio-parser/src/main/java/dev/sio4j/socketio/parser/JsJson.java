package dev.sio4j.socketio.parser;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.engineio.parser.JsStrings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The parts of JavaScript's {@code JSON.stringify} that Jackson does not do the same way: number
 * formatting ({@code Number.prototype.toString}), lower-case {@code \\u00xx} escapes and escaped
 * lone surrogates. Byte-identical output matters because peers, tests and cluster adapters compare
 * encoded packets, and a broadcast is encoded once for JS and Java receivers alike.
 */
final class JsJson {
  /** Shared default mapper: ObjectMapper is thread-safe once configured, and costly to create. */
  static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

  /** 2^53: integral doubles below it print as plain integers in JS, the common case. */
  private static final double TWO_POW_53 = 9007199254740992.0;

  static final CharacterEscapes ESCAPES = new JsEscapes();

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

  /**
   * Whether {@code s} holds a surrogate without its partner. Jackson writes such a char as is (and
   * UTF-8 encoding later turns it into {@code ?}), while JS escapes it, so these strings take a
   * slow path.
   */
  static boolean hasLoneSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  /** The JS-escaped content of {@code s}, without the surrounding quotes. */
  static String escape(String s) {
    return JsStrings.escape(s);
  }

  /**
   * Jackson's standard escapes with JS's lower-case hex for the control characters that have no
   * short form. Non-ASCII is never escaped here: lone surrogates are handled before the generator.
   */
  private static final class JsEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    private final int[] ascii;
    private final SerializableString[] controls = new SerializableString[0x20];

    JsEscapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      for (int c = 0; c < 0x20; c++) {
        // Jackson writes \\b, \\t, \\n, \\f, \\r (as JS does) and upper-case \\u00XX otherwise.
        if (ascii[c] == CharacterEscapes.ESCAPE_STANDARD) {
          ascii[c] = CharacterEscapes.ESCAPE_CUSTOM;
          controls[c] = new SerializedString(JsStrings.escape(String.valueOf((char) c)));
        }
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch < 0x20 ? controls[ch] : null;
    }
  }

  /**
   * A field name whose quoted form is computed by {@link #escape}, for names with lone surrogates:
   * the generator copies the quoted form verbatim. Jackson's own {@code SerializedString} cannot be
   * bent to this (its quoting methods are final), hence a full implementation.
   */
  static final class JsQuotedName implements SerializableString {
    private final String name;
    private final char[] quoted;
    private final byte[] quotedUtf8;
    private final byte[] unquotedUtf8;

    JsQuotedName(String name) {
      this.name = name;
      String escaped = escape(name);
      this.quoted = escaped.toCharArray();
      // The escaped form has no lone surrogates left, so it converts to UTF-8 losslessly.
      this.quotedUtf8 = escaped.getBytes(StandardCharsets.UTF_8);
      this.unquotedUtf8 = name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String getValue() {
      return name;
    }

    @Override
    public int charLength() {
      return name.length();
    }

    @Override
    public char[] asQuotedChars() {
      return quoted.clone();
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return unquotedUtf8.clone();
    }

    @Override
    public byte[] asQuotedUTF8() {
      return quotedUtf8.clone();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      return append(quotedUtf8, buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      if (offset + quoted.length > buffer.length) {
        return -1;
      }
      System.arraycopy(quoted, 0, buffer, offset, quoted.length);
      return quoted.length;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      return append(unquotedUtf8, buffer, offset);
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      if (offset + name.length() > buffer.length) {
        return -1;
      }
      name.getChars(0, name.length(), buffer, offset);
      return name.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
      out.write(quotedUtf8);
      return quotedUtf8.length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(unquotedUtf8);
      return unquotedUtf8.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
      return put(quotedUtf8, buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      return put(unquotedUtf8, buffer);
    }

    private static int append(byte[] bytes, byte[] buffer, int offset) {
      if (offset + bytes.length > buffer.length) {
        return -1;
      }
      System.arraycopy(bytes, 0, buffer, offset, bytes.length);
      return bytes.length;
    }

    private static int put(byte[] bytes, ByteBuffer buffer) {
      if (bytes.length > buffer.remaining()) {
        return -1;
      }
      buffer.put(bytes);
      return bytes.length;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** An unsynchronised writer into a StringBuilder (StringWriter synchronises every call). */
  static final class StringBuilderWriter extends Writer {
    private final StringBuilder sb;

    StringBuilderWriter(StringBuilder sb) {
      this.sb = sb;
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      sb.append(cbuf, off, len);
    }

    @Override
    public void write(int c) {
      sb.append((char) c);
    }

    @Override
    public void write(String str, int off, int len) {
      sb.append(str, off, off + len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
