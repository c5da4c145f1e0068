package dev.sio4j.engineio.servlet;

import jakarta.servlet.ServletContainerInitializer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10). */
final class JettyContainer implements Container {
  private final Server server;
  private final ServerConnector connector;

  private JettyContainer(String contextPath, ServletContainerInitializer initializer)
      throws Exception {
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(contextPath.isEmpty() ? "/" : contextPath);
    context.addServlet(new Page(), "/page");
    JakartaWebSocketServletContainerInitializer.configure(context, null);
    context.addServletContainerInitializer(initializer);
    server.setHandler(context);
    server.setStopTimeout(2000);
    server.start();
  }

  static Container start(String contextPath, ServletContainerInitializer initializer)
      throws Exception {
    return new JettyContainer(contextPath, initializer);
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
