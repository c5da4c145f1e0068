package dev.sio4j.engineio.server;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where and with which certificate the server accepts WebTransport sessions: an HTTP/3 (QUIC)
 * listener on a UDP port of the server's host, next to its TCP port. QUIC always runs over TLS 1.3,
 * so a private key and its certificate chain are required. Browsers that connect with {@code
 * serverCertificateHashes} accept a self-signed ECDSA P-256 certificate valid for at most 14 days;
 * others need a certificate they trust.
 *
 * <p>The listener is started by {@code EngineIoServer.start()} (so by {@code SocketIoServer}'s): an
 * application that mounts the Engine.IO HTTP handler in a server of its own (a servlet container,
 * Reactor Netty) gets no listener, and polling sessions are not offered the upgrade.
 *
 * <p>WebTransport needs {@code io.netty:netty-codec-http3} and {@code
 * io.netty:netty-codec-native-quic} (with the platform's classifier) on the class path; the server
 * fails to start without them.
 *
 * <p>Thread-safety: immutable.
 */
public final class WebTransportOptions {
  private final int port;
  private final PrivateKey key;
  private final List<X509Certificate> certificateChain;
  private final int maxSessionsPerConnection;

  private WebTransportOptions(Builder b) {
    this.port = b.port;
    this.key = b.key;
    this.certificateChain = b.chain;
    this.maxSessionsPerConnection = b.maxSessionsPerConnection;
  }

  /**
   * A listener on the UDP port of the same number as the server's TCP port (what clients expect:
   * they open WebTransport to the host and port of their Engine.IO URL), with this key and
   * certificate chain.
   */
  public static WebTransportOptions of(PrivateKey key, X509Certificate... chain) {
    return builder().certificate(key, chain).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The UDP port to bind: empty (the default) for the number of the server's TCP port; 0 picks a
   * free one (see {@code EngineIoServer.webTransportPort()}).
   */
  public OptionalInt port() {
    return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
  }

  public PrivateKey key() {
    return key;
  }

  /** The certificate first, then the certificates that sign it, if any. */
  public List<X509Certificate> certificateChain() {
    return certificateChain;
  }

  /** How many WebTransport sessions one QUIC connection may carry at once (1 by default). */
  public int maxSessionsPerConnection() {
    return maxSessionsPerConnection;
  }

  /** Builder of {@link WebTransportOptions}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private int port = -1;
    private PrivateKey key;
    private List<X509Certificate> chain;
    private int maxSessionsPerConnection = 1;

    private Builder() {}

    /**
     * A UDP port of its own, for clients told about it separately; 0 picks a free one. By default
     * the listener takes the server's TCP port number.
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    public Builder certificate(PrivateKey key, X509Certificate... chain) {
      if (chain.length == 0) {
        throw new IllegalArgumentException("a certificate is required");
      }
      this.key = Objects.requireNonNull(key, "key");
      this.chain = List.of(chain);
      return this;
    }

    public Builder maxSessionsPerConnection(int sessions) {
      if (sessions < 1) {
        throw new IllegalArgumentException("maxSessionsPerConnection must be at least 1");
      }
      this.maxSessionsPerConnection = sessions;
      return this;
    }

    public WebTransportOptions build() {
      if (key == null) {
        throw new IllegalStateException(
            "WebTransport needs a key and certificate (TLS is required)");
      }
      return new WebTransportOptions(this);
    }
  }
}
