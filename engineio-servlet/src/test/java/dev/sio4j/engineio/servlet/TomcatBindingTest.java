package dev.sio4j.engineio.servlet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/** {@link ServletBindingTest} on Tomcat 11 (run by the surefire execution {@code tomcat}). */
class TomcatBindingTest extends ServletBindingTest {
  @BeforeAll
  static void onTomcatsClasspath() {
    // Only when picked with -Dtest, which overrides the executions' includes.
    assumeTrue(Container.present("org.apache.catalina.startup.Tomcat"), "Tomcat's execution");
  }

  @Override
  Container.Factory containers() {
    return TomcatContainer::start;
  }
}
