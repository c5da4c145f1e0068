package dev.sio4j.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected strings are what {@code String(x)} / {@code JSON.stringify(x)} print in Node. */
class JsJsonTest {
  @Test
  void numbersFollowNumberPrototypeToString() {
    assertEquals("0", JsJson.number(0.0));
    assertEquals("0", JsJson.number(-0.0));
    assertEquals("-1", JsJson.number(-1.0));
    assertEquals("0.1", JsJson.number(0.1));
    assertEquals("0.30000000000000004", JsJson.number(0.1 + 0.2));
    assertEquals("-1.5", JsJson.number(-1.5));
    assertEquals("123.456", JsJson.number(123.456));
    assertEquals("9007199254740992", JsJson.number(9007199254740992.0));
    assertEquals("18014398509481984", JsJson.number(18014398509481984.0));
    assertEquals("100000000000000000000", JsJson.number(1e20));
    assertEquals("123456789012345680000", JsJson.number(123456789012345678901.0));
    assertEquals("1e+21", JsJson.number(1e21));
    assertEquals("1.2345e+25", JsJson.number(1.2345e25));
    assertEquals("0.000001", JsJson.number(1e-6));
    assertEquals("0.0000012", JsJson.number(1.2e-6));
    assertEquals("1e-7", JsJson.number(1e-7));
    assertEquals("-1.5e-10", JsJson.number(-1.5e-10));
    assertEquals("5e-324", JsJson.number(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", JsJson.number(Double.MAX_VALUE));
    assertEquals("2e+23", JsJson.number(2e23));
    assertEquals("1e+23", JsJson.number(1e23));
    assertEquals("-5e-324", JsJson.number(-Double.MIN_VALUE));
    assertEquals("1e-323", JsJson.number(2 * Double.MIN_VALUE));
    assertEquals("1.5e-323", JsJson.number(3 * Double.MIN_VALUE));
    assertEquals("null", JsJson.number(Double.NaN));
    assertEquals("null", JsJson.number(Double.NEGATIVE_INFINITY));
    assertEquals("0.1", JsJson.number(0.1f));
    assertEquals("3.14", JsJson.number(3.14f));
  }
}
