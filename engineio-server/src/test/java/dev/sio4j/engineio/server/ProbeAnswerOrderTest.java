package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The probe of an upgrade is answered as it is read, as the reference answers it (synchronously,
 * in the handler of the {@code 2probe}): its {@code 3probe} is on the wire before anything the
 * server sends afterwards on another connection. The official engine.io-protocol suite relies on
 * it ("ignores HTTP requests with same sid after upgrade"): it sends {@code 2probe} and {@code 5}
 * on the WebSocket and then, without waiting, a polling GET on its keep-alive connection, and
 * reads the WebSocket's next message once the GET has its {@code 400}: that must not be the
 * {@code 3probe}.
 *
 * <p>The server has two event loops, so the WebSocket of each round lives on the other loop than
 * its session (connections are dealt to the loops in turn, and each round opens two). What the
 * client sends after its {@code 5} (pings, which the server answers on the WebSocket's loop) keeps
 * that loop busy: an answer to the probe that waits for that loop's next turn is then late, while
 * the GET is answered on the session's loop at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeAnswerOrderTest {
  private static final int ROUNDS = 10;
  private static final int PINGS = 300;
  private static final byte[] PING_DATA = new byte[125];
  private static final int TEXT = 0x1;
  private static final int PING = 0x9;

  @Test
  void probeIsAnsweredBeforeAPollTheClientSentAfterIt() {
    try (TestServer server = twoLoops()) {
      for (int round = 1; round <= ROUNDS; round++) {
        probeThenPoll(server, round, false);
      }
    }
  }

  /**
   * The session's loop is busy while the WebSocket opens and the client sends everything: the
   * WebSocket's loop could read the probe before the session took the upgrade, when it does not
   * know yet whether to answer it. It must not read it before: the probe is then answered as it
   * is read, once the session is free and has decided, still ahead of the answer to the poll.
   */
  @Test
  void probeSentWhileTheSessionsLoopIsBusyIsAnsweredBeforeThePoll() {
    try (TestServer server = twoLoops()) {
      for (int round = 1; round <= ROUNDS; round++) {
        probeThenPoll(server, round, true);
      }
    }
  }

  private static TestServer twoLoops() {
    return TestServer.start(EngineIoServer.builder().ioThreads(2), new Recorder());
  }

  /**
   * One round: a polling session, its WebSocket, the probe and the upgrade packet followed by
   * pings, then at once a GET on the polling connection.
   *
   * @param holdSessionLoop keep the session's loop busy from before the WebSocket opens until the
   *     GET is sent
   */
  private static void probeThenPoll(TestServer server, int round, boolean holdSessionLoop) {
    String sid;
    try (RawHttp polling = new RawHttp(server.port());
        RawHttp ws = new RawHttp(server.port())) {
      RawHttp.Response open = polling.exchange(get("EIO=4&transport=polling"));
      assertEquals(200, open.status(), open.bodyText());
      sid = sidOf(open.bodyText());
      CountDownLatch release = new CountDownLatch(1);
      if (holdSessionLoop) {
        CountDownLatch held = new CountDownLatch(1);
        server
            .recorder
            .socket(sid)
            .executor()
            .execute(
                () -> {
                  held.countDown();
                  await(release);
                });
        await(held);
      }
      try {
        RawHttp.Response switched =
            ws.exchange(
                RawHttp.upgradeRequest("/engine.io/?EIO=4&transport=websocket&sid=" + sid));
        assertEquals(101, switched.status());
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        burst.writeBytes(clientFrame(TEXT, "2probe".getBytes(StandardCharsets.UTF_8)));
        burst.writeBytes(clientFrame(TEXT, "5".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < PINGS; i++) {
          burst.writeBytes(clientFrame(PING, PING_DATA));
        }
        // Small enough for the socket buffers: written whole even while nothing reads it.
        ws.write(burst.toByteArray());
        polling.write(
            get("EIO=4&transport=polling&sid=" + sid).getBytes(StandardCharsets.ISO_8859_1));
      } finally {
        release.countDown();
      }
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

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String get(String query) {
    return "GET /engine.io/?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
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
      return opcode == TEXT
          && Arrays.equals(payload, text.getBytes(StandardCharsets.UTF_8));
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
