package dev.sio4j.client;

/** {@link AbstractClientInteropTest} against sio4j's own server. */
class Sio4jServerClientInteropTest extends AbstractClientInteropTest {
  @Override
  protected TestServer startServer(String optionsJson) {
    return new Sio4jTestServer(optionsJson);
  }
}
