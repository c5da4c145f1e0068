package dev.sio4j.engineio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.NetworkTool;
import dev.sio4j.interop.NodeServer;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code proxy} option through a real tinyproxy (started on a free port with a generated
 * configuration requiring Basic credentials, stopped by its PID) in front of the reference {@code
 * engine.io} server: polling and the WebSocket upgrade both go through CONNECT tunnels, which the
 * proxy's log shows; a wrong proxy address and wrong credentials fail with an error naming the
 * proxy. Skipped, loudly, only when no tinyproxy executable is found.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineIoClientProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static NodeServer server;
  private static NetworkTool proxy;

  @BeforeAll
  static void start() {
    boolean present = NetworkTool.executable("tinyproxy").isPresent();
    if (!present) {
      System.err.println("SKIPPED EngineIoClientProxyTest: no tinyproxy executable");
    }
    Assumptions.assumeTrue(present, "no tinyproxy executable");
    server = NodeServer.engineIo();
    int port = FreePort.find();
    proxy =
        NetworkTool.tinyproxy(
            dir ->
                String.join(
                    "\n",
                    "Port " + port,
                    "Listen 127.0.0.1",
                    "Timeout 60",
                    "MaxClients 50",
                    "LogFile \"" + dir.resolve("tinyproxy.log") + "\"",
                    "LogLevel Connect",
                    "Allow 127.0.0.1",
                    "BasicAuth alice s3cret",
                    // No ConnectPort line: CONNECT to any port (the server's is a free one).
                    ""),
            port,
            WAIT);
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static EngineIoClientOptions.Builder options(EngineIoClientOptions.Proxy p) {
    return EngineIoClientOptions.builder()
        .uri(URI.create(server.url()))
        .transports(TransportType.POLLING, TransportType.WEBSOCKET)
        .proxy(p);
  }

  private static int tunnelsToServer() {
    Matcher m =
        Pattern.compile("CONNECT 127\\.0\\.0\\.1:" + server.port() + " ")
            .matcher(proxy.file("tinyproxy.log"));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void pollingAndWebSocketGoThroughTheProxy() {
    int before = tunnelsToServer();
    RecordingListener rec = new RecordingListener();
    EngineIoClient client =
        EngineIoClient.open(
            options(EngineIoClientOptions.Proxy.of("127.0.0.1", proxy.port(), "alice", "s3cret"))
                .build(),
            rec);
    try {
      rec.expect("open", WAIT);
      rec.expect("upgrade:websocket", WAIT);
      client.send("tunnelled");
      rec.expect("message:tunnelled", WAIT);
      // The handshake's polling connection and the WebSocket: each in a tunnel of its own (a
      // connection made directly would leave one tunnel only).
      int tunnels = tunnelsToServer() - before;
      assertTrue(
          tunnels >= 2,
          tunnels + " tunnels in\n" + proxy.file("tinyproxy.log") + "\n---\n" + proxy.output());
    } finally {
      client.close().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void aProxyThatIsNotThereFailsWithAnErrorNamingIt() {
    int nothing = FreePort.find();
    Throwable error =
        failure(options(EngineIoClientOptions.Proxy.of("127.0.0.1", nothing)).build());
    String chain = messages(error);
    assertTrue(chain.contains("127.0.0.1:" + nothing), chain);
    assertTrue(chain.contains("proxy unreachable"), chain);
  }

  @Test
  void wrongCredentialsFailWithTheProxysRefusal() {
    Throwable error =
        failure(
            options(EngineIoClientOptions.Proxy.of("127.0.0.1", proxy.port(), "alice", "wrong"))
                .build());
    String chain = messages(error);
    assertTrue(chain.contains("the proxy refused the tunnel"), chain);
    // tinyproxy answers 401 where RFC 9110 says 407; either is the refusal of the credentials.
    assertTrue(chain.matches("(?s).*status: 40[17] .*"), chain);
    assertTrue(!chain.contains("wrong"), "the password stays out of the message: " + chain);
  }

  private static Throwable failure(EngineIoClientOptions options) {
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    EngineIoClient client =
        EngineIoClient.open(
            options,
            new EngineIoListener() {
              @Override
              public void onError(Throwable e) {
                error.complete(e);
              }

              @Override
              public void onClose(CloseReason reason, Optional<Throwable> cause) {
                closed.complete(reason);
              }
            });
    try {
      assertEquals(CloseReason.TRANSPORT_ERROR, closed.orTimeout(10, TimeUnit.SECONDS).join());
      return error.orTimeout(10, TimeUnit.SECONDS).join();
    } finally {
      client.close().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  private static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" | ");
    }
    return b.toString();
  }
}
