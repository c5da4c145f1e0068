package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The probe of an upgrade is answered as it is read, as the reference answers it (synchronously, in
 * the handler of the {@code 2probe}): its {@code 3probe} is on the wire before anything the server
 * sends afterwards on another connection. The official engine.io-protocol suite relies on it
 * ("ignores HTTP requests with same sid after upgrade"): it sends {@code 2probe} and {@code 5} on
 * the WebSocket and then, without waiting, a polling GET on its keep-alive connection, and reads
 * the WebSocket's next message once the GET has its {@code 400}: that must not be the {@code
 * 3probe}.
 *
 * <p>The server has two event loops, so the WebSocket of each round lives on the other loop than
 * its session (connections are dealt to the loops in turn, and each round opens two).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeAnswerOrderTest {
  private static final int ROUNDS = 10;
  private static final int PINGS = 300;
  private static final byte[] PING_DATA = new byte[125];
  private static final int TEXT = 0x1;
  private static final int PING = 0x9;
  private static final byte[] PROBE_ANSWER = serverFrame("3probe");

  /**
   * The suite's steps, with pings after the {@code 5} (which the server answers on the WebSocket's
   * loop) to keep that loop busy: an answer to the probe that waits for that loop's next turn is
   * then late, while the GET is answered on the session's loop at once.
   */
  @Test
  void probeIsAnsweredBeforeAPollTheClientSentAfterIt() {
    try (TestServer server = twoLoops()) {
      for (int round = 1; round <= ROUNDS; round++) {
        probeThenPoll(server, round);
      }
    }
  }

  /**
   * The answer does not wait for the session's loop either: with that loop held busy, the {@code
   * 3probe} arrives all the same, so nothing the session's loop answers afterwards can precede it.
   * Once the loop is free, the upgrade completes.
   */
  @Test
  void probeIsAnsweredWhileTheSessionsLoopIsBusy() {
    try (TestServer server = twoLoops()) {
      for (int round = 1; round <= ROUNDS; round++) {
        String sid;
        try (RawHttp polling = new RawHttp(server.port());
            RawHttp ws = new RawHttp(server.port())) {
          sid = handshake(polling);
          CountDownLatch release = new CountDownLatch(1);
          CountDownLatch held = new CountDownLatch(1);
          server
              .recorder
              .socket(sid)
              .executor()
              .execute(
                  () -> {
                    held.countDown();
                    // longer than the wait for the 3probe below, which fails first
                    await(release, 30);
                  });
          try {
            await(held, 10);
            upgradeRequest(ws, sid);
            ws.write(concat(clientFrame(TEXT, "2probe"), clientFrame(TEXT, "5")));
            // within the socket's read timeout (10 s)
            assertArrayEquals(PROBE_ANSWER, ws.readBytes(PROBE_ANSWER.length), "round " + round);
          } finally {
            release.countDown();
          }
          assertEquals(TransportType.WEBSOCKET, server.recorder.awaitUpgrade(sid));
          ws.write(clientFrame(TEXT, "4hello"));
          assertEquals("hello", server.recorder.nextText(sid));
        }
        server.recorder.awaitClose(sid);
      }
    }
  }

  private static TestServer twoLoops() {
    return TestServer.start(EngineIoServer.builder().ioThreads(2), new Recorder());
  }

  /**
   * One round of {@link #probeIsAnsweredBeforeAPollTheClientSentAfterIt}: a polling session, its
   * WebSocket, the probe and the upgrade packet followed by pings, then at once a GET on the
   * polling connection.
   */
  private static void probeThenPoll(TestServer server, int round) {
    String sid;
    try (RawHttp polling = new RawHttp(server.port());
        RawHttp ws = new RawHttp(server.port())) {
      sid = handshake(polling);
      upgradeRequest(ws, sid);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      burst.writeBytes(clientFrame(TEXT, "2probe"));
      burst.writeBytes(clientFrame(TEXT, "5"));
      for (int i = 0; i < PINGS; i++) {
        burst.writeBytes(clientFrame(PING, PING_DATA));
      }
      ws.write(burst.toByteArray());
      polling.write(
          get("EIO=4&transport=polling&sid=" + sid).getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response answer = polling.read();
      // What the WebSocket had received by the time the GET's answer was in: the server wrote
      // both on loopback, where a write reaches the peer's socket before the call returns.
      List<Frame> arrived = serverFrames(ws.readAvailable());
      // 400 once the server handled the 5 (as in the suite); if the GET came first, polling was
      // closed under it by the upgrade.
      assertTrue(
          answer.status() == 400 || answer.status() == 200,
          "round " + round + ": GET answered " + answer.statusLine());
      assertTrue(
          !arrived.isEmpty() && arrived.get(0).isText("3probe"),
          "round "
              + round
              + ": the GET got "
              + answer.status()
              + " "
              + answer.bodyText()
              + " while the WebSocket had received "
              + summary(arrived));
    }
    // The session ends with its WebSocket, before the next round (or the server's close) starts.
    server.recorder.awaitClose(sid);
  }

  /** Opens a polling session on {@code polling} (kept alive) and returns its sid. */
  private static String handshake(RawHttp polling) {
    RawHttp.Response open = polling.exchange(get("EIO=4&transport=polling"));
    assertEquals(200, open.status(), open.bodyText());
    return sidOf(open.bodyText());
  }

  private static void upgradeRequest(RawHttp ws, String sid) {
    RawHttp.Response switched =
        ws.exchange(RawHttp.upgradeRequest("/engine.io/?EIO=4&transport=websocket&sid=" + sid));
    assertEquals(101, switched.status());
  }

  private static void await(CountDownLatch latch, int seconds) {
    try {
      assertTrue(latch.await(seconds, TimeUnit.SECONDS), "timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String get(String query) {
    return "GET /engine.io/?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  private static byte[] clientFrame(int opcode, String text) {
    return clientFrame(opcode, text.getBytes(StandardCharsets.UTF_8));
  }

  /** An unmasked server text frame of less than 126 bytes. */
  private static byte[] serverFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    return concat(new byte[] {(byte) (0x80 | TEXT), (byte) payload.length}, payload);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** One masked client frame (RFC 6455 §5.2), final, of at most 65535 bytes of payload. */
  private static byte[] clientFrame(int opcode, byte[] payload) {
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
    out.write(0x80 | opcode);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xFF);
    }
    out.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  /** A server frame as read. */
  private record Frame(int opcode, byte[] payload) {
    boolean isText(String text) {
      return opcode == TEXT && Arrays.equals(payload, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return opcode == TEXT
          ? new String(payload, StandardCharsets.UTF_8)
          : "opcode " + opcode + " (" + payload.length + " bytes)";
    }
  }

  /** The complete (unmasked) server frames at the start of {@code bytes}. */
  private static List<Frame> serverFrames(byte[] bytes) {
    List<Frame> frames = new ArrayList<>();
    int i = 0;
    while (i + 2 <= bytes.length) {
      int opcode = bytes[i] & 0x0F;
      long length = bytes[i + 1] & 0x7F;
      int header = 2;
      if (length == 126) {
        if (i + 4 > bytes.length) {
          break;
        }
        length = ((bytes[i + 2] & 0xFF) << 8) | (bytes[i + 3] & 0xFF);
        header = 4;
      } else if (length == 127) {
        if (i + 10 > bytes.length) {
          break;
        }
        length = 0;
        for (int k = 2; k < 10; k++) {
          length = (length << 8) | (bytes[i + k] & 0xFF);
        }
        header = 10;
      }
      if (i + header + length > bytes.length) {
        break;
      }
      int start = i + header;
      frames.add(new Frame(opcode, Arrays.copyOfRange(bytes, start, start + (int) length)));
      i = start + (int) length;
    }
    return frames;
  }

  /** The text frames and how many control frames came before the first of them. */
  private static String summary(List<Frame> frames) {
    int before = 0;
    for (Frame f : frames) {
      if (f.opcode() == TEXT) {
        return before + " pongs, then " + f + " (" + frames.size() + " frames in all)";
      }
      before++;
    }
    return frames.size() + " frames, no text frame";
  }
}
