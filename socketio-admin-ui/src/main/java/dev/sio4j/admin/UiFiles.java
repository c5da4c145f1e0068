package dev.sio4j.admin;

import dev.sio4j.server.StaticFile;
import dev.sio4j.server.StaticFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Admin UI's static files ({@code ui/dist} of the {@code @socket.io/admin-ui} npm package),
 * packed into this jar at build time under {@code dev/sio4j/admin/ui/}. Read once each, on first
 * request; only files that exist are cached, so the cache holds at most the package's files.
 *
 * <p>Thread-safety: thread-safe.
 */
final class UiFiles implements StaticFiles {
  static final UiFiles INSTANCE = new UiFiles();
  static final String VERSION = loadVersion();

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "application/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "png", "image/png",
          "svg", "image/svg+xml",
          "json", "application/json; charset=utf-8",
          "ico", "image/x-icon",
          "woff", "font/woff",
          "woff2", "font/woff2",
          "ttf", "font/ttf");

  private final Map<String, StaticFile> cache = new ConcurrentHashMap<>();

  private UiFiles() {}

  @Override
  public Optional<StaticFile> find(String path) {
    StaticFile cached = cache.get(path);
    if (cached != null) {
      return Optional.of(cached);
    }
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = UiFiles.class.getResourceAsStream("ui/" + path)) {
      if (in == null) {
        return Optional.empty();
      }
      StaticFile file = StaticFile.of(in.readAllBytes(), type);
      cache.putIfAbsent(path, file);
      return Optional.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String loadVersion() {
    Properties p = new Properties();
    try (InputStream in = UiFiles.class.getResourceAsStream("admin-ui.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }
}
