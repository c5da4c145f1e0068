package dev.sio4j.examples.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.interop.FreePort;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code socketio --webtransport-port N}: WebTransport on that UDP port with a certificate made at
 * start, whose SHA-256 (base64) the READY line prints for the client's {@code
 * serverCertificateHashes}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebTransportFlagTest {
  private static final Pattern READY =
      Pattern.compile(
          "READY socketio on 127\\.0\\.0\\.1:(\\d+) \\(.*\\) webtransport (\\d+) sha-256"
              + " ([A-Za-z0-9+/]{43}=)");

  private Runnable stop;

  @AfterEach
  void stop() {
    if (stop != null) {
      stop.run();
    }
  }

  @Test
  void theReadyLineNamesTheUdpPortAndTheCertificateHash() throws Exception {
    int port = FreePort.find();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    synchronized (System.class) {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        stop =
            ConformanceServer.start(
                "socketio", "--port", Integer.toString(port), "--webtransport-port", "0");
      } finally {
        System.setOut(original);
      }
    }
    String out = captured.toString(StandardCharsets.UTF_8).strip();
    Matcher m = READY.matcher(out);
    assertTrue(m.find(), out);
    assertEquals(port, Integer.parseInt(m.group(1)));
    assertEquals(32, Base64.getDecoder().decode(m.group(3)).length);
    int udp = Integer.parseInt(m.group(2));
    // the UDP port is the listener's
    assertThrows(
        BindException.class,
        () -> new DatagramSocket(udp, InetAddress.getByName("127.0.0.1")).close());
  }

  @Test
  void theFlagIsForTheSocketIoModeOnly() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConformanceServer.start("engineio", "--webtransport-port", "0"));
    assertTrue(e.getMessage().contains("--webtransport-port is for the socketio mode"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ConformanceServer.start("socketio", "--webtransport-port", "x"));
  }
}
