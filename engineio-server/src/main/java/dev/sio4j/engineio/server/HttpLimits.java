package dev.sio4j.engineio.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and size limits of the HTTP connections of a server's own port ({@link EngineIoServer}
 * and the Socket.IO server on top of it), with the defaults of Node's HTTP server, which the
 * reference runs on. They bound what a client that never finishes a request can hold: a connection
 * that sends nothing, headers or a body sent byte by byte, a kept-alive connection left idle, a
 * request head too large to be worth reading.
 *
 * <p>A connection upgraded to WebSocket leaves these rules (the heartbeat watches it from then on).
 * A request whose head is complete is never timed out while its answer is pending: a long-polling
 * GET is held up to {@code pingInterval}, and a page of the fallback handler may stream as long as
 * it likes. A Netty pipeline the application builds itself around {@link
 * EngineIoServer#newHttpHandler()} has its own codec and these limits do not apply there.
 *
 * <p>Thread-safety: immutable.
 */
public final class HttpLimits {
  private final Duration headersTimeout;
  private final Duration requestTimeout;
  private final Duration keepAliveTimeout;
  private final int maxHeaderSize;
  private final int maxRequestLineLength;

  private HttpLimits(Builder b) {
    this.headersTimeout = b.headersTimeout;
    this.requestTimeout = b.requestTimeout;
    this.keepAliveTimeout = b.keepAliveTimeout;
    this.maxHeaderSize = b.maxHeaderSize;
    this.maxRequestLineLength = b.maxRequestLineLength;
  }

  /** Node's defaults: 60 s, 300 s, 5 s, 16 KiB, 16 KiB. */
  public static HttpLimits defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.headersTimeout = headersTimeout;
    b.requestTimeout = requestTimeout;
    b.keepAliveTimeout = keepAliveTimeout;
    b.maxHeaderSize = maxHeaderSize;
    b.maxRequestLineLength = maxRequestLineLength;
    return b;
  }

  /**
   * How long a request's head may take, counted from the connection's opening for its first request
   * and from the first byte of a later one: a connection that sends nothing at all is closed after
   * it too. Past it the client gets {@code 408 Request Timeout} and the connection is closed. Zero
   * means no limit. Default 60 s (Node's {@code server.headersTimeout}).
   */
  public Duration headersTimeout() {
    return headersTimeout;
  }

  /**
   * How long a whole request, body included, may take to arrive, counted from the same start as
   * {@link #headersTimeout()}. Past it: {@code 408} and the connection is closed (a polling POST
   * cut this way closes its session, as a POST connection lost mid-body does). Zero means no limit.
   * Default 300 s (Node's {@code server.requestTimeout}).
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * How long a kept-alive connection may stay silent after a response before its next request
   * starts; then it is closed without a response. Zero means no limit. Default 5 s (Node's {@code
   * server.keepAliveTimeout}).
   */
  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  /**
   * The largest request header section, in bytes; a larger one gets {@code 431 Request Header
   * Fields Too Large} and the connection is closed. Default 16384 (Node's {@code
   * --max-http-header-size}).
   */
  public int maxHeaderSize() {
    return maxHeaderSize;
  }

  /**
   * The longest request line (method, URL and version), in bytes; a longer one gets {@code 414 URI
   * Too Long} and the connection is closed. Node counts the request line within its 16 KiB of
   * headers and answers 431; the separate limit and status say what was too long. Default 16384.
   */
  public int maxRequestLineLength() {
    return maxRequestLineLength;
  }

  /** Builder of {@link HttpLimits}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private Duration headersTimeout = Duration.ofSeconds(60);
    private Duration requestTimeout = Duration.ofSeconds(300);
    private Duration keepAliveTimeout = Duration.ofSeconds(5);
    private int maxHeaderSize = 16_384;
    private int maxRequestLineLength = 16_384;

    private Builder() {}

    /** See {@link HttpLimits#headersTimeout()}; zero for no limit. */
    public Builder headersTimeout(Duration timeout) {
      this.headersTimeout = notNegative(timeout, "headersTimeout");
      return this;
    }

    /** See {@link HttpLimits#requestTimeout()}; zero for no limit. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = notNegative(timeout, "requestTimeout");
      return this;
    }

    /** See {@link HttpLimits#keepAliveTimeout()}; zero for no limit. */
    public Builder keepAliveTimeout(Duration timeout) {
      this.keepAliveTimeout = notNegative(timeout, "keepAliveTimeout");
      return this;
    }

    /** See {@link HttpLimits#maxHeaderSize()}. */
    public Builder maxHeaderSize(int bytes) {
      this.maxHeaderSize = positive(bytes, "maxHeaderSize");
      return this;
    }

    /** See {@link HttpLimits#maxRequestLineLength()}. */
    public Builder maxRequestLineLength(int bytes) {
      this.maxRequestLineLength = positive(bytes, "maxRequestLineLength");
      return this;
    }

    public HttpLimits build() {
      return new HttpLimits(this);
    }

    private static Duration notNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
      return d;
    }

    private static int positive(int n, String name) {
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return n;
    }
  }
}
