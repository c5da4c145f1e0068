package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sio4j.engineio.testing.CapturedStderr;
import dev.sio4j.engineio.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client resetting its connection is the network's business, not a server bug: no WARN and no
 * stack trace, whether the connection held an Engine.IO request or one for the application's pages
 * (the fallback handler).
 */
@Timeout(60)
class QuietNetworkErrorsTest {
  @Test
  void resetsOfHttpConnectionsLogNoWarning() {
    try (CapturedStderr log = CapturedStderr.start();
        // One event loop: the resets are read in the order they are sent, and a session's close
        // (a task after the loop's I/O) is seen only once every earlier reset was handled.
        TestServer server =
            TestServer.start(EngineIoServer.builder().ioThreads(1), new Recorder())) {
      String sid = handshake(server);

      // A request for another page, its body still coming: the fallback's connection.
      try (RawHttp page = new RawHttp(server.port())) {
        page.send("POST /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nab");
        assertEquals(501, page.read().status());
        page.reset();
      }
      // A held long-polling GET.
      try (RawHttp poll = new RawHttp(server.port())) {
        poll.send(
            "GET /engine.io/?EIO=4&transport=polling&sid="
                + sid
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Polling.awaitPendingGet(server.recorder.socket(sid));
        poll.reset();
      }
      server.recorder.assertClose(
          sid, CloseReason.TRANSPORT_ERROR, "poll connection closed prematurely");

      String text = log.text();
      assertFalse(text.contains("exceptionCaught"), text);
      assertFalse(text.contains(" WARN "), text);
    }
  }
}
