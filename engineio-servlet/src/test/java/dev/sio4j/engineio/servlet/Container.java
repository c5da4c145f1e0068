package dev.sio4j.engineio.servlet;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A servlet container started for a test on 127.0.0.1, port 0. */
interface Container extends AutoCloseable {
  int port();

  @Override
  void close();

  /** Whether {@code className} is on the test's class path. */
  static boolean present(String className) {
    try {
      Class.forName(className, false, Container.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Starts a container whose context at {@code contextPath} ("" for the root) runs {@code
   * initializer} and serves {@link Page} at /page.
   */
  interface Factory {
    Container start(String contextPath, ServletContainerInitializer initializer) throws Exception;
  }

  /** The application's own route, next to Engine.IO. */
  final class Page extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("text/plain");
      res.getOutputStream().write("the app's page".getBytes(StandardCharsets.UTF_8));
    }
  }
}
