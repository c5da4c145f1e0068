package dev.sio4j.engineio.server;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * A started {@link EngineIoServer} on 127.0.0.1 and port 0 with a {@link Recorder}, closed by
 * try-with-resources.
 *
 * <p>Thread-safety: thread-safe.
 */
final class TestServer implements AutoCloseable {
  final EngineIoServer server;
  final Recorder recorder;

  private TestServer(EngineIoServer server, Recorder recorder) {
    this.server = server;
    this.recorder = recorder;
  }

  static TestServer start() {
    return start(EngineIoOptions.builder());
  }

  static TestServer start(EngineIoOptions.Builder options) {
    return start(EngineIoServer.builder().options(options.build()), new Recorder());
  }

  static TestServer start(EngineIoServer.Builder builder, Recorder recorder) {
    EngineIoServer server = builder.handler(recorder).build();
    try {
      server.start().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.close();
      throw new AssertionError("server did not start", e);
    }
    return new TestServer(server, recorder);
  }

  int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>/engine.io/?<query>}. */
  String url(String query) {
    return "http://127.0.0.1:" + port() + "/engine.io/?" + query;
  }

  /** The polling URL of session {@code sid}. */
  String polling(String sid) {
    return url("EIO=4&transport=polling&sid=" + sid);
  }

  URI ws(String query) {
    return URI.create("ws://127.0.0.1:" + port() + "/engine.io/?" + query);
  }

  @Override
  public void close() {
    try {
      server.close().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("server did not close", e);
    }
  }
}
