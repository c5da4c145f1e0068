package dev.sio4j.engineio.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cross-origin resource sharing, applied to every request of the server (polling, WebSocket
 * upgrades, and the client bundle), with preflight {@code OPTIONS} requests answered before any
 * Engine.IO validation, as the reference's {@code cors} middleware does. Off unless configured: no
 * CORS header is sent by default.
 *
 * <p>Thread-safety: immutable (the origin predicate must be thread-safe).
 */
public final class CorsOptions {
  private final boolean anyOrigin;
  private final Predicate<String> originAllowed;
  private final boolean credentials;
  private final List<String> methods;
  private final List<String> allowedHeaders;
  private final List<String> exposedHeaders;
  private final Duration maxAge;

  private CorsOptions(Builder b) {
    this.anyOrigin = b.anyOrigin;
    this.originAllowed = b.originAllowed;
    this.credentials = b.credentials;
    this.methods = List.copyOf(b.methods);
    this.allowedHeaders = b.allowedHeaders == null ? null : List.copyOf(b.allowedHeaders);
    this.exposedHeaders = List.copyOf(b.exposedHeaders);
    this.maxAge = b.maxAge;
  }

  /** {@code Access-Control-Allow-Origin: *} on every response (the compliance suites' setting). */
  public static CorsOptions anyOrigin() {
    return builder().anyOrigin().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True when every origin is allowed with {@code *}. */
  public boolean isAnyOrigin() {
    return anyOrigin;
  }

  /** The origin to allow for a request's {@code Origin} header, if any. */
  public Optional<String> allowedOrigin(String requestOrigin) {
    if (anyOrigin) {
      return Optional.of("*");
    }
    if (requestOrigin != null && originAllowed.test(requestOrigin)) {
      return Optional.of(requestOrigin);
    }
    return Optional.empty();
  }

  /** Whether {@code Access-Control-Allow-Credentials: true} is sent. */
  public boolean credentials() {
    return credentials;
  }

  /** The methods a preflight allows. */
  public List<String> methods() {
    return methods;
  }

  /** The allowed request headers; empty to reflect the preflight's requested headers. */
  public Optional<List<String>> allowedHeaders() {
    return Optional.ofNullable(allowedHeaders);
  }

  /** The response headers a browser may expose to scripts. */
  public List<String> exposedHeaders() {
    return exposedHeaders;
  }

  /** How long a browser may cache a preflight's answer. */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /** Builder of {@link CorsOptions}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private boolean anyOrigin;
    private Predicate<String> originAllowed = o -> false;
    private boolean credentials;
    private List<String> methods = List.of("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE");
    private List<String> allowedHeaders;
    private List<String> exposedHeaders = List.of();
    private Duration maxAge;

    private Builder() {}

    /** Allow every origin with {@code *} (incompatible with credentials in browsers). */
    public Builder anyOrigin() {
      this.anyOrigin = true;
      return this;
    }

    /** Allow exactly these origins (reflected in the response, with {@code Vary: Origin}). */
    public Builder origins(String... origins) {
      Set<String> set = Set.of(origins);
      this.anyOrigin = false;
      this.originAllowed = set::contains;
      return this;
    }

    /** Allow the origins the predicate accepts (reflected, with {@code Vary: Origin}). */
    public Builder origin(Predicate<String> allowed) {
      this.anyOrigin = false;
      this.originAllowed = Objects.requireNonNull(allowed);
      return this;
    }

    /** Allow every origin by reflecting the request's {@code Origin}. */
    public Builder reflectOrigin() {
      return origin(o -> true);
    }

    public Builder credentials(boolean credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder methods(String... methods) {
      this.methods = List.of(methods);
      return this;
    }

    /** Headers allowed in requests; by default the preflight's request headers are reflected. */
    public Builder allowedHeaders(String... headers) {
      this.allowedHeaders = List.of(headers);
      return this;
    }

    public Builder exposedHeaders(String... headers) {
      this.exposedHeaders = List.of(headers);
      return this;
    }

    public Builder maxAge(Duration maxAge) {
      this.maxAge = maxAge;
      return this;
    }

    public CorsOptions build() {
      return new CorsOptions(this);
    }
  }
}
