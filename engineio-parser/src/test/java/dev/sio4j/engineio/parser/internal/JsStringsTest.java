package dev.sio4j.engineio.parser.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsStringsTest {
  private static String appended(String s) {
    StringBuilder sb = new StringBuilder("x");
    JsStrings.appendQuoted(sb, s);
    return sb.toString();
  }

  @Test
  void escapesAsJsonStringify() {
    assertEquals("a\\\"b\\\\c/d", JsStrings.escape("a\"b\\c/d"));
    assertEquals("\\u0001\\u001b\\b\\t\\n\\f\\r", JsStrings.escape("\u0001\u001b\b\t\n\f\r"));
    assertEquals("😀\\ud83dx\\ude00", JsStrings.escape("😀\ud83dx\ude00"));
    assertEquals("\"é\u007f\u2028\"", JsStrings.quote("é\u007f\u2028"));
  }

  @Test
  void appendQuotedTakesTheFastPathOnlyWhenNothingNeedsEscaping() {
    assertEquals("x\"\"", appended(""));
    assertEquals("x\"plain é ✓\"", appended("plain é ✓"));
    assertEquals("x\"tab\\there\"", appended("tab\there"));
    assertEquals("x\"q\\\"\"", appended("q\""));
    assertEquals("x\"b\\\\\"", appended("b\\"));
    assertEquals("x\"😀\"", appended("😀"));
    assertEquals("x\"\\ud83d\"", appended("\ud83d"));
    assertEquals("x\"a\\ude00😀\"", appended("a\ude00😀"));
  }
}
