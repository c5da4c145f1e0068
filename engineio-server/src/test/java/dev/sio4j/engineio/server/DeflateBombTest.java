package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A permessage-deflate message is inflated only up to {@code maxHttpBufferSize}: a few hundred
 * kilobytes of deflate data that would inflate to 200 MB (in one frame, or spread over continuation
 * frames each far over the limit) close the socket with 1009 while the server allocates little more
 * than the limit, as the reference's ws stops inflating at {@code maxPayload}. A message of exactly
 * the limit, across frames, still passes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeflateBombTest {
  private static final int LIMIT = 1024 * 1024;
  private static final long BOMB = 200L * 1024 * 1024;
  // Inflating the bomb whole allocates at least its 200 MB. Refusing it at the limit allocates a
  // few MB, and some 40 MB with the tests' paranoid leak detection (a stack trace per buffer
  // access): half the bomb tells the two apart with room to spare.
  private static final long ALLOCATION_BOUND = 100L * 1024 * 1024;

  private static TestServer server() {
    return TestServer.start(
        EngineIoOptions.builder().maxHttpBufferSize(LIMIT).perMessageDeflate(true));
  }

  private static RawWebSocket connect(TestServer server) {
    return RawWebSocket.connect(
        server.ws("EIO=4&transport=websocket"),
        RawWebSocket.Options.defaults().withPerMessageDeflate());
  }

  @Test
  void aMessageOfExactlyTheLimitAcrossFramesPasses() {
    try (TestServer server = server();
        RawWebSocket ws = connect(server)) {
      String sid = sidOf(ws.nextText());
      ws.sendDeflated(true, deflated(LIMIT / 3, LIMIT / 3, LIMIT - 1 - 2 * (LIMIT / 3)));
      assertEquals("x".repeat(LIMIT - 1), server.recorder.nextText(sid));
      // The inflater's context carries over to the next message, which the client's compressor
      // relies on: the same message again, compressed by the client's own encoder.
      ws.send("4" + "x".repeat(LIMIT - 1));
      assertEquals("x".repeat(LIMIT - 1), server.recorder.nextText(sid));
    }
  }

  @Test
  void oneByteOverTheLimitAcrossFramesCloses() {
    try (TestServer server = server();
        RawWebSocket ws = connect(server)) {
      String sid = sidOf(ws.nextText());
      ws.sendDeflated(true, deflated(LIMIT / 3, LIMIT / 3, LIMIT - 2 * (LIMIT / 3)));
      assertEquals(1009, ws.awaitClose());
      assertEquals(CloseReason.TRANSPORT_ERROR, server.recorder.awaitClose(sid).reason());
      server.recorder.assertNoMessage(sid);
    }
  }

  @Test
  void aBombInOneFrameIsRefusedWithoutInflatingIt() {
    refusedWithinBound(deflated(BOMB));
  }

  @Test
  void aBombEndingAFragmentedMessageIsRefusedWithoutInflatingIt() {
    // The size counts across the message's frames: inflation stops half a limit into the last
    // one. The bomb is the last frame: the server closing while frames are still on their way
    // would reset the connection, and could cost the client the close frame before it reads it.
    refusedWithinBound(deflated(LIMIT / 4, LIMIT / 4, BOMB));
  }

  private static void refusedWithinBound(byte[][] parts) {
    try (TestServer server = server();
        RawWebSocket ws = connect(server)) {
      String sid = sidOf(ws.nextText());
      Map<Long, Long> before = allocatedPerThread();
      ws.sendDeflated(true, parts);
      assertEquals(1009, ws.awaitClose());
      assertEquals(CloseReason.TRANSPORT_ERROR, server.recorder.awaitClose(sid).reason());
      long allocated = allocatedSince(before);
      assertTrue(
          allocated < ALLOCATION_BOUND,
          "allocated "
              + allocated
              + " bytes while refusing the message (bound "
              + ALLOCATION_BOUND
              + ")");
      server.recorder.assertNoMessage(sid);
    }
  }

  /**
   * Raw DEFLATE data of the Engine.IO message "4" followed by bytes 'x', one sync-flushed piece per
   * element of {@code fillers} (that many 'x'), the last without its tail.
   */
  private static byte[][] deflated(long... fillers) {
    int parts = fillers.length;
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] block = new byte[64 * 1024];
    Arrays.fill(block, (byte) 'x');
    byte[] out = new byte[64 * 1024];
    byte[][] result = new byte[parts][];
    try {
      for (int p = 0; p < parts; p++) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (p == 0) {
          deflater.setInput("4".getBytes(StandardCharsets.UTF_8));
          drain(deflater, out, bytes, Deflater.NO_FLUSH);
        }
        long left = fillers[p];
        while (left > 0) {
          int n = (int) Math.min(block.length, left);
          deflater.setInput(block, 0, n);
          drain(deflater, out, bytes, Deflater.NO_FLUSH);
          left -= n;
        }
        drain(deflater, out, bytes, Deflater.SYNC_FLUSH);
        result[p] = bytes.toByteArray();
      }
    } finally {
      deflater.end();
    }
    byte[] last = result[parts - 1];
    result[parts - 1] = Arrays.copyOf(last, last.length - 4);
    return result;
  }

  private static void drain(Deflater deflater, byte[] out, ByteArrayOutputStream to, int flush) {
    for (; ; ) {
      int n = deflater.deflate(out, 0, out.length, flush);
      to.write(out, 0, n);
      if (n < out.length && deflater.needsInput()) {
        return;
      }
    }
  }

  // Heap allocated by each live thread but the client's: cumulative, so a transient peak cannot
  // slip between two samples. The server inflates on its channel's loop, a thread that lives
  // through the test.
  private static Map<Long, Long> allocatedPerThread() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    Map<Long, Long> result = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      // The client's own threads (framing and masking the bomb) are not the server's doing.
      if (bytes[i] >= 0
          && infos[i] != null
          && !infos[i].getThreadName().startsWith(RawWebSocket.THREAD_NAME_PREFIX)) {
        result.put(ids[i], bytes[i]);
      }
    }
    return result;
  }

  private static long allocatedSince(Map<Long, Long> before) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : allocatedPerThread().entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }
}
