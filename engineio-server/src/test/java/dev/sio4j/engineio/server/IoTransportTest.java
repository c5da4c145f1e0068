package dev.sio4j.engineio.server;

import static dev.sio4j.engineio.server.Polling.handshake;
import static dev.sio4j.engineio.server.Polling.poll;
import static dev.sio4j.engineio.server.Polling.push;
import static dev.sio4j.engineio.testing.EngineIoWireClient.sidOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sio4j.engineio.testing.RawWebSocket;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Netty transport: picked automatically, forced by the builder, served over each one. */
@Timeout(60)
class IoTransportTest {

  private static boolean available(IoTransport t) {
    switch (t) {
      case IO_URING:
        return IoUring.isAvailable();
      case EPOLL:
        return Epoll.isAvailable();
      default:
        return true;
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = IoTransport.class,
      names = {"IO_URING", "EPOLL", "NIO"})
  void aForcedTransportServesWebSocketAndPolling(IoTransport transport) {
    assumeTrue(available(transport), () -> transport + " is not available on this machine");
    try (TestServer server =
            TestServer.start(EngineIoServer.builder().transport(transport), new Recorder());
        RawWebSocket ws = RawWebSocket.connect(server.ws("EIO=4&transport=websocket"))) {
      assertEquals(transport, server.server.transport());
      String wsSid = sidOf(ws.nextText());
      ws.send("4ping over " + transport);
      assertEquals("ping over " + transport, server.recorder.nextText(wsSid));
      server.recorder.socket(wsSid).send("pong");
      assertEquals("4pong", ws.nextText());

      String sid = handshake(server);
      push(server, sid, "4hello");
      assertEquals("hello", server.recorder.nextText(sid));
      server.recorder.socket(sid).send("back");
      assertEquals("4back", poll(server, sid));
    }
  }

  @Test
  void autoTakesEpollThenIoUringThenNio() {
    IoTransport expected =
        Epoll.isAvailable()
            ? IoTransport.EPOLL
            : IoUring.isAvailable() ? IoTransport.IO_URING : IoTransport.NIO;
    try (TestServer server =
        TestServer.start(EngineIoServer.builder().transport(IoTransport.AUTO), new Recorder())) {
      assertEquals(expected, server.server.transport());
    }
  }

  @Test
  void theSystemPropertyDecidesWhenTheBuilderDoesNot() {
    String before = System.getProperty(IoTransport.PROPERTY);
    System.setProperty(IoTransport.PROPERTY, "nio");
    EngineIoServer server;
    try {
      // Read when the server is built, as the other options.
      server = EngineIoServer.builder().handler(new Recorder()).build();
    } finally {
      restore(before);
    }
    try {
      server.start().get(10, TimeUnit.SECONDS);
      assertEquals(IoTransport.NIO, server.transport());
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      server.close().join();
    }
  }

  @Test
  void anUnknownNameInTheSystemPropertyIsRejected() {
    String before = System.getProperty(IoTransport.PROPERTY);
    System.setProperty(IoTransport.PROPERTY, "kqueue");
    try {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> EngineIoServer.builder().handler(new Recorder()).build());
      assertTrue(e.getMessage().contains("kqueue"), e.getMessage());
    } finally {
      restore(before);
    }
  }

  @Test
  void namesAreReadLeniently() {
    assertEquals(Optional.of(IoTransport.IO_URING), IoTransport.byName("io_uring"));
    assertEquals(Optional.of(IoTransport.IO_URING), IoTransport.byName("IO-URING"));
    assertEquals(Optional.of(IoTransport.IO_URING), IoTransport.byName("iouring"));
    assertEquals(Optional.of(IoTransport.EPOLL), IoTransport.byName(" Epoll "));
    assertEquals(Optional.of(IoTransport.AUTO), IoTransport.byName("auto"));
    assertEquals(Optional.empty(), IoTransport.byName("kqueue"));
  }

  @Test
  void transportIsUnknownBeforeStart() {
    EngineIoServer server = EngineIoServer.builder().handler(new Recorder()).build();
    assertThrows(IllegalStateException.class, server::transport);
  }

  @Test
  void aForcedTransportThatIsNotAvailableFailsTheStartWithTheReason() {
    IoTransport missing =
        !IoUring.isAvailable()
            ? IoTransport.IO_URING
            : !Epoll.isAvailable() ? IoTransport.EPOLL : null;
    assumeTrue(missing != null, "io_uring and epoll are both available here");
    EngineIoServer server =
        EngineIoServer.builder().transport(missing).handler(new Recorder()).build();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> server.start().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().contains("not available"), e.getCause().getMessage());
    server.close().join();
  }

  private static void restore(String before) {
    if (before == null) {
      System.clearProperty(IoTransport.PROPERTY);
    } else {
      System.setProperty(IoTransport.PROPERTY, before);
    }
  }
}
