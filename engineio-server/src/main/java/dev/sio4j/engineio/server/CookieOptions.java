package dev.sio4j.engineio.server;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Set-Cookie} header put on the handshake response when the {@code cookie} option is on,
 * carrying the session id for cookie-based sticky sessions. Defaults follow the reference: name
 * {@code io}, path {@code /}, HttpOnly, SameSite=Lax.
 *
 * <p>Thread-safety: immutable.
 */
public final class CookieOptions {
  private final String name;
  private final String path;
  private final boolean httpOnly;
  private final String sameSite;
  private final boolean secure;
  private final String domain;
  private final Duration maxAge;

  private CookieOptions(Builder b) {
    this.name = b.name;
    this.path = b.path;
    this.httpOnly = b.httpOnly;
    this.sameSite = b.sameSite;
    this.secure = b.secure;
    this.domain = b.domain;
    this.maxAge = b.maxAge;
  }

  public static CookieOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public String name() {
    return name;
  }

  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /** The {@code Set-Cookie} header value for the session {@code sid}. */
  public String serialize(String sid) {
    StringBuilder sb = new StringBuilder(name).append('=').append(sid);
    if (maxAge != null) {
      sb.append("; Max-Age=").append(maxAge.toSeconds());
    }
    if (domain != null) {
      sb.append("; Domain=").append(domain);
    }
    if (path != null) {
      sb.append("; Path=").append(path);
    }
    if (httpOnly) {
      sb.append("; HttpOnly");
    }
    if (secure) {
      sb.append("; Secure");
    }
    if (sameSite != null) {
      sb.append("; SameSite=").append(sameSite);
    }
    return sb.toString();
  }

  /** Builder of {@link CookieOptions}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private String name = "io";
    private String path = "/";
    private boolean httpOnly = true;
    private String sameSite = "Lax";
    private boolean secure;
    private String domain;
    private Duration maxAge;

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name);
      return this;
    }

    /** The cookie path, or null for none. */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    public Builder httpOnly(boolean httpOnly) {
      this.httpOnly = httpOnly;
      return this;
    }

    /** {@code Strict}, {@code Lax}, {@code None}, or null for none. */
    public Builder sameSite(String sameSite) {
      this.sameSite = sameSite;
      return this;
    }

    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    public Builder domain(String domain) {
      this.domain = domain;
      return this;
    }

    public Builder maxAge(Duration maxAge) {
      this.maxAge = maxAge;
      return this;
    }

    public CookieOptions build() {
      return new CookieOptions(this);
    }
  }
}
