package dev.sio4j.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Http;
import dev.sio4j.testing.SocketIoServerExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The UI's own files, served on the server's port at the path of the user's choice. */
@Timeout(60)
class AdminUiFilesTest {
  @RegisterExtension final SocketIoServerExtension server = SocketIoServerExtension.create();

  private HttpResponse<byte[]> get(String path) {
    return Http.get("http://127.0.0.1:" + server.port() + path);
  }

  private static String type(HttpResponse<?> res) {
    return res.headers().firstValue("Content-Type").orElse("");
  }

  @Test
  void theUiIsServedAtItsPathAndNeedsNothingFromOutside() {
    try (Instrumentation i =
        AdminUi.builder().uiPath("/tools/admin").build().instrument(server.io())) {
      HttpResponse<byte[]> redirect = get("/tools/admin");
      assertEquals(301, redirect.statusCode());
      assertEquals("/tools/admin/", redirect.headers().firstValue("Location").orElse(""));

      HttpResponse<byte[]> index = get("/tools/admin/");
      assertEquals(200, index.statusCode());
      assertEquals("text/html; charset=utf-8", type(index));
      String html = new String(index.body(), StandardCharsets.UTF_8);
      assertTrue(html.contains("<title>Socket.IO Admin UI</title>"), html);
      assertFalse(html.contains("http://") || html.contains("https://"), html);

      // Every script and stylesheet the page names is there.
      Matcher m = Pattern.compile("(?:href|src)=\"([^\"]+\\.(?:js|css|png))\"").matcher(html);
      int files = 0;
      while (m.find()) {
        HttpResponse<byte[]> res = get("/tools/admin/" + m.group(1));
        assertEquals(200, res.statusCode(), m.group(1));
        assertTrue(res.body().length > 0, m.group(1));
        files++;
      }
      assertTrue(files >= 5, "files named by the page: " + files);
      assertEquals(
          "font/woff2",
          type(get("/tools/admin/mdi/fonts/materialdesignicons-webfont.woff2?v=7.4.47")));
      assertEquals(404, get("/tools/admin/js/nothing.js").statusCode());
      assertEquals("0.5.1", AdminUi.uiVersion());
    }
  }

  @Test
  void withoutAUiPathNothingIsServed() {
    try (Instrumentation i = AdminUi.builder().build().instrument(server.io())) {
      assertEquals(404, get("/admin/").statusCode());
      assertEquals(404, get("/admin-ui/").statusCode());
    }
  }

  @Test
  void closingTheInstrumentationRemovesTheRoute() {
    Instrumentation i = AdminUi.builder().uiPath("/admin-ui").build().instrument(server.io());
    assertEquals(200, get("/admin-ui/").statusCode());
    i.close();
    assertEquals(404, get("/admin-ui/").statusCode());
  }
}
