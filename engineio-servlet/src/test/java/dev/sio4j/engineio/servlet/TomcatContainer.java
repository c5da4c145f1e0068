package dev.sio4j.engineio.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/** Embedded Tomcat 11. */
final class TomcatContainer implements Container {
  private final Tomcat tomcat;
  private final Connector connector;
  private final Path baseDir;

  private TomcatContainer(String contextPath, ServletContainerInitializer initializer)
      throws Exception {
    baseDir = Files.createTempDirectory("sio4j-tomcat");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext(contextPath, null);
    // Nothing of the test is a web application to clean after: no warnings about the JDK's
    // internals.
    ((StandardContext) context).setClearReferencesThreadLocals(false);
    ((StandardContext) context).setClearReferencesRmiTargets(false);
    Tomcat.addServlet(context, "page", new Page()).addMapping("/page");
    context.addServletContainerInitializer(new WsSci(), null);
    context.addServletContainerInitializer(initializer, null);
    tomcat.start();
  }

  static Container start(String contextPath, ServletContainerInitializer initializer)
      throws Exception {
    return new TomcatContainer(contextPath, initializer);
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  private boolean closed;

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    } finally {
      try (Stream<Path> files = Files.walk(baseDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
