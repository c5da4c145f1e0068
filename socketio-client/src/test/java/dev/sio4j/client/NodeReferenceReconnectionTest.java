package dev.sio4j.client;

/** {@link AbstractReconnectionTest} against the Node reference {@code socket.io} server. */
class NodeReferenceReconnectionTest extends AbstractReconnectionTest {
  @Override
  protected TestServer startServer(String optionsJson) {
    return new NodeTestServer(optionsJson);
  }
}
