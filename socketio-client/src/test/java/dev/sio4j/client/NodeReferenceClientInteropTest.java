package dev.sio4j.client;

/** {@link AbstractClientInteropTest} against the Node reference {@code socket.io} server. */
class NodeReferenceClientInteropTest extends AbstractClientInteropTest {
  @Override
  protected TestServer startServer(String optionsJson) {
    return new NodeTestServer(optionsJson);
  }
}
