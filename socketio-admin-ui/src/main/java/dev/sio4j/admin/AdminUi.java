package dev.sio4j.admin;

import dev.sio4j.server.SocketIoServer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The server side of the official Socket.IO Admin UI ({@code @socket.io/admin-ui} 0.5.1): the Java
 * counterpart of its {@code instrument(io, options)}. It opens the admin namespace that the UI
 * connects to, sends it the server's stats, sockets, rooms and events, and carries out the UI's
 * commands (join, leave, disconnect, emit); optionally it also serves the UI itself on the server's
 * port, so that no hosted site is needed.
 *
 * <pre>{@code
 * AdminUi.builder()
 *     .auth("admin", "$2b$10$...")            // a bcrypt hash of the password
 *     .uiPath("/admin-ui")                    // the UI at http://host:port/admin-ui/
 *     .build()
 *     .instrument(server);
 * }</pre>
 *
 * <p>In a cluster, every node is instrumented: each sends its own stats and events to the admin
 * namespace through the adapter, so the UI sees every node whichever it is connected to, and its
 * commands reach the sockets of every node ({@code fetchSockets}, {@code socketsJoin}, ...).
 *
 * <p>Thread-safety: immutable configuration; {@link #instrument} may be called from any thread.
 */
public final class AdminUi {
  /**
   * What the UI receives, as the reference's {@code mode} option.
   *
   * <p>Thread-safety: immutable.
   */
  public enum Mode {
    /** Every socket, room and event, as it happens (the reference's default). */
    DEVELOPMENT,
    /** Only the periodic stats and their aggregated event counts: cheaper on a busy server. */
    PRODUCTION
  }

  private static final Pattern BCRYPT =
      Pattern.compile("^\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{53}$");

  private final String namespaceName;
  private final String username;
  private final String passwordHash;
  private final boolean readonly;
  private final Mode mode;
  private final String serverId;
  private final String uiPath;
  private final AdminSessionStore sessionStore;
  private final Duration statsInterval;

  private AdminUi(Builder b) {
    this.namespaceName = b.namespaceName;
    this.username = b.username;
    this.passwordHash = b.passwordHash;
    this.readonly = b.readonly;
    this.mode = b.mode;
    this.serverId = b.serverId;
    this.uiPath = b.uiPath;
    this.sessionStore = b.sessionStore != null ? b.sessionStore : AdminSessionStore.inMemory();
    this.statsInterval = b.statsInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Instruments a server (started or not): opens the admin namespace, starts the stats, and serves
   * the UI when {@link Builder#uiPath} was given. Close the result to undo what can be undone (the
   * stats, the UI route, the observers); the admin namespace stays.
   */
  public Instrumentation instrument(SocketIoServer server) {
    return new Instrumentation(this, Objects.requireNonNull(server));
  }

  /** The admin namespace's name ({@code /admin} by default). */
  public String namespaceName() {
    return namespaceName;
  }

  /** The username of basic authentication; empty when the namespace is open to anyone. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  Optional<String> passwordHash() {
    return Optional.ofNullable(passwordHash);
  }

  public boolean readonly() {
    return readonly;
  }

  public Mode mode() {
    return mode;
  }

  /** The server id shown by the UI; empty for the default (host name and process id). */
  public Optional<String> serverId() {
    return Optional.ofNullable(serverId);
  }

  /** Where the UI's files are served on the server's port; empty when they are not. */
  public Optional<String> uiPath() {
    return Optional.ofNullable(uiPath);
  }

  public AdminSessionStore sessionStore() {
    return sessionStore;
  }

  public Duration statsInterval() {
    return statsInterval;
  }

  /** The version of the UI packed in this jar ({@code @socket.io/admin-ui}). */
  public static String uiVersion() {
    return UiFiles.VERSION;
  }

  /** Builder of {@link AdminUi}. Thread-safety: not thread-safe. */
  public static final class Builder {
    private String namespaceName = "/admin";
    private String username;
    private String passwordHash;
    private boolean readonly;
    private Mode mode = Mode.DEVELOPMENT;
    private String serverId;
    private String uiPath;
    private AdminSessionStore sessionStore;
    private Duration statsInterval = Duration.ofSeconds(2);

    private Builder() {}

    /** The admin namespace's name; {@code /admin} by default (the UI's default too). */
    public Builder namespaceName(String name) {
      Objects.requireNonNull(name);
      this.namespaceName = name.startsWith("/") ? name : "/" + name;
      return this;
    }

    /**
     * Basic authentication: the UI must log in with this username and the password whose bcrypt
     * hash is given ({@code $2a$}, {@code $2b$} or {@code $2y$}, as {@code bcrypt} or {@code
     * htpasswd -B} make them). Without this call the admin namespace is open to anyone who can
     * reach the server.
     *
     * @throws IllegalArgumentException if the hash is not a bcrypt hash
     */
    public Builder auth(String username, String bcryptHash) {
      Objects.requireNonNull(username);
      Objects.requireNonNull(bcryptHash);
      if (!BCRYPT.matcher(bcryptHash).matches()) {
        throw new IllegalArgumentException("the password must be given as a valid bcrypt hash");
      }
      this.username = username;
      this.passwordHash = bcryptHash;
      return this;
    }

    /** Refuses every command of the UI (join, leave, disconnect, emit): it can only look. */
    public Builder readonly(boolean readonly) {
      this.readonly = readonly;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode);
      return this;
    }

    /**
     * The id this server shows in the UI. The default is {@code hostname#pid}: the reference uses
     * the host name alone outside Node's cluster module, but several JVMs on one host are common,
     * and the UI merges servers of the same id.
     */
    public Builder serverId(String serverId) {
      this.serverId = Objects.requireNonNull(serverId);
      return this;
    }

    /**
     * Serves the UI at this path of the server's own port ({@code /admin-ui} serves {@code
     * http://host:port/admin-ui/}). In the UI's login form, the server URL is then the page's own
     * origin ({@code http://host:port}).
     */
    public Builder uiPath(String path) {
      Objects.requireNonNull(path);
      if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
        throw new IllegalArgumentException(
            "the UI's path starts with / and does not end with one: " + path);
      }
      this.uiPath = path;
      return this;
    }

    /** Where login sessions are kept; {@link AdminSessionStore#inMemory()} by default. */
    public Builder sessionStore(AdminSessionStore store) {
      this.sessionStore = Objects.requireNonNull(store);
      return this;
    }

    /** How often {@code server_stats} is sent; 2 seconds by default, as the reference. */
    public Builder statsInterval(Duration interval) {
      if (interval.toMillis() < 100) {
        throw new IllegalArgumentException("statsInterval must be at least 100 ms");
      }
      this.statsInterval = interval;
      return this;
    }

    public AdminUi build() {
      return new AdminUi(this);
    }
  }
}
