package dev.sio4j.engineio.servlet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/** {@link ServletBindingTest} on Jetty 12 (ee10). */
class JettyBindingTest extends ServletBindingTest {
  @BeforeAll
  static void onJettysClasspath() {
    // Only when picked with -Dtest, which overrides the executions' includes.
    assumeTrue(
        Container.present("org.eclipse.jetty.ee10.servlet.ServletContextHandler"),
        "Jetty's execution");
  }

  @Override
  Container.Factory containers() {
    return JettyContainer::start;
  }
}
