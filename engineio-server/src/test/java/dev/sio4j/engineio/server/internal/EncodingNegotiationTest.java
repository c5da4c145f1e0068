package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The choice between gzip and deflate for a polling response, as the reference's {@code accepts}
 * (negotiator 0.6) makes it: quality, then an exact name over {@code *}, then the client's order.
 */
class EncodingNegotiationTest {

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "gzip | gzip",
        "deflate | deflate",
        "gzip, deflate, br | gzip",
        "deflate, gzip | deflate",
        "gzip;q=0.1, deflate | deflate",
        "gzip;q=1.0, deflate;q=0.5 | gzip",
        "* | gzip",
        "*;q=0.5, deflate | deflate",
        "gzip;q=0, * | deflate",
        "gzip;q=0 | none",
        "gzip;q=abc, deflate;q=0 | none",
        "br, identity | none",
        "GZIP | gzip",
        "'' | none",
      })
  void picksTheEncodingTheReferenceWouldPick(String acceptEncoding, String expected) {
    assertEquals(expected, PollingTransport.negotiateEncoding(acceptEncoding));
  }
}
