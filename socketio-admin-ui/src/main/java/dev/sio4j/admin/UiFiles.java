package dev.sio4j.admin;

import dev.sio4j.server.StaticFile;
import dev.sio4j.server.StaticFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Pattern EXTERNAL_STYLESHEET =
      Pattern.compile("<link rel=\"stylesheet\" href=\"(https?://[^\"]*)\">");

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
      byte[] content = in.readAllBytes();
      if (path.equals("index.html")) {
        content =
            selfContained(new String(content, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
      }
      StaticFile file = StaticFile.of(content, type);
      cache.putIfAbsent(path, file);
      return Optional.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The UI's page without its stylesheets from other sites: the icon font's points at the copy in
   * this jar ({@code mdi/}, from the {@code @mdi/font} package), the web font's is dropped (the
   * page falls back to the system's sans-serif). The UI then loads nothing from outside, which an
   * intranet or an offline machine needs.
   */
  static String selfContained(String html) {
    Matcher m = EXTERNAL_STYLESHEET.matcher(html);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement =
          m.group(1).contains("materialdesignicons")
              ? "<link rel=\"stylesheet\" href=\"mdi/css/materialdesignicons.min.css\">"
              : "";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
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
