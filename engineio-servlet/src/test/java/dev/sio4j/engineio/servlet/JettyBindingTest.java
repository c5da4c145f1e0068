package dev.sio4j.engineio.servlet;

/** {@link ServletBindingTest} on Jetty 12 (ee10). */
class JettyBindingTest extends ServletBindingTest {
  @Override
  Container.Factory containers() {
    return JettyContainer::start;
  }
}
