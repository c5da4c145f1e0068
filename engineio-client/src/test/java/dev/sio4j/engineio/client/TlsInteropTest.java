package dev.sio4j.engineio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.interop.FreePort;
import dev.sio4j.interop.NetworkTool;
import dev.sio4j.interop.NodeServer;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against the reference engine.io server on HTTPS with a self-signed certificate for 127.0.0.1
 * (made with the {@code openssl} command; skipped without it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir static Path dir;
  private static NodeServer server;
  private static Path cert;

  @BeforeAll
  static void start() throws Exception {
    Path key = dir.resolve("key.pem");
    cert = dir.resolve("cert.pem");
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "ec",
                  "-pkeyopt",
                  "ec_paramgen_curve:prime256v1",
                  "-nodes",
                  "-keyout",
                  key.toString(),
                  "-out",
                  cert.toString(),
                  "-days",
                  "1",
                  "-subj",
                  "/CN=127.0.0.1",
                  "-addext",
                  "subjectAltName=IP:127.0.0.1")
              .redirectErrorStream(true)
              .start();
    } catch (java.io.IOException noOpenssl) {
      assumeTrue(false, "openssl is not installed");
      return;
    }
    p.getInputStream().readAllBytes();
    assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed");
    String options =
        new ObjectMapper()
            .writeValueAsString(
                Map.of("tls", Map.of("key", key.toString(), "cert", cert.toString())));
    server = NodeServer.engineIo(options);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static URI httpsUri() {
    return URI.create("https://127.0.0.1:" + server.port());
  }

  @Test
  void nettySslContextWithCustomTrustUpgradesToWss() throws Exception {
    RecordingListener rec = new RecordingListener();
    EngineIoClient client =
        EngineIoClient.open(
            EngineIoClientOptions.builder()
                .uri(httpsUri())
                .sslContext(SslContextBuilder.forClient().trustManager(cert.toFile()).build())
                .build(),
            rec);
    rec.expect("open", WAIT);
    rec.expect("upgrade:websocket", WAIT);
    client.send("secure");
    rec.expect("message:secure", WAIT);
    client.close().join();
  }

  @Test
  void tlsRunsEndToEndInsideTheProxysTunnel() throws Exception {
    assumeTrue(NetworkTool.executable("tinyproxy").isPresent(), "no tinyproxy");
    try (NetworkTool proxy = NetworkTool.tinyproxy(FreePort.find(), Optional.empty(), WAIT)) {
      RecordingListener rec = new RecordingListener();
      EngineIoClient client =
          EngineIoClient.open(
              EngineIoClientOptions.builder()
                  .uri(httpsUri())
                  .sslContext(SslContextBuilder.forClient().trustManager(cert.toFile()).build())
                  .proxy(EngineIoClientOptions.Proxy.of("127.0.0.1", proxy.port()))
                  .build(),
              rec);
      try {
        rec.expect("open", WAIT);
        rec.expect("upgrade:websocket", WAIT);
        client.send("secure and tunnelled");
        rec.expect("message:secure and tunnelled", WAIT);
        // HTTPS polling and WSS, each in a tunnel: TLS (with host name verification) inside.
        assertTrue(proxy.tunnelsTo(server.port()) >= 2, proxy.file(NetworkTool.TINYPROXY_LOG));
      } finally {
        client.close().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
  }

  @Test
  void jdkSslContextWorksToo() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "server",
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    RecordingListener rec = new RecordingListener();
    EngineIoClient client =
        EngineIoClient.open(
            EngineIoClientOptions.builder()
                .uri(httpsUri())
                .transports(List.of(TransportType.WEBSOCKET))
                .sslContext(ssl)
                .build(),
            rec);
    rec.expect("open", WAIT);
    client.send("jdk");
    rec.expect("message:jdk", WAIT);
    client.close().join();
  }

  @Test
  void untrustedCertificateIsTransportError() {
    RecordingListener rec = new RecordingListener();
    EngineIoClient client =
        EngineIoClient.open(EngineIoClientOptions.builder().uri(httpsUri()).build(), rec);
    rec.await("error:xhr poll error", WAIT);
    rec.expect("close:transport error", WAIT);
    client.closeFuture().join();
    assertEquals(ReadyState.CLOSED, client.readyState());
  }
}
