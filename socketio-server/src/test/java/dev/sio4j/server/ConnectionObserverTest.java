package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.Subscription;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.engineio.server.EngineIoSocket;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.EngineIoWireClient.Transport;
import dev.sio4j.engineio.testing.RawWebSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link SocketIoServer#observeConnections}: what the transport layer tells observers. */
class ConnectionObserverTest extends ServerTestSupport {
  /** Every call as one line: "open polling", "in 12", "out 30", "close transport close". */
  static final class Recorder implements ConnectionObserver {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onOpen(EngineIoSocket conn, TransportType transport) {
      calls.add("open " + transport.wireName());
    }

    @Override
    public void onUpgrade(EngineIoSocket conn, TransportType transport) {
      calls.add("upgrade " + transport.wireName());
    }

    @Override
    public void onClose(EngineIoSocket conn, CloseReason reason) {
      calls.add("close " + reason.text());
    }

    @Override
    public void onMessageIn(EngineIoSocket conn, int bytes) {
      calls.add("in " + bytes);
    }

    @Override
    public void onMessageOut(EngineIoSocket conn, int bytes) {
      calls.add("out " + bytes);
    }
  }

  @Test
  void reportsOpenMessagesWithTheirUtf8SizeAndClose() {
    SocketIoServer io = server();
    io.onConnection(s -> s.on("echo", args -> s.emit("echo", args.string(0))));
    Recorder rec = new Recorder();
    io.observeConnections(rec);

    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect();
    String event = "2[\"echo\",\"h\u00e9\u20ac\ud83d\ude00\"]";
    c.send("4" + event);
    assertTrue(c.nextText().startsWith("42[\"echo\""));
    c.close();
    awaitCondition(() -> rec.calls.stream().anyMatch(s -> s.startsWith("close")), "the close");

    int eventBytes = event.getBytes(StandardCharsets.UTF_8).length;
    assertEquals("open websocket", rec.calls.get(0));
    assertTrue(rec.calls.contains("in 1"), rec.calls.toString()); // "0": the CONNECT
    assertTrue(rec.calls.contains("in " + eventBytes), rec.calls.toString());
    // The echo is the same event back: the same size.
    assertTrue(rec.calls.contains("out " + eventBytes), rec.calls.toString());
    assertEquals("close transport close", rec.calls.get(rec.calls.size() - 1));
  }

  @Test
  void reportsTheUpgradeOfAPollingConnection() {
    SocketIoServer io = server();
    Recorder rec = new Recorder();
    io.observeConnections(rec);
    EngineIoWireClient c = client(io, Transport.POLLING);
    try (RawWebSocket ws =
        RawWebSocket.connect(
            URI.create(
                "ws://127.0.0.1:"
                    + io.port()
                    + "/socket.io/?EIO=4&transport=websocket&sid="
                    + c.sid()))) {
      ws.send("2probe");
      assertEquals("3probe", ws.nextText());
      ws.send("5");
      awaitCondition(() -> rec.calls.contains("upgrade websocket"), "the upgrade");
    }
    assertEquals("open polling", rec.calls.get(0));
  }

  @Test
  void anObserverThatThrowsDoesNotStopTheConnection() {
    SocketIoServer io = server();
    io.onConnection(s -> s.on("echo", args -> s.emit("echo", args.string(0))));
    io.observeConnections(
        new ConnectionObserver() {
          @Override
          public void onOpen(EngineIoSocket conn, TransportType transport) {
            throw new IllegalStateException("observer bug (expected by the test)");
          }

          @Override
          public void onMessageIn(EngineIoSocket conn, int bytes) {
            throw new IllegalStateException("observer bug (expected by the test)");
          }

          @Override
          public void onMessageOut(EngineIoSocket conn, int bytes) {
            throw new IllegalStateException("observer bug (expected by the test)");
          }
        });
    EngineIoWireClient c = client(io, Transport.WEBSOCKET);
    c.connect();
    c.send("42[\"echo\",\"still here\"]");
    assertEquals("42[\"echo\",\"still here\"]", c.nextText());
  }

  @Test
  void aCancelledObserverHearsNothingMore() {
    SocketIoServer io = server();
    Recorder rec = new Recorder();
    Subscription sub = io.observeConnections(rec);
    sub.cancel();
    connected(io, Transport.WEBSOCKET);
    assertTrue(rec.calls.isEmpty(), rec.calls.toString());
  }
}
