package dev.sio4j.client;

/** {@link AbstractReconnectionTest} against sio4j's own server. */
class Sio4jServerReconnectionTest extends AbstractReconnectionTest {
  @Override
  protected TestServer startServer(String optionsJson) {
    return new Sio4jTestServer(optionsJson);
  }
}
