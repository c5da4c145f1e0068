package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a protocol v4 namespace is read (a URL path and its query), and its refusal payloads. */
class LegacyProtocolTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void theNameEndsAtTheQueryOrTheFragment() {
    assertEquals("/admin", LegacyProtocol.name("/admin"));
    assertEquals("/admin", LegacyProtocol.name("/admin?token=abc"));
    assertEquals("/admin", LegacyProtocol.name("/admin#x?y=1"));
    assertEquals("/", LegacyProtocol.name("/?token=abc"));
  }

  @Test
  void theQueryIsFormDecodedIntoStringsTheLastRepeatedNameWinning() {
    assertEquals("{}", LegacyProtocol.auth("/admin", MAPPER).toString());
    assertEquals(
        "{\"token\":\"2\",\"name\":\"a b!\",\"flag\":\"\"}",
        LegacyProtocol.auth("/admin?token=1&name=a+b%21&&flag&token=2", MAPPER).toString());
    assertEquals("{\"a\":\"1\"}", LegacyProtocol.auth("/admin?a=1#b=2", MAPPER).toString());
    assertEquals("{}", LegacyProtocol.auth("/admin#?a=1", MAPPER).toString());
    // A malformed escape stays as it is, as URLSearchParams leaves it.
    assertEquals(
        "{\"p\":\"100% sure!\",\"q\":\"%zz€%\"}",
        LegacyProtocol.auth("/a?p=100%+sure%21&q=%zz%E2%82%AC%", MAPPER).toString());
  }

  @Test
  void aRefusalSendsItsDataWhenItHasSomeElseItsMessage() {
    assertEquals(
        "{\"code\":42}",
        LegacyProtocol.connectErrorPayload(MAPPER, "denied", Map.of("code", 42)).toString());
    assertEquals("\"why\"", LegacyProtocol.connectErrorPayload(MAPPER, "denied", "why").toString());
    assertEquals(
        "\"denied\"", LegacyProtocol.connectErrorPayload(MAPPER, "denied", null).toString());
    assertEquals("\"denied\"", LegacyProtocol.connectErrorPayload(MAPPER, "denied", "").toString());
    // Our choice: other JSON values give way to the message (the reference would send them as
    // they are; a CONNECT_ERROR payload here is a string or an object).
    assertEquals("\"denied\"", LegacyProtocol.connectErrorPayload(MAPPER, "denied", 7).toString());
  }
}
